// Temporal and spatial aggregation, qualifier pivots, regional outputs, extrema, thresholds, summary (spec §16.2-16.6).
import { afterAll, describe, expect, it } from "vitest";
import { fromColumns, type LazyFrame } from "tessera";
import type { Vector } from "apache-arrow";
import {
  aggColumns, columnRoles, FIRST_ROW, globalTimeseries, keyedRows, RegionalFrames, regionalAggregation, regionalStats, regionalTimeseries,
  round10, ROW, selectQualifiers, spatial, summaryOf, temporal, type ColumnRoles, type ResContext, type TaskSinks,
} from "@tessera/causemos";
import { csvRows, tempDir, writeSinks } from "./support.js";
import type { Tree } from "./support.js";

const { dir, cleanup } = tempDir("aggregation");
afterAll(cleanup);

/** temporal(res) of rows given their raw row positions in order. */
const temporalOf = (f: LazyFrame, r: ColumnRoles, res: "month" | "year" | "all"): LazyFrame => temporal(f.withRowIndex(ROW), r, res);

const day = (iso: string): bigint => BigInt(Date.parse(`${iso}T00:00:00Z`));

/** Rows of a frame as objects, bigints as numbers, sorted by the given columns. */
async function rowsOf(frame: LazyFrame, by: string[]): Promise<Record<string, unknown>[]> {
  const t = await frame.sort(by).collect();
  const names = t.schema.fields.map((f) => f.name);
  const cols = names.map((n) => Array.from(t.getChild(n) as Vector, (v) => (typeof v === "bigint" ? Number(v) : v)));
  return Array.from({ length: t.numRows }, (_, i) => Object.fromEntries(names.map((n, k) => [n, cols[k]![i]])));
}

/** A context over temporal rows `t` (given a first_row in row order when they have none), writing under `root`. */
function ctxFor(t: LazyFrame, roles: ColumnRoles, res: "month" | "year", root: string, extra: Partial<ResContext> = {}): ResContext {
  return {
    res, t, roles, agg: aggColumns(["sum", "mean"], roles.weight !== ""), q1: { map: {}, columns: [] }, q2: { map: {}, columns: [] },
    regionalTimeseriesMaxLevel: 1, root, opts: {}, ...extra,
  };
}

/** Runs the sinks `task` builds in a context over `t` and reads the objects back (keys start with "m/r/"). */
function outputs(t: LazyFrame, roles: ColumnRoles, res: "month" | "year", task: (ctx: ResContext) => Promise<TaskSinks>, extra: Partial<ResContext> = {}): Promise<Tree> {
  const withRow = t.withRowIndex(FIRST_ROW);
  return writeSinks(dir, "m/r", (root) => task(ctxFor(withRow, roles, res, root, extra)));
}

/** Runs several tasks that share regional frames, as the pipeline does. */
function regional(t: LazyFrame, roles: ColumnRoles, tasks: ((ctx: ResContext, f: RegionalFrames) => Promise<TaskSinks>)[], firstRow = true): Promise<Tree> {
  return writeSinks(dir, "m/r", async (root) => {
    const ctx = ctxFor(firstRow ? t.withRowIndex(FIRST_ROW) : t, roles, "month", root);
    const frames = new RegionalFrames(ctx);
    const parts = [];
    for (const task of tasks) parts.push(await task(ctx, frames));
    return { sinks: parts.flatMap((p) => p.sinks), held: [...parts.flatMap((p) => p.held), { release: () => frames.release() } as unknown as LazyFrame] };
  });
}

describe("temporal aggregation (§16.2)", () => {
  const points = ["A", "A", "A", "A", "A", "A", "B", "B", "B", "B", "B", "B"];
  const dates = ["2022-01-01", "2022-01-15", "2022-02-02"];
  const validated = fromColumns({
    timestamp: [...dates, ...dates, ...dates, ...dates].map(day),
    country: points, lat: points.map((p) => (p === "A" ? 1.1 : 2.1)), lng: points.map((p) => (p === "A" ? 1.0 : 2.0)),
    feature: points.map(() => "feature1"), value: [1.0, 3.0, 2.3, 1.1, 1.0, 1.2, 4.0, 6.0, 2.0, 3.0, 3.0, 4.2],
    qual1: ["a", "a", "a", "b", "b", "b", "a", "a", "a", "b", "b", "b"],
  }, { partitions: 2 });
  const roles = columnRoles(["timestamp", "country", "lat", "lng", "feature", "value", "qual1"], "");

  it("year: one row per point and qualifier value at 2022-01-01; all: the same at timestamp 0", async () => {
    for (const [res, ts] of [["year", Number(day("2022-01-01"))], ["all", 0]] as const) {
      const rows = await rowsOf(temporalOf(keyedRows(validated, roles), roles, res), ["qual1", "country"]);
      expect(rows.map((r) => [r["timestamp"], r["country"], r["qual1"]])).toEqual([[ts, "A", "a"], [ts, "B", "a"], [ts, "A", "b"], [ts, "B", "b"]]);
      const got = rows.map((r) => [r["t_sum"] as number, r["t_mean"] as number]);
      [[6.3, 2.1], [12.0, 4.0], [3.3, 1.1], [10.2, 3.4]].forEach(([s, m], i) => {
        expect(got[i]![0]).toBeCloseTo(s as number, 12);
        expect(got[i]![1]).toBeCloseTo(m as number, 12);
      });
    }
  });

  it("month: sums and means per point and month", async () => {
    const month = fromColumns({
      timestamp: [...dates, ...dates].map(day), country: ["A", "A", "A", "B", "B", "B"], lat: [1.1, 1.1, 1.1, 2.1, 2.1, 2.1], lng: [1, 1, 1, 2, 2, 2],
      feature: Array(6).fill("feature1"), value: [1.0, 3.0, 1.1, 4.0, 6.0, 2.0], qual1: Array(6).fill("a"),
    });
    const rows = await rowsOf(temporalOf(month, roles, "month"), ["country", "timestamp"]);
    expect(rows.map((r) => [r["country"], r["timestamp"], r["t_sum"], r["t_mean"]])).toEqual([
      ["A", Number(day("2022-01-01")), 4.0, 2.0], ["A", Number(day("2022-02-01")), 1.1, 1.1],
      ["B", Number(day("2022-01-01")), 10.0, 5.0], ["B", Number(day("2022-02-01")), 2.0, 2.0]]);
  });

  it("drops rows with a null feature or a missing coordinate (the silent drop, Q2); an all-missing point has t_sum 0, t_mean null (Q15)", async () => {
    const v = fromColumns({ timestamp: [0n, 0n, 0n, 0n], feature: ["f", null, "f", "f"], lat: [1, 1, null, 2], lng: [1, 1, 1, 2], value: [1.5, 2, 3, null] });
    const r = columnRoles(["timestamp", "feature", "lat", "lng", "value"], "");
    const rows = await rowsOf(temporalOf(keyedRows(v, r), r, "all"), ["lat"]);
    expect(rows.map((x) => [x["lat"], x["t_sum"], x["t_mean"]])).toEqual([[1, 1.5, 1.5], [2, 0, null]]);
  });

  it("weighted: t_wavg divides by every row's weight, also the missing values' (Q16); the weight becomes its mean", async () => {
    const v = fromColumns({ timestamp: [0n, 0n, 0n, 0n, 0n, 0n], feature: Array(6).fill("f"), country: ["A", "A", "A", "B", "C", "C"],
      value: [1, null, 3, null, null, null], w: [1, 2, 1, 2, 0, 0] });
    const r = columnRoles(["timestamp", "feature", "country", "value", "w"], "w");
    const rows = await rowsOf(temporalOf(v, r, "all"), ["country"]);
    expect(rows.map((x) => [x["country"], x["t_sum"], x["t_mean"], x["w"], x["t_wavg"]])).toEqual([["A", 4, 2, 4 / 3, 1], ["B", 0, null, 2, 0], ["C", 0, null, 0, null]]);
    const s = await rowsOf(spatial(temporalOf(v, r, "all"), ["feature", "timestamp"], ["sum", "mean"], "w"), ["feature"]);
    expect(Object.keys(s[0]!)).toEqual(["feature", "timestamp", ...aggColumns(["sum", "mean"], true)]);
    // s_wavg_t_sum = (4·4/3 + 0·2 + 0·0) / (4/3 + 2 + 0); s_wavg_t_mean = (2·4/3) / (4/3 + 2 + 0).
    expect(s[0]!["s_wavg_t_sum"]).toBeCloseTo((4 * 4 / 3) / (4 / 3 + 2), 12);
    expect(s[0]!["s_wavg_t_mean"]).toBeCloseTo((2 * 4 / 3) / (4 / 3 + 2), 12);
    expect(s[0]!["s_count"]).toBe(1);
    expect(s[0]!["s_sum_t_wavg"]).toBe(1);
  });
});

describe("spatial outputs (§16.3)", () => {
  const t = fromColumns({ timestamp: [0n, 0n, 1n, 1n, 1n, 1n], country: ["Ethiopia", "South Sudan", "Ethiopia", "South Sudan", "Ethiopia", "South Sudan"],
    feature: ["feature1", "feature1", "feature1", "feature1", "feature2", "feature2"], t_sum: [4, 60, 6, 80, 6, 180], t_mean: [2, 30, 3, 0.8, 3, 1.8] });
  const roles = columnRoles(["timestamp", "country", "feature"], "");

  it("global time series: one global.csv per feature with timestamp + AGG, and its size", async () => {
    let sizes = new Map<string, number>();
    const w = await outputs(t, roles, "month", async (ctx) => { const g = await globalTimeseries(ctx); sizes = g.sizes; return g; });
    expect(w.text("m/r/month/feature1/timeseries/global/global.csv")).toBe("timestamp,s_sum_t_sum,s_mean_t_sum,s_sum_t_mean,s_mean_t_mean,s_count\n0,64.0,32.0,32.0,16.0,2\n1,86.0,43.0,3.8,1.9,2\n");
    expect(w.text("m/r/month/feature2/timeseries/global/global.csv")).toBe("timestamp,s_sum_t_sum,s_mean_t_sum,s_sum_t_mean,s_mean_t_mean,s_count\n1,186.0,93.0,4.8,2.4,2\n");
    expect(Object.fromEntries(sizes)).toEqual({ feature1: 2, feature2: 1 });
  });

  it("qualifier pivots: a column per qualifier value, empty cells for missing pairs, counts with gaps as floats (Q20)", async () => {
    const tq = fromColumns({ timestamp: [0n, 0n, 0n, 1n, 1n, 1n, 1n, 1n], country: ["Ethiopia", "South Sudan", "South Sudan", "Ethiopia", "South Sudan", "Ethiopia", "South Sudan", "Ethiopia"],
      feature: ["feature1", "feature1", "feature1", "feature1", "feature1", "feature2", "feature2", "feature3"], qual1: ["qa", "qa", "qb", "qa", "qb", "qa", "qa", "qa"],
      qual2: ["q1", "q2", "q2", "q1", "q1", "q1", "q2", "q1"], t_sum: [4, 60, 60, 6, 80, 6, 180, 6], t_mean: [2, 30, 30, 3, 0.8, 3, 1.8, 3] });
    const r = columnRoles(["timestamp", "country", "feature", "qual1", "qual2"], "");
    const counts = { feature1: { qual1: 2, qual2: 2 }, feature2: { qual1: 1, qual2: 2 }, feature3: { qual1: 1, qual2: 1 } };
    const q1 = selectQualifiers({ feature1: ["qual1", "qual2"], feature2: ["qual1"] }, counts, 10000);
    const w = await outputs(tq, r, "year", globalTimeseries, { q1 });
    const at = (k: string) => csvRows(w.text(`m/r/year/${k}.csv`));
    expect(at("feature1/timeseries/qualifiers/qual1/s_count")).toEqual([["timestamp", "qa", "qb"], ["0", "2", "1"], ["1", "1", "1"]]);
    expect(at("feature1/timeseries/qualifiers/qual1/s_mean_t_mean")).toEqual([["timestamp", "qa", "qb"], ["0", "16.0", "30.0"], ["1", "3.0", "0.8"]]);
    expect(at("feature1/timeseries/qualifiers/qual1/s_sum_t_mean")).toEqual([["timestamp", "qa", "qb"], ["0", "32.0", "30.0"], ["1", "3.0", "0.8"]]);
    expect(at("feature1/timeseries/qualifiers/qual2/s_mean_t_sum")).toEqual([["timestamp", "q1", "q2"], ["0", "4.0", "60.0"], ["1", "43.0", ""]]);
    expect(at("feature1/timeseries/qualifiers/qual2/s_count")).toEqual([["timestamp", "q1", "q2"], ["0", "1", "2.0"], ["1", "2", ""]]);
    expect(at("feature2/timeseries/qualifiers/qual1/s_sum_t_sum")).toEqual([["timestamp", "qa"], ["1", "186.0"]]);
    expect(w.keys("m/r/year/feature3/timeseries/qualifiers")).toEqual([]);
    expect(w.keys("m/r/year/feature1/timeseries/qualifiers/qual1")).toHaveLength(5);
  });

  const regions = ["A/AA/AAA/AAAA", "A/AA/AAA/AAAA", "A/AA/AAB/AABD", "A/AA/AAB/AABE", "B/BA/BAB/BABB", "B/BB/BBB/BBBB"].map((s) => s.split("/"));
  const tr = fromColumns({
    timestamp: [...regions.map(() => 0n), ...regions.map(() => 1n)],
    ...Object.fromEntries(["country", "admin1", "admin2", "admin3"].map((c, i) => [c, [...regions, ...regions].map((r) => r[i] as string)])),
    feature: Array(12).fill("F1"), t_sum: [4, 10, 8, 3, 60, 10, 2, 4, 8, 10, 90, 80], t_mean: [2, 5, 4, 1, 30, 2, 1, 1, 2, 2, 30, 20],
  });
  const rr = columnRoles(["timestamp", "country", "admin1", "admin2", "admin3", "feature"], "");

  it("regional aggregation: one CSV of regions per (feature, timestamp) and level; regional time series per region", async () => {
    const w = await regional(tr, rr, [regionalAggregation, regionalTimeseries]);
    const agg = (level: string, ts: number) => w.text(`m/r/month/F1/regional/${level}/aggs/${ts}/default/default.csv`);
    expect(agg("country", 0)).toBe("id,s_sum_t_sum,s_mean_t_sum,s_sum_t_mean,s_mean_t_mean,s_count\nA,25.0,6.25,12.0,3.0,4\nB,70.0,35.0,32.0,16.0,2\n");
    expect(agg("country", 1)).toBe("id,s_sum_t_sum,s_mean_t_sum,s_sum_t_mean,s_mean_t_mean,s_count\nA,24.0,6.0,6.0,1.5,4\nB,170.0,85.0,50.0,25.0,2\n");
    expect(csvRows(agg("admin1", 1)).slice(1)).toEqual([["A__AA", "24.0", "6.0", "6.0", "1.5", "4"], ["B__BA", "90.0", "90.0", "30.0", "30.0", "1"], ["B__BB", "80.0", "80.0", "20.0", "20.0", "1"]]);
    expect(csvRows(w.text("m/r/month/F1/regional/country/timeseries/default/A.csv")).slice(1)).toEqual([["0", "25.0", "6.25", "12.0", "3.0", "4"], ["1", "24.0", "6.0", "6.0", "1.5", "4"]]);
    expect(w.keys("m/r/month/F1/regional/admin3/timeseries/default/")).toHaveLength(5);
  });

  it("extrema: every row at the min or max of each column, latest first (§8.2)", async () => {
    const te = fromColumns({ timestamp: [1n, 2n, 3n, 1n, 2n, 3n], country: ["A", "A", "A", "B", "B", "B"], feature: Array(6).fill("F1"),
      t_sum: [20, 10, 10, 20, 20, 10], t_mean: [4, 5, 10, 5, 4, 2] });
    const w = await regional(te, roles, [regionalStats]);
    const e = JSON.parse(w.text("m/r/month/F1/regional/country/stats/default/extrema.json")) as Record<string, Record<string, { region_id: string; timestamp: number; value: number }[]>>;
    const at = (l: { region_id: string; timestamp: number }[]) => l.map((x) => `${x.region_id}@${x.timestamp}`);
    expect(Object.keys(e["min"]!)).toEqual(["s_sum_t_sum", "s_mean_t_sum", "s_sum_t_mean", "s_mean_t_mean"]);
    expect(new Set(at(e["min"]!["s_sum_t_sum"]!))).toEqual(new Set(["A@3", "B@3", "A@2"]));
    expect(e["min"]!["s_sum_t_sum"]!.map((x) => x.timestamp)).toEqual([3, 3, 2]);
    expect(new Set(at(e["max"]!["s_sum_t_sum"]!))).toEqual(new Set(["B@2", "A@1", "B@1"]));
    expect(e["min"]!["s_sum_t_mean"]).toEqual([{ region_id: "B", timestamp: 3, value: 2 }]);
    expect(e["max"]!["s_sum_t_mean"]).toEqual([{ region_id: "A", timestamp: 3, value: 10 }]);
    expect(w.text("m/r/month/F1/regional/country/stats/default/extrema.json")).toContain('"value": 2.0}');
  });

  it("extrema keep 20 of 22 tied rows: the regions that appear first in the validated rows (Q21)", async () => {
    const names = Array.from({ length: 22 }, (_, i) => `R${String(21 - i).padStart(2, "0")}`); // appearance order is not name order
    const keyed = fromColumns({ timestamp: names.map(() => 5n), country: names, feature: names.map(() => "F"), value: names.map(() => 1.5) }, { partitions: 3 }).withRowIndex(ROW);
    const r = columnRoles(["timestamp", "country", "feature", "value"], "");
    const w = await regional(temporal(keyed, r, "month"), r, [regionalStats], false);
    const e = JSON.parse(w.text("m/r/month/F/regional/country/stats/default/extrema.json")) as Record<string, Record<string, { region_id: string }[]>>;
    for (const kind of ["min", "max"]) for (const list of Object.values(e[kind]!)) {
      expect(list).toHaveLength(20);
      expect(new Set(list.map((x) => x.region_id))).toEqual(new Set(names.slice(0, 20)));
    }
  });
});

describe("qualifier thresholds (§16.5)", () => {
  it("keeps, per feature of the map that has counts, the listed qualifiers with at most max_count values", () => {
    const counts = { f1: { qual1: 10, qual2: 8, qual3: 10 }, f2: { qual1: 15, qual2: 10 }, f3: { qual1: 5, qual2: 10 } };
    const sel = selectQualifiers({ f1: ["qual1", "qual2", "qual3"], f2: ["qual1"], f3: ["qual1"], f_invalid: ["qual1"] }, counts, 9);
    expect(sel.map).toEqual({ f1: ["qual2"], f2: [], f3: ["qual1"] });
    expect(new Set(sel.columns)).toEqual(new Set(["qual1", "qual2"]));
    expect(selectQualifiers(sel.map, counts, 5)).toEqual({ map: { f1: [], f2: [], f3: ["qual1"] }, columns: ["qual1"] });
  });
});

describe("summary (§16.6)", () => {
  it("per feature min, max, sum and mean of t_sum and t_mean over the points of temporal(all), rounded to 10 decimals", async () => {
    const all = fromColumns({ timestamp: Array(8).fill(0n), country: ["A", "B", "A", "B", "A", "B", "A", "B"], feature: [...Array(4).fill("Feature1"), ...Array(4).fill("Feature2")],
      qual1: ["a", "a", "b", "b", "a", "a", "b", "b"], t_sum: [6.3, 12.0, 3.3, 10.2, 8.3, 14.0, 6.3, 20.2], t_mean: [2.1, 4.0, 1.1, 3.4, 4.1, 3.0, 2.1, 5.4] });
    const s = (await summaryOf(all, "")) as Record<string, unknown>[];
    const byName = Object.fromEntries(s.map((o) => [o["name"], o]));
    expect(Object.keys(byName["Feature1"]!)).toEqual(["name", "s_min_t_sum", "s_max_t_sum", "s_sum_t_sum", "s_mean_t_sum", "s_min_t_mean", "s_max_t_mean", "s_sum_t_mean", "s_mean_t_mean"]);
    expect(byName["Feature1"]).toEqual({ name: "Feature1", s_min_t_sum: 3.3, s_max_t_sum: 12.0, s_sum_t_sum: 31.8, s_mean_t_sum: 7.95, s_min_t_mean: 1.1, s_max_t_mean: 4.0, s_sum_t_mean: 10.6, s_mean_t_mean: 2.65 });
    expect(byName["Feature2"]).toEqual({ name: "Feature2", s_min_t_sum: 6.3, s_max_t_sum: 20.2, s_sum_t_sum: 48.8, s_mean_t_sum: 12.2, s_min_t_mean: 2.1, s_max_t_mean: 5.4, s_sum_t_mean: 14.6, s_mean_t_mean: 3.65 });
  });

  it("rounds as pandas' JSON encoder with 10 decimals", () => {
    expect([2 / 3, 100 / 7, 0.99999999999, 1000, -2 / 3, 1e17 / 3, 1.25e-16].map(round10))
      .toEqual([0.6666666667, 14.2857142857, 1.0, 1000, -0.6666666667, 3.333333333e16, 1.25e-16]);
  });
});

