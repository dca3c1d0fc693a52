// mergeSorted and range partitioning against a stable sort of the whole input.
import { describe, expect, it } from "vitest";
import {
  mergeSorted, rangeBounds, rangePartition, sampleSortKeys, sortBatch, type Batch, type SortSpec,
} from "@tessera/kernels";
import { cell, compareCells, dictCol, makeBatch, numCol, randomColumn, rng, rowsOf, strCol, type Cell } from "./relational-fixtures.js";

function compareRows(a: readonly Cell[], b: readonly Cell[], spec: SortSpec): number {
  for (let k = 0; k < spec.by.length; k++) {
    const c = compareCells(a[k]!, b[k]!, spec.descending[k]!, spec.nullsLast[k]!);
    if (c !== 0) return c;
  }
  return 0;
}

/** Rows of the key columns (spec order) followed by the "tag" column. */
function keyRows(b: Batch, spec: SortSpec, extra: string[] = []): Cell[][] {
  const idx = [...spec.by, ...extra].map((name) => b.fields.findIndex((f) => f.name === name));
  return Array.from({ length: b.length }, (_, i) => idx.map((k) => cell(b.columns[k]!, i)));
}

function stableReference(rows: Cell[][], spec: SortSpec): Cell[][] {
  return rows.map((r, i) => ({ r, i })).sort((a, b) => compareRows(a.r, b.r, spec) || a.i - b.i).map((x) => x.r);
}

const X_TYPES = ["float64", "int64", "uint64", "int32", "float32", "timestamp[ns]", "bool", "uint32"] as const;

function randomChunks(seed: number, sizes: number[]): { chunks: Batch[]; spec: SortSpec } {
  const r = rng(seed);
  const xType = X_TYPES[seed % X_TYPES.length]!;
  const spec: SortSpec = { by: ["s", "x"], descending: [r() < 0.5, r() < 0.5], nullsLast: [r() < 0.5, r() < 0.5] };
  let tag = 0;
  const chunks = sizes.map((n) => makeBatch({
    x: randomColumn(xType, n, r, { distinct: 5 }),
    s: randomColumn(r() < 0.5 ? "dict" : "utf8", n, r, { distinct: 4 }),
    tag: numCol("int32", Array.from({ length: n }, () => tag++)),
  }));
  return { chunks, spec };
}

describe("mergeSorted", () => {
  it("equals a stable sort of the concatenation (ties by batch order), mixing dict and plain strings", () => {
    for (let seed = 1; seed <= 24; seed++) {
      const { chunks, spec } = randomChunks(seed, [0, 30, 1, 17, 64, 5].slice(0, 1 + (seed % 6)));
      const sorted = chunks.map((c) => sortBatch(c, spec));
      const merged = mergeSorted(sorted, spec);
      const all = sorted.flatMap((c) => keyRows(c, spec, ["tag"]));
      expect(keyRows(merged, spec, ["tag"]), `seed ${seed}`).toEqual(stableReference(all, spec));
    }
  });

  it("keeps batch order for equal keys across batches", () => {
    const spec: SortSpec = { by: ["k"], descending: [false], nullsLast: [true] };
    const a = makeBatch({ k: numCol("int32", [1, 2, null]), t: strCol(["a1", "a2", "an"]) });
    const b = makeBatch({ k: numCol("int32", [1, 1, 3, null]), t: strCol(["b1", "b1'", "b3", "bn"]) });
    expect(rowsOf(mergeSorted([a, b], spec)).map((r) => r[1])).toEqual(["a1", "b1", "b1'", "a2", "b3", "an", "bn"]);
    expect(rowsOf(mergeSorted([b, a], spec)).map((r) => r[1])).toEqual(["b1", "b1'", "a1", "a2", "b3", "bn", "an"]);
  });

  it("merges dictionary columns with different dictionaries by value", () => {
    const spec: SortSpec = { by: ["s"], descending: [true], nullsLast: [false] };
    const a = makeBatch({ s: dictCol([null, "z", "m", "a"]) });
    const b = makeBatch({ s: dictCol(["y", "m", "b"]) });
    expect(rowsOf(mergeSorted([a, b], spec)).map((r) => r[0])).toEqual([null, "z", "y", "m", "m", "b", "a"]);
  });
});

describe("range partitioning", () => {
  it("partitions whose sorted concatenation is the global stable sort, with rows in input order inside each", () => {
    for (let seed = 20; seed < 36; seed++) {
      const { chunks, spec } = randomChunks(seed, [40, 25, 0, 60]);
      const nParts = 1 + (seed % 5);
      const samples = chunks.map((c) => sampleSortKeys(c, spec, 8));
      const bounds = rangeBounds(samples, spec, nParts);
      expect(bounds.length).toBe(nParts - 1);
      expect(bounds.fields.map((f) => f.name)).toEqual(spec.by);
      const boundRows = keyRows(bounds, spec);
      for (let j = 1; j < boundRows.length; j++) expect(compareRows(boundRows[j - 1]!, boundRows[j]!, spec)).toBeLessThanOrEqual(0);
      const parts: Batch[][] = Array.from({ length: nParts }, () => []);
      for (const c of chunks) {
        const out = rangePartition(c, bounds, spec);
        expect(out.length).toBe(nParts);
        out.forEach((p, k) => {
          const rows = keyRows(p, spec, ["tag"]);
          for (const row of rows) { // bound k-1 < row <= bound k
            if (k > 0) expect(compareRows(boundRows[k - 1]!, row, spec)).toBeLessThan(0);
            if (k < nParts - 1) expect(compareRows(row, boundRows[k]!, spec)).toBeLessThanOrEqual(0);
          }
          const tags = rows.map((r) => r[2] as number);
          expect(tags).toEqual([...tags].sort((x, y) => x - y)); // input order kept
          parts[k]!.push(p);
        });
      }
      const global = parts.flatMap((ps) => stableReference(ps.flatMap((p) => keyRows(p, spec, ["tag"])), spec));
      expect(global).toEqual(stableReference(chunks.flatMap((c) => keyRows(c, spec, ["tag"])), spec));
    }
  });

  it("samples k evenly spaced sorted keys, or all keys when k >= n", () => {
    const spec: SortSpec = { by: ["k"], descending: [false], nullsLast: [true] };
    const b = makeBatch({ v: strCol(Array.from({ length: 10 }, (_, i) => `v${i}`)), k: numCol("int32", [9, 8, 7, 6, 5, 4, 3, 2, 1, 0]) });
    expect(rowsOf(sampleSortKeys(b, spec, 4))).toEqual([[1], [3], [6], [8]]);
    expect(rowsOf(sampleSortKeys(b, spec, 20)).map((r) => r[0])).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("routes all rows consistently when there were no sample rows (null bounds)", () => {
    const spec: SortSpec = { by: ["k"], descending: [false], nullsLast: [false] };
    const empty = makeBatch({ k: numCol("int64", []) });
    const bounds = rangeBounds([empty], spec, 3);
    expect(rowsOf(bounds)).toEqual([[null], [null]]);
    const parts = rangePartition(makeBatch({ k: numCol("int64", [5n, null, -3n]) }), bounds, spec);
    expect(parts.map((p) => rowsOf(p))).toEqual([[[null]], [], [[5n], [-3n]]]);
  });
});
