// Aggregates checked against DuckDB on the same data (relative 1e-9), and against an accurate two-pass reference where
// the data is so ill-conditioned that DuckDB's own variance/correlation drift past 1e-9.
import { describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import { aggFinalize, aggFull, aggMerge, aggPartial, batchToColumns, sliceBatch, type Batch } from "@tessera/kernels";
import type { AggSpec } from "@tessera/expr";
import { batchOf, col, rng, typedSpec } from "./helpers.js";

const N = 4000;
function data(): { batch: Batch; rows: (string | number | null)[][] } {
  const r = rng(99);
  const maybe = <T>(f: () => T, p = 0.08): T | null => (r() < p ? null : f());
  const keys = ["a", "b", "c", "d"];
  const rows = Array.from({ length: N }, () => [
    maybe(() => keys[Math.floor(r() * keys.length)] as string, 0.03),
    maybe(() => Math.floor(r() * 1000) - 500),
    maybe(() => 1e4 + r() * 2 - 1), // mean/std ratio ~2e4: naive Σx² − (Σx)²/n would lose digits
    maybe(() => Math.exp(r() * 20 - 10) * (r() < 0.5 ? -1 : 1)), // wide dynamic range
  ]);
  const batch = batchOf({
    k: col("utf8", rows.map((x) => x[0] ?? null)),
    i: col("int32", rows.map((x) => x[1] ?? null)),
    x: col("float64", rows.map((x) => x[2] ?? null)),
    y: col("float64", rows.map((x) => x[3] ?? null)),
  });
  return { batch, rows };
}

const SPEC: AggSpec = typedSpec({
  keys: ["k"],
  aggs: [
    { fn: "sum", inputs: ["i"], name: "sum_i" }, { fn: "sum", inputs: ["y"], name: "sum_y" }, { fn: "mean", inputs: ["x"], name: "mean_x" },
    { fn: "var", inputs: ["x"], name: "var_x" }, { fn: "std", inputs: ["y"], name: "std_y" }, { fn: "corr", inputs: ["x", "y"], name: "corr_xy" },
    { fn: "count", inputs: ["y"], name: "count_y" }, { fn: "len", inputs: [], name: "n" }, { fn: "min", inputs: ["y"], name: "min_y" },
    { fn: "max", inputs: ["i"], name: "max_i" },
  ],
}, data().batch.fields);
const DUCK = `sum(i) sum_i, sum(y) sum_y, avg(x) mean_x, var_samp(x) var_x, stddev_samp(y) std_y, corr(x, y) corr_xy,
  count(y) count_y, count(*) n, min(y) min_y, max(i) max_i, median(x) med_x, quantile_cont(y, 0.3) q_y, count(DISTINCT i) nu_i`;

function lit(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "NULL";
  return typeof v === "string" ? `'${v}'` : String(v);
}

async function duck(rows: (string | number | null)[][]): Promise<Map<unknown, Record<string, unknown>>> {
  const inst = await DuckDBInstance.create(":memory:");
  const con = await inst.connect();
  const values = rows.map((x) => `(${lit(x[0])}, ${lit(x[1])}::INTEGER, ${lit(x[2])}::DOUBLE, ${lit(x[3])}::DOUBLE)`).join(",");
  await con.run(`CREATE TABLE t AS SELECT * FROM (VALUES ${values}) v(k, i, x, y)`);
  const res = await con.runAndReadAll(`SELECT k, ${DUCK} FROM t GROUP BY k`);
  const out = new Map<unknown, Record<string, unknown>>();
  for (const r of res.getRowObjects()) out.set(r.k, Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "bigint" ? Number(v) : v])));
  con.closeSync();
  return out;
}

function expectNear(got: unknown, want: unknown, what: string): void {
  if (typeof got === "number" && typeof want === "number") {
    const rel = Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
    if (!(got === want || rel <= 1e-9)) throw new Error(`${what}: got ${got}, DuckDB ${want} (relative ${rel})`);
  } else {
    expect(got, what).toEqual(want);
  }
}

/** Two-pass (centred, with a refined mean) sample variance and correlation: accurate for ill-conditioned data. */
function twoPass(xs: number[], ys: number[]): { varX: number; corr: number } {
  const mean = (v: number[]): number => { const m = v.reduce((s, x) => s + x, 0) / v.length; return m + v.reduce((s, x) => s + (x - m), 0) / v.length; };
  const mx = mean(xs);
  const my = mean(ys);
  let c = 0;
  let vx = 0;
  let vy = 0;
  xs.forEach((x, k) => { const y = ys[k] as number; c += (x - mx) * (y - my); vx += (x - mx) ** 2; vy += (y - my) ** 2; });
  return { varX: vx / (xs.length - 1), corr: c / Math.sqrt(vx * vy) };
}

describe("aggregates vs DuckDB", () => {
  it("var and corr stay accurate when the mean dwarfs the spread (mean/std ~ 1e7)", () => {
    const r = rng(7);
    const xs = Array.from({ length: 5000 }, () => 1e7 + r() * 2 - 1);
    const ys = xs.map((x) => (x - 1e7) * 0.3 + Math.exp(r() * 10 - 5));
    const b = batchOf({ x: col("float64", xs), y: col("float64", ys) });
    const out = batchToColumns(aggFull(b, typedSpec({ keys: [], aggs: [{ fn: "var", inputs: ["x"], name: "v" }, { fn: "corr", inputs: ["x", "y"], name: "c" }] }, b.fields)));
    const ref = twoPass(xs, ys);
    expectNear(out.v?.[0], ref.varX, "var");
    expectNear(out.c?.[0], ref.corr, "corr");
  });

  it("match DuckDB to 1e-9 relative, single pass and merged from 8 partitions", async () => {
    const { batch, rows } = data();
    const ref = await duck(rows);
    const holistic: AggSpec = typedSpec({ keys: ["k"], aggs: [{ fn: "median", inputs: ["x"], name: "med_x" }, { fn: "quantile", inputs: ["y"], q: 0.3, name: "q_y" }, { fn: "nUnique", inputs: ["i"], name: "nu_i" }] }, batch.fields);
    const size = N / 8;
    const merged = aggFinalize(aggMerge(Array.from({ length: 8 }, (_, p) => aggPartial(sliceBatch(batch, p * size, (p + 1) * size), SPEC)), SPEC), SPEC);
    for (const [spec, out] of [[SPEC, aggFull(batch, SPEC)], [SPEC, merged], [holistic, aggFull(batch, holistic)]] as const) {
      const cols = batchToColumns(out);
      expect(out.length).toBe(ref.size);
      for (let r = 0; r < out.length; r++) {
        const key = cols.k?.[r] ?? null;
        const want = ref.get(key) as Record<string, unknown>;
        for (const a of spec.aggs) expectNear(cols[a.name]?.[r], want[a.name], `${a.name}[${String(key)}]`);
      }
    }
  });
});
