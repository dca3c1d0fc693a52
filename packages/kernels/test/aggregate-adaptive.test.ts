// Adaptive partial aggregation: partitions aggregate before a shuffle only when that pays, and the merge side gives
// bit-identical results whichever way each partition went.
import { describe, expect, it } from "vitest";
import {
  aggFinalize, aggFull, aggMergeRows, aggSplit, concatBatches, distinctFromSample, estimateGroupRatio, partialPays,
  columnToArray, sliceBatch, type Batch, type DictColumn, type StrColumn,
} from "@tessera/kernels";
import type { AggSpec } from "@tessera/expr";
import { batchOf, col as mkcol, rng, typedSpec } from "./helpers.js";

/** n rows whose key takes `groups` values (uniformly), with an int and a float column to aggregate. */
function data(n: number, groups: number, seed: number): Batch {
  const r = rng(seed);
  return batchOf({
    k: mkcol("int32", Array.from({ length: n }, () => Math.floor(r() * groups))),
    s: mkcol("utf8", Array.from({ length: n }, () => (r() < 0.05 ? null : `s${Math.floor(r() * groups)}`))),
    v: mkcol("int32", Array.from({ length: n }, () => Math.floor(r() * 100))),
    x: mkcol("float64", Array.from({ length: n }, () => (r() < 0.05 ? null : 1e6 + r() * 3))),
  });
}

const specFor = (b: Batch, keys: string[]): AggSpec => typedSpec({
  keys,
  aggs: [
    { fn: "sum", inputs: ["v"], name: "sum_v" }, { fn: "mean", inputs: ["x"], name: "mean_x" }, { fn: "min", inputs: ["x"], name: "min_x" },
    { fn: "std", inputs: ["x"], name: "sd_x" }, { fn: "len", inputs: [], name: "n" },
  ],
}, b.fields);

describe("distinctFromSample", () => {
  it("inverts the uniform model: a sample of m rows from G values shows G (1 - e^(-m/G)) distinct", () => {
    for (const g of [10, 1000, 1e5, 1e7]) {
      const d = g * -Math.expm1(-4096 / g);
      expect(distinctFromSample(d, 4096) / g).toBeCloseTo(1, 6);
    }
    expect(distinctFromSample(4096, 4096)).toBe(Infinity);
  });
});

describe("aggSplit", () => {
  it("estimates a partition's groups per row from a sample", () => {
    expect(estimateGroupRatio(data(60_000, 100, 1), ["k"])).toBeLessThan(0.01);
    const high = estimateGroupRatio(data(60_000, 1_000_000, 2), ["k"]);
    expect(high).toBeGreaterThan(0.9);
    const mid = estimateGroupRatio(data(60_000, 30_000, 3), ["k"]);
    const exact = 30_000 * -Math.expm1(-60_000 / 30_000) / 60_000;
    expect(Math.abs(mid - exact)).toBeLessThan(0.05);
  });

  it("aggregates first when groups are few, moves rows when nearly every row is its own group", () => {
    const few = data(20_000, 50, 4);
    const many = data(20_000, 10_000_000, 5);
    const spec = specFor(few, ["k"]);
    expect(partialPays(few, spec, estimateGroupRatio(few, ["k"]))).toBe(true);
    expect(partialPays(many, spec, estimateGroupRatio(many, ["k"]))).toBe(false);
    const a = aggSplit(few, spec, 4, "auto");
    expect(a).toHaveLength(8);
    expect(a.slice(0, 4).reduce((s, p) => s + p.length, 0)).toBe(50);
    expect(a.slice(4).every((p) => p.length === 0)).toBe(true);
    const b = aggSplit(many, spec, 4, "auto");
    expect(b.slice(0, 4).every((p) => p.length === 0)).toBe(true);
    expect(b.slice(4).reduce((s, p) => s + p.length, 0)).toBe(20_000);
    // "never" moves rows without estimating; an order-sensitive spec always aggregates (its states merge in order).
    expect(aggSplit(few, spec, 4, "never").slice(4).reduce((s, p) => s + p.length, 0)).toBe(20_000);
    const ordered = typedSpec({ keys: ["k"], aggs: [{ fn: "first", inputs: ["v"], name: "f" }] }, few.fields);
    expect(aggSplit(many, ordered, 4, "never").slice(0, 4).reduce((s, p) => s + p.length, 0)).toBeGreaterThan(0);
  });

  it("the empty half of a split holds no dictionary: pieces sent to other workers do not carry the partition's", () => {
    const n = 30_000;
    const words = Array.from({ length: 20_000 }, (_, i) => `word-${i}`);
    const dict = mkcol("utf8", words);
    const r = rng(9);
    const b = batchOf({
      s: { kind: "dict", type: "utf8", length: n, indices: Int32Array.from({ length: n }, () => Math.floor(r() * 40)), dict: dict as StrColumn, valid: null },
      v: mkcol("int32", Array.from({ length: n }, () => Math.floor(r() * 100))),
    });
    const spec = typedSpec({ keys: ["s"], aggs: [{ fn: "sum", inputs: ["v"], name: "t" }] }, b.fields);
    const pieces = aggSplit(b, spec, 4, "auto");
    // 40 groups in 30,000 rows: states move, and the row half is empty, with its column kinds but no entries.
    for (const p of pieces.slice(4)) {
      expect(p.length).toBe(0);
      const c = p.columns[0] as DictColumn;
      expect([c.kind, c.dict.length]).toEqual(["dict", 0]);
    }
    // Merged with a partition that moved rows, the key stays dictionary-encoded.
    const rows = aggSplit(b, spec, 4, "never");
    expect(concatBatches([pieces[4]!, rows[4]!]).columns[0]!.kind).toBe("dict");
  });

  it("the merge side gives bit-identical results however each partition went (states, rows, or a mix)", () => {
    const all = data(40_000, 3_000, 6);
    for (const keys of [["k"], ["s", "k"]]) {
      const spec = specFor(all, keys);
      const full = aggFull(all, spec);
      const parts = [0, 1, 2, 3].map((p) => sliceBatch(all, p * 10_000, (p + 1) * 10_000));
      for (const modes of [["auto", "auto", "auto", "auto"], ["never", "auto", "never", "auto"], ["never", "never", "never", "never"]] as const) {
        const splits = parts.map((p, i) => aggSplit(p, spec, 3, modes[i]!));
        const buckets = [0, 1, 2].map((j) => {
          const states = concatBatches(splits.map((s) => s[j]!));
          const rows = concatBatches(splits.map((s) => s[3 + j]!));
          return aggFinalize(aggMergeRows(states, rows, spec), spec);
        });
        const got = concatBatches(buckets);
        expect(got.length).toBe(full.length);
        // Buckets reorder groups: compare row by row, keyed by the key values; floats bit for bit (Object.is).
        const rowsByKey = (b: Batch) => {
          const cols = b.columns.map(columnToArray);
          const m = new Map<string, unknown[]>();
          for (let i = 0; i < b.length; i++) m.set(JSON.stringify(cols.slice(0, keys.length).map((c) => c[i])), cols.map((c) => c[i]));
          return m;
        };
        const want = rowsByKey(full);
        const have = rowsByKey(got);
        expect([...want.keys()].map((k) => have.get(k))).toEqual([...want.values()]);
      }
    }
  });
});
