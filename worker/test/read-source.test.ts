// Where a Parquet source is decoded: straight into shared memory in a thread whose results are shared (nothing left to
// copy), or into the thread's working memory when the pipeline rebuilds its rows (no page faults, results unchanged).
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeParquet } from "@tessera/io";
import { batchFromColumns, columnToArray, enableScratch, idleScratch, reclaimScratch, type Batch, type Column } from "@tessera/kernels";
import type { PipelineArgs, SourceSpec, Step } from "@tessera/ops";
import { InlineRunner, ThreadPool } from "@tessera/worker";
import { readSource, sourceMemory } from "../src/ops/read-source.js";
import { resultsShared, shareLarge, shareResultsOfThisThread, SHARE_MIN_BYTES } from "../src/pool/share.js";

const dir = mkdtempSync(path.join(tmpdir(), "tessera-read-source-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const n = 2 * SHARE_MIN_BYTES;
const data = batchFromColumns({
  i: Array.from({ length: n }, (_, k) => (k % 9 === 4 ? null : k)),
  x: Array.from({ length: n }, (_, k) => k / 7),
  s: Array.from({ length: n }, (_, k) => (k % 11 === 2 ? null : `s${k % 300}`)),
}, { i: "int32" });
const file = path.join(dir, "t.parquet");
writeFileSync(file, writeParquet([data], data.fields, { rowGroupSize: n / 4 }));
const source: SourceSpec = { type: "parquet", pieces: [{ url: file, rowGroups: [0, 1, 2, 3], hive: [] }], columns: ["i", "x", "s"], limit: null, fields: data.fields };

function buffers(b: Batch): ArrayBufferLike[] {
  return b.columns.flatMap((c) => [
    ...(c.kind === "num" ? [c.values.buffer] : c.kind === "str" ? [c.offsets.buffer, c.bytes.buffer] : [c.indices.buffer, c.dict.offsets.buffer, c.dict.bytes.buffer]),
    ...(c.valid === null ? [] : [c.valid.buffer]),
  ]);
}

describe("readSource of Parquet", () => {
  it("decodes into shared memory once the thread's results are shared, so shareLarge has nothing to copy", async () => {
    expect(resultsShared()).toBe(false);
    const ordinary = await readSource(source, []);
    for (const b of buffers(ordinary)) expect(b).toBeInstanceOf(ArrayBuffer);
    expect(shareLarge(ordinary)).not.toBe(ordinary);

    shareResultsOfThisThread();
    const shared = await readSource(source, []);
    for (const b of buffers(shared)) expect(b).toBeInstanceOf(SharedArrayBuffer);
    expect(shareLarge(shared)).toBe(shared);
    shared.columns.forEach((c, k) => expect(columnToArray(c)).toEqual(columnToArray(data.columns[k] as Column)));
  });
});

describe("sourceMemory", () => {
  const agg: Step = { t: "aggFull", spec: { keys: ["s"], aggs: [{ fn: "sum", inputs: ["i"], name: "t", out: "int64" }] } };
  const project: Step = { t: "project", exprs: [{ op: "col", name: "i" }] };

  it("decodes into working memory when a step rebuilds the rows, after projections too", () => {
    expect(sourceMemory(source, [agg])).toBe("scratch");
    expect(sourceMemory(source, [project, agg])).toBe("scratch");
    expect(sourceMemory(source, [project, { t: "hashSplit", keys: ["i"], n: 4 }])).toBe("scratch");
  });

  it("otherwise decodes where the result goes: shared memory in a sharing thread, for one piece", () => {
    // This file's earlier test marked the thread as sharing its results.
    expect(resultsShared()).toBe(true);
    expect(sourceMemory(source, [])).toBe("shared");
    expect(sourceMemory(source, [project, { t: "limit", offset: 0, n: 10 }])).toBe("shared");
    expect(sourceMemory({ ...source, pieces: [...source.pieces, ...source.pieces] }, [project])).toBe("ordinary");
  });
});

describe("a source decoded into working memory", () => {
  it("takes the buffers the task before it used", async () => {
    const agg: Step = { t: "aggFull", spec: { keys: [], aggs: [{ fn: "sum", inputs: ["i"], name: "t", out: "int64" }] } };
    enableScratch();
    try {
      reclaimScratch();
      const first = await readSource(source, [], [agg]);
      const held = new Set(buffers(first));
      // The int and float columns and the string column's indices are past scratch memory's minimum size.
      expect(held.size).toBeGreaterThanOrEqual(3);
      for (const b of held) expect(b).toBeInstanceOf(ArrayBuffer);
      idleScratch();
      reclaimScratch();  // the next task starts: the buffers lent to the one before come back
      const second = await readSource(source, [], [agg]);
      const reused = buffers(second).filter((b) => held.has(b));
      expect(reused.length).toBeGreaterThanOrEqual(3);
      second.columns.forEach((c, k) => expect(columnToArray(c)).toEqual(columnToArray(data.columns[k] as Column)));
    } finally {
      enableScratch(false);
    }
  });
});

describe("a pool thread's aggregations over Parquet decoded into its working memory", () => {
  /** A file of `rows` rows whose values depend on `seed`: nullable ints, a float, strings of many distinct values. */
  function fileOf(name: string, rows: number, seed: number): string {
    const b = batchFromColumns({
      i: Array.from({ length: rows }, (_, k) => ((k * seed) % 13 === 5 ? null : (k * seed) % 1000)),
      x: Array.from({ length: rows }, (_, k) => ((k + seed) % 17 === 3 ? null : (k % 97) / (seed + 1))),
      s: Array.from({ length: rows }, (_, k) => ((k + seed) % 19 === 7 ? null : `key-${seed}-${(k * 7919) % (rows / 2)}`)),
    }, { i: "int32" });
    const f = path.join(dir, name);
    writeFileSync(f, writeParquet([b], b.fields, { rowGroupSize: rows / 4 }));
    return f;
  }

  it("gives every task the answer the main thread computes, as buffers pass from task to task", async () => {
    // Dictionaries past 128 KiB and columns of 200,000 rows: every decoded buffer is large enough to be working memory.
    const files = [fileOf("a.parquet", 200_000, 3), fileOf("b.parquet", 160_000, 5), fileOf("c.parquet", 200_000, 11)];
    const steps: Step[] = [
      { t: "project", exprs: [{ op: "col", name: "s" }, { op: "col", name: "i" }, { op: "col", name: "x" }] },
      { t: "aggFull", spec: { keys: ["s"], aggs: [
        { fn: "sum", inputs: ["i"], name: "t", out: "int64" },
        { fn: "max", inputs: ["x"], name: "m", out: "float64" },
        { fn: "count", inputs: ["i"], name: "n", out: "int64" },
      ] } },
    ];
    const fields = [{ name: "s", type: "utf8", nullable: true }, { name: "t", type: "int64", nullable: true }, { name: "m", type: "float64", nullable: true }, { name: "n", type: "int64", nullable: false }] as const;
    const args = (f: string): PipelineArgs => ({
      source: { type: "parquet", pieces: [{ url: f, rowGroups: [0, 1, 2, 3], hive: [] }], columns: ["i", "x", "s"], limit: null, fields: data.fields },
      steps, fields: [...fields],
    });
    const inline = new InlineRunner();
    const pool = new ThreadPool({ threads: 1 });
    try {
      const expected = await Promise.all(files.map(async (f) => (await inline.run({ key: f, op: "pipeline", args: args(f), inputs: [] })) as Batch));
      // One thread, one task after another, alternating files: each decodes into buffers the one before used.
      const order = [0, 1, 2, 0, 2, 1, 0];
      const got: Batch[] = [];
      for (const [k, j] of order.entries()) got.push((await pool.run({ key: `t${k}`, op: "pipeline", args: args(files[j] as string), inputs: [] })) as Batch);
      order.forEach((j, k) => {
        const want = expected[j] as Batch, have = got[k] as Batch;
        expect(have.length).toBe(want.length);
        expect(have.length).toBeGreaterThan(50_000);
        have.columns.forEach((c, m) => expect(columnToArray(c)).toEqual(columnToArray(want.columns[m] as Column)));
      });
    } finally {
      await pool.close();
    }
  }, 60_000);
});
