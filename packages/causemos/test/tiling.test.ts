// Tiling (spec §16.1): subtile aggregation, tiles at zooms 0-8 with 64x64 bins, grid stats per cell level, no clamping.
import { afterAll, describe, expect, it } from "vitest";
import { fromColumns, type LazyFrame } from "tessera";
import type { Vector } from "apache-arrow";
import { aggColumns, columnRoles, decodeCausemosTile, subtiles, tilesAndGridStats, type ResContext } from "@tessera/causemos";
import { csvRows, tempDir, writeSinks } from "./support.js";
import type { Tree } from "./support.js";

const { dir, cleanup } = tempDir("tiling");
afterAll(cleanup);

const points = [[10.168, 40.646], [10.167, 40.645], [10.166, 40.644], [9.55, 31.65], [9.555, 31.655]] as const;
const t0 = [[4, 2], [12, 6], [80, 40], [60, 30], [60, 30]];
const t1 = [[6, 3], [14, 7], [60, 30], [80, 0.8], [10, 1.0]];

function temporalRows(features: readonly string[], extra: { feature: string; ts: bigint; lat: number; lng: number; t_sum: number; t_mean: number }[] = []): LazyFrame {
  const rows = features.flatMap((f) => [0n, 1n].flatMap((ts) => points.map(([lat, lng], i) => ({ feature: f, ts, lat, lng, t_sum: (ts === 0n ? t0 : t1)[i]![0]!, t_mean: (ts === 0n ? t0 : t1)[i]![1]! }))));
  const all = [...rows, ...extra];
  return fromColumns({
    timestamp: all.map((r) => r.ts), country: all.map((r) => (r.lng > 35 ? "Ethiopia" : "South Sudan")), lat: all.map((r) => r.lat), lng: all.map((r) => r.lng),
    feature: all.map((r) => r.feature), t_sum: all.map((r) => r.t_sum), t_mean: all.map((r) => r.t_mean),
  }, { partitions: 2 });
}

function ctxFor(t: LazyFrame, root: string): ResContext {
  const roles = columnRoles(["timestamp", "country", "lat", "lng", "feature"], "");
  return { res: "month", t, roles, agg: aggColumns(["sum", "mean"], false), q1: { map: {}, columns: [] }, q2: { map: {}, columns: [] },
    regionalTimeseriesMaxLevel: 1, root, opts: {} };
}

describe("subtile aggregation", () => {
  it("groups points into level-14 cells per feature and timestamp: sums of t_sum and t_mean, points with a t_mean", async () => {
    const t = temporalRows(["feature1"], [{ feature: "feature2", ts: 1n, lat: 9.55, lng: 31.65, t_sum: 180, t_mean: 1.8 }]);
    const s = await subtiles(t).sort(["feature", "timestamp", "x14"], { descending: [false, false, true] }).collect();
    const cols = ["feature", "timestamp", "x14", "y14", "s_sum_t_sum", "s_sum_t_mean", "s_count"].map((c) => Array.from(s.getChild(c) as Vector, (v) => (typeof v === "bigint" ? Number(v) : v)));
    const rows = Array.from({ length: s.numRows }, (_, i) => cols.map((c) => c[i]));
    expect(rows.map((r) => r.slice(0, 4).concat([r[6]]))).toEqual([
      ["feature1", 0, 10041, 7726, 3], ["feature1", 0, 9632, 7755, 2], ["feature1", 1, 10041, 7726, 3], ["feature1", 1, 9632, 7755, 2], ["feature2", 1, 9632, 7755, 1]]);
    const sums = rows.map((r) => [r[4] as number, r[5] as number]);
    [[96, 48], [120, 60], [80, 40], [90, 1.8], [180, 1.8]].forEach(([a, b], i) => {
      expect(sums[i]![0]).toBeCloseTo(a!, 12);
      expect(sums[i]![1]).toBeCloseTo(b!, 12);
    });
  });
});

describe("tiles and grid stats", () => {
  function run(t: LazyFrame): Promise<Tree> {
    return writeSinks(dir, "model-id-1/run-id-1", (root) => tilesAndGridStats(ctxFor(t, root)));
  }
  const bins = (w: Tree, key: string) => {
    const tile = decodeCausemosTile(w.objects.get(`model-id-1/run-id-1/month/${key}`)!, key);
    return { coord: tile.coord, totalBins: tile.totalBins, bins: Object.fromEntries([...tile.bins].map(([b, s]) => [b, [s.s_sum_t_sum, +s.s_sum_t_mean.toFixed(12), s.weight]])) };
  };

  it("writes the reference tiles: bins at zooms 0, 1 and 8 as (s_sum_t_sum, s_sum_t_mean, weight)", async () => {
    const w = await run(temporalRows(["F1", "F2"]));
    expect(bins(w, "F1/tiles/0-0-0-0.tile")).toEqual({ coord: { x: 0, y: 0, z: 0, t: 0 }, totalBins: 4096, bins: { 1957: [120, 60, 2], 1959: [96, 48, 3] } });
    expect(bins(w, "F1/tiles/1-0-0-0.tile").bins).toEqual({ 1957: [90, 1.8, 2], 1959: [80, 40, 3] });
    expect(bins(w, "F1/tiles/0-1-1-0.tile").bins).toEqual({ 3851: [120, 60, 2], 3854: [96, 48, 3] });
    expect(bins(w, "F1/tiles/0-8-156-120.tile").bins).toEqual({ 3001: [96, 48, 3] });
    expect(bins(w, "F2/tiles/1-8-150-121.tile").bins).toEqual({ 736: [90, 1.8, 2] });
    // The two cells share a tile at zooms 0..4 and are in two at zooms 5..8: 2 timestamps × 2 features × (5 + 2·4) tiles.
    expect(w.keys().filter((k) => k.endsWith(".tile"))).toHaveLength(2 * 2 * (5 + 2 * 4));
  });

  it("writes grid stats per timestamp with zoom = cell level 6..14 (Q6) and the per-point means over s_count", async () => {
    const w = await run(temporalRows(["F1", "F2"]));
    const g0 = csvRows(w.text("model-id-1/run-id-1/month/F1/stats/grid/0.csv"));
    expect(g0[0]).toEqual(["zoom", "min_s_sum_t_sum", "max_s_sum_t_sum", "min_s_sum_t_mean", "max_s_sum_t_mean", "min_s_mean_t_sum", "max_s_mean_t_sum", "min_s_mean_t_mean", "max_s_mean_t_mean"]);
    expect(g0.slice(1).map((r) => r[0])).toEqual(["6", "7", "8", "9", "10", "11", "12", "13", "14"]);
    for (const r of g0.slice(1)) expect(r.slice(1)).toEqual(["96.0", "120.0", "48.0", "60.0", "32.0", "60.0", "16.0", "30.0"]);
    const g1 = csvRows(w.text("model-id-1/run-id-1/month/F1/stats/grid/1.csv"));
    for (const r of g1.slice(1)) expect(r.slice(1).map(Number)).toEqual([80, 90, 1.8, 40, 26.666666666666668, 45, 0.9, 13.333333333333334].map((x) => expect.closeTo(x, 12)) as unknown as number[]);
  });

  it("does not clamp (Q10): northern overflow tiles are skipped, southern ones written, both count in grid stats", async () => {
    const t = fromColumns({ timestamp: [0n, 0n], country: ["N", "S"], lat: [89, -89], lng: [10, 10], feature: ["F", "F"], t_sum: [1, 500], t_mean: [1, 500] });
    const w = await run(t);
    const tiles = w.keys().filter((k) => k.endsWith(".tile"));
    expect(tiles).toHaveLength(9);
    for (const k of tiles) {
      const [, z, , y] = k.slice(k.lastIndexOf("/") + 1, -5).split("-").map(Number) as [number, number, number, number];
      expect(y).toBeGreaterThanOrEqual(2 ** z);
    }
    const g = csvRows(w.text("model-id-1/run-id-1/month/F/stats/grid/0.csv"));
    for (const r of g.slice(1)) expect([r[1], r[2]]).toEqual(["1.0", "500.0"]);
  });

  it("leaves a point whose values were all missing out of the means (s_count 0, Q14) but not out of the sums", async () => {
    const t = fromColumns({ timestamp: [0n, 0n], country: ["A", "A"], lat: [10.168, 10.168], lng: [40.646, 40.646], feature: ["F", "F"], t_sum: [0, 6], t_mean: [null, 3] });
    const w = await run(t);
    expect(bins(w, "F/tiles/0-8-156-120.tile").bins).toEqual({ 3001: [6, 3, 1] });
    const g = csvRows(w.text("model-id-1/run-id-1/month/F/stats/grid/0.csv"));
    expect(g[1]!.slice(1)).toEqual(["6.0", "6.0", "3.0", "3.0", "6.0", "6.0", "3.0", "3.0"]);
  });
});
