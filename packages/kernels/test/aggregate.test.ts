// Aggregation: naive per-group references, null semantics, global aggregates, and bit-identical results across partitionings.
import { describe, expect, it } from "vitest";
import {
  aggFinalize, aggFull, aggMerge, aggPartial, batchToColumns, columnToArray, hashPartition, sliceBatch, type Batch, type Column,
} from "@tessera/kernels";
import { isDecomposable, type AggSpec } from "@tessera/expr";
import { batchOf, col as mkcol, dictCol, rng, typedSpec } from "./helpers.js";

const N = 3000;
function data(seed = 5): Batch {
  const r = rng(seed);
  const maybe = <T>(f: () => T, p = 0.1): T | null => (r() < p ? null : f());
  const names = ["north", "south", "east", "west", "centre"];
  const kIdx = Array.from({ length: N }, () => maybe(() => Math.floor(r() * names.length), 0.05));
  return batchOf({
    k: dictCol(names, kIdx),
    ks: mkcol("utf8", kIdx.map((i) => (i === null ? null : (names[i] as string)))),
    g: mkcol("int32", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 4), 0.05))),
    i: mkcol("int32", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 2000) - 1000))),
    l: mkcol("int64", Array.from({ length: N }, () => maybe(() => BigInt(Math.floor(r() * 1e12))))),
    x: mkcol("float64", Array.from({ length: N }, () => maybe(() => 1e6 + r() * 3 - 1.5))),
    y: mkcol("float64", Array.from({ length: N }, () => maybe(() => (r() - 0.5) * 1e-3 + r() * 1e3))),
    s: mkcol("utf8", Array.from({ length: N }, () => maybe(() => (names[Math.floor(r() * names.length)] as string) + Math.floor(r() * 10)))),
  });
}

const FIELDS = data().fields;
const SPEC: AggSpec = typedSpec({
  keys: ["k", "g"],
  aggs: [
    { fn: "sum", inputs: ["i"], name: "sum_i" }, { fn: "sum", inputs: ["x"], name: "sum_x" }, { fn: "sum", inputs: ["l"], name: "sum_l" },
    { fn: "mean", inputs: ["x"], name: "mean_x" }, { fn: "min", inputs: ["i"], name: "min_i" }, { fn: "max", inputs: ["x"], name: "max_x" },
    { fn: "min", inputs: ["s"], name: "min_s" }, { fn: "max", inputs: ["l"], name: "max_l" }, { fn: "count", inputs: ["x"], name: "count_x" },
    { fn: "len", inputs: [], name: "n" }, { fn: "var", inputs: ["x"], name: "var_x" }, { fn: "std", inputs: ["y"], name: "std_y" },
    { fn: "first", inputs: ["i"], name: "first_i" }, { fn: "last", inputs: ["s"], name: "last_s" }, { fn: "corr", inputs: ["x", "y"], name: "corr" },
  ],
}, FIELDS);
const HOLISTIC: AggSpec = typedSpec({
  keys: ["ks"],
  aggs: [{ fn: "median", inputs: ["x"], name: "med" }, { fn: "quantile", inputs: ["i"], q: 0.3, name: "q30" }, { fn: "nUnique", inputs: ["s"], name: "nu" }],
}, FIELDS);

type Row = Record<string, unknown>;
function rowsOf(b: Batch): Row[] {
  const cols = batchToColumns(b);
  return Array.from({ length: b.length }, (_, i) => Object.fromEntries(Object.entries(cols).map(([k, v]) => [k, v[i]])));
}

/** Naive per-group evaluation with plain JS arrays. */
function naive(b: Batch, spec: AggSpec): Map<string, Row> {
  const rows = rowsOf(b);
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = JSON.stringify(spec.keys.map((k) => r[k]));
    const list = groups.get(key) ?? [];
    list.push(r);
    groups.set(key, list);
  }
  const out = new Map<string, Row>();
  for (const [key, list] of groups) {
    const res: Row = {};
    for (const a of spec.aggs) {
      const vals = (c: string): unknown[] => list.map((r) => r[c]).filter((v) => v !== null);
      const nums = (c: string): number[] => vals(c) as number[];
      const mean = (v: number[]): number => v.reduce((s, x) => s + x, 0) / v.length;
      const variance = (v: number[]): number | null => (v.length < 2 ? null : v.reduce((s, x) => s + (x - mean(v)) ** 2, 0) / (v.length - 1));
      const c0 = a.inputs[0] as string;
      const cmp = (p: unknown, q: unknown): number => (typeof p === "string" ? Buffer.compare(Buffer.from(p), Buffer.from(q as string)) : (p as number) - (q as number));
      let v: unknown;
      switch (a.fn) {
        case "sum": v = nums(c0).length ? nums(c0).reduce((s, x) => s + x, 0) : null; break;
        case "mean": v = nums(c0).length ? mean(nums(c0)) : null; break;
        case "min": v = vals(c0).length ? [...vals(c0)].sort(cmp)[0] : null; break;
        case "max": v = vals(c0).length ? [...vals(c0)].sort(cmp).at(-1) : null; break;
        case "count": v = vals(c0).length; break;
        case "len": v = list.length; break;
        case "var": v = variance(nums(c0)); break;
        case "std": { const x = variance(nums(c0)); v = x === null ? null : Math.sqrt(x); break; }
        case "first": v = list[0]?.[c0]; break;
        case "last": v = list.at(-1)?.[c0]; break;
        case "corr": {
          const pairs = list.filter((r) => r[c0] !== null && r[a.inputs[1] as string] !== null).map((r) => [r[c0] as number, r[a.inputs[1] as string] as number] as const);
          const mx = mean(pairs.map((p) => p[0]));
          const my = mean(pairs.map((p) => p[1]));
          const cov = pairs.reduce((s, [p, q]) => s + (p - mx) * (q - my), 0);
          const vx = pairs.reduce((s, [p]) => s + (p - mx) ** 2, 0);
          const vy = pairs.reduce((s, [, q]) => s + (q - my) ** 2, 0);
          v = pairs.length === 0 ? null : pairs.length < 2 || vx === 0 || vy === 0 ? Number.NaN : cov / Math.sqrt(vx * vy);
          break;
        }
        case "median": case "quantile": {
          const s = [...nums(c0)].sort((p, q) => p - q);
          const pos = (a.fn === "median" ? 0.5 : (a.q as number)) * (s.length - 1);
          const lo = Math.floor(pos);
          v = s.length ? (s[lo] as number) + (pos - lo) * ((s[Math.ceil(pos)] as number) - (s[lo] as number)) : null;
          break;
        }
        case "nUnique": v = new Set(vals(c0)).size; break;
      }
      res[a.name] = v;
    }
    out.set(key, res);
  }
  return out;
}

function near(a: unknown, b: unknown, rel = 1e-9): boolean {
  if (typeof a === "number" && typeof b === "number") return a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
  return a === b;
}

function expectMatchesNaive(out: Batch, input: Batch, spec: AggSpec): void {
  const ref = naive(input, spec);
  const rows = rowsOf(out);
  expect(rows.length).toBe(ref.size);
  for (const r of rows) {
    const want = ref.get(JSON.stringify(spec.keys.map((k) => r[k]))) as Row;
    expect(want).toBeDefined();
    for (const a of spec.aggs) if (!near(r[a.name], want[a.name])) throw new Error(`${a.name} of ${JSON.stringify(spec.keys.map((k) => r[k]))}: got ${String(r[a.name])}, want ${String(want[a.name])}`);
  }
}

function viaPartitions(b: Batch, spec: AggSpec, parts: number): Batch {
  const size = Math.ceil(b.length / parts);
  const states = Array.from({ length: parts }, (_, p) => aggPartial(sliceBatch(b, p * size, (p + 1) * size), spec));
  // Merge as a fixed tree (pairs), as a scheduler's tree reduction would.
  let level = states;
  while (level.length > 1) {
    const next: Batch[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(aggMerge(level.slice(i, i + 2), spec));
    level = next;
  }
  return aggFinalize(level[0] as Batch, spec);
}

function bits(c: Column): unknown[] {
  return columnToArray(c).map((v) => (typeof v === "number" ? Array.from(new Uint32Array(Float64Array.of(v).buffer)).join(":") : v));
}

describe("aggregation", () => {
  const b = data();

  it("aggFull matches naive per-group references (nulls skipped, null keys grouped)", () => {
    const out = aggFull(b, SPEC);
    expect(out.fields.map((f) => f.type)).toEqual(["utf8", "int32", "int64", "float64", "int64", "float64", "int32", "float64", "utf8", "int64", "int64", "int64", "float64", "float64", "int32", "utf8", "float64"]);
    expectMatchesNaive(out, b, SPEC);
  });

  it("holistic aggregates match naive references", () => {
    expect(isDecomposable(HOLISTIC)).toBe(false);
    expect(isDecomposable(SPEC)).toBe(true);
    expectMatchesNaive(aggFull(b, HOLISTIC), b, HOLISTIC);
  });

  it("gives bit-identical results for 1, 2 and 8 partitions merged in order", () => {
    const full = aggFull(b, SPEC);
    for (const parts of [1, 2, 8]) {
      const merged = viaPartitions(b, SPEC, parts);
      expect(merged.length).toBe(full.length);
      merged.columns.forEach((c, k) => expect(bits(c)).toEqual(bits(full.columns[k] as Column)));
    }
  });

  it("gives the same sums whichever rows each partition holds (hash-partitioned, then merged)", () => {
    const spec: AggSpec = { keys: ["ks"], aggs: SPEC.aggs.filter((a) => a.fn !== "first" && a.fn !== "last") };
    const full = rowsOf(aggFull(b, spec));
    const parts = hashPartition(b, ["g"], 3).map((p) => aggPartial(p, spec));
    const merged = rowsOf(aggFinalize(aggMerge(parts, spec), spec));
    const byKey = new Map(merged.map((r) => [r.ks, r]));
    for (const r of full) expect(byKey.get(r.ks)).toEqual(r);
  });

  it("keys of groups that are each one row are the rows' own key columns; repeated keys are taken once per group", () => {
    const k = mkcol("int32", [5, 3, 9, 1]);
    const s = dictCol(["a", "b", "c", "d"], [3, 2, 1, 0]);
    const unique = batchOf({ k, s, v: mkcol("float64", [1, 2, 3, 4]) });
    const spec = typedSpec({ keys: ["k", "s"], aggs: [{ fn: "sum", inputs: ["v"], name: "t" }] }, unique.fields);
    const out = aggPartial(unique, spec);
    expect(out.columns[0]).toBe(k);
    expect(columnToArray(out.columns[1]!)).toEqual(["d", "c", "b", "a"]);
    const repeated = batchOf({ k: mkcol("int32", [5, 3, 5, 1]), s: dictCol(["a", "b"], [0, 1, 0, 1]), v: mkcol("float64", [1, 2, 3, 4]) });
    const grouped = aggPartial(repeated, spec);
    expect([columnToArray(grouped.columns[0]!), columnToArray(grouped.columns[1]!)]).toEqual([[5, 3, 1], ["a", "b", "b"]]);
  });

  it("a global aggregate returns one row even for empty input: count 0, sums null", () => {
    const spec = typedSpec({ keys: [], aggs: [{ fn: "count", inputs: ["x"], name: "c" }, { fn: "sum", inputs: ["x"], name: "s" }, { fn: "min", inputs: ["s"], name: "m" }, { fn: "len", inputs: [], name: "n" }, { fn: "first", inputs: ["i"], name: "f" }] }, b.fields);
    const empty = sliceBatch(b, 0, 0);
    expect(rowsOf(aggFull(empty, spec))).toEqual([{ c: 0, s: null, m: null, n: 0, f: null }]);
    expect(rowsOf(aggFinalize(aggMerge([aggPartial(empty, spec), aggPartial(sliceBatch(b, 0, 3), spec)], spec), spec))).toEqual(rowsOf(aggFull(sliceBatch(b, 0, 3), spec)));
    const keyed = aggFull(empty, { keys: ["k"], aggs: spec.aggs });
    expect(keyed.length).toBe(0);
  });

  it("all-null groups give null sum/mean/min/max/var and 0 count", () => {
    const t = batchOf({ k: mkcol("utf8", ["a", "a", "b"]), v: mkcol("float64", [null, null, 1]) });
    const spec = typedSpec({ keys: ["k"], aggs: ["sum", "mean", "min", "max", "var", "count"].map((fn) => ({ fn: fn as "sum", inputs: ["v"], name: fn })) }, t.fields);
    expect(rowsOf(aggFull(t, spec))).toEqual([
      { k: "a", sum: null, mean: null, min: null, max: null, var: null, count: 0 },
      { k: "b", sum: 1, mean: 1, min: 1, max: 1, var: null, count: 1 },
    ]);
  });

  it("sums are exact where naive float addition is not", () => {
    const t = batchOf({ v: mkcol("float64", [1e16, 1, -1e16, 1, 1e-3]) });
    const out = rowsOf(aggFull(t, typedSpec({ keys: [], aggs: [{ fn: "sum", inputs: ["v"], name: "s" }, { fn: "mean", inputs: ["v"], name: "m" }] }, t.fields)));
    expect(out[0]?.s).toBe(2.001);
    const big = batchOf({ v: mkcol("int64", [2n ** 60n, 1n, 2n ** 60n]) });
    const s = aggFull(big, typedSpec({ keys: [], aggs: [{ fn: "sum", inputs: ["v"], name: "s" }] }, big.fields)).columns[0] as { values: BigInt64Array };
    expect(s.values[0]).toBe(2n ** 61n + 1n);
  });
});
