// A Parquet source read in a thread whose results are shared: decoded straight into shared memory, nothing left to copy.
import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { writeParquet } from "@tessera/io";
import { batchFromColumns, columnToArray, type Batch, type Column } from "@tessera/kernels";
import type { SourceSpec } from "@tessera/ops";
import { readSource } from "../src/ops/read-source.js";
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
