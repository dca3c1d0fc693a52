// The whole pipeline on small hand-made inputs: level naming (Q13), several files, task selection (Q11), qualifiers, weights.
import { afterAll, describe, expect, it } from "vitest";
import { compareTrees, formatDifferences, generateModelOutput, runCausemos } from "@tessera/causemos";
import { closeParquetWriter, csvRows, parquetOf, runTree, tempDir } from "./support.js";
import type { RunTree } from "./support.js";

const { dir, cleanup } = tempDir("pipeline");
afterAll(async () => { await closeParquetWriter(); cleanup(); });

const JAN = Date.UTC(2020, 0, 5);
const FEB = Date.UTC(2020, 1, 7);

function run(files: string[], params: Record<string, unknown> = {}): Promise<RunTree> {
  return runTree(dir, { model_id: "m", run_id: "r", data_paths: files, ...params });
}
const results = (w: RunTree) => JSON.parse(w.text("m/r/results/results.json")) as { data_info: Record<string, unknown>; output_agg_values?: Record<string, unknown>[] };

describe("the pipeline on small inputs", () => {
  it("names levels by position for stats, aggs and region lists, by column for time series (Q13)", async () => {
    const f = await parquetOf(dir, "q13.parquet", `SELECT * FROM (VALUES (${JAN}::BIGINT, 'C', 'A2', 1.0::DOUBLE, 2.0::DOUBLE, 'f', 5.0::DOUBLE)) t(timestamp, country, admin2, lat, lng, feature, value)`);
    const w = await run([f]);
    expect(w.keys("m/r/month/f/regional/").map((k) => k.slice("m/r/month/f/regional/".length))).toEqual([
      "admin1/aggs/1577836800000/default/default.csv", "admin1/stats/default/extrema.json",
      "admin2/timeseries/default/C__None__A2.csv",
      "country/aggs/1577836800000/default/default.csv", "country/stats/default/extrema.json", "country/timeseries/default/C.csv"]);
    expect(csvRows(w.text("m/r/month/f/regional/admin1/aggs/1577836800000/default/default.csv"))[1]![0]).toBe("C__None");
    expect(JSON.parse(w.text("m/r/raw/f/info/region_lists.json"))).toEqual({ country: ["C"], admin1: ["C__None"], admin2: [], admin3: [] });
    expect(results(w).data_info["region_levels"]).toEqual(["country", "admin2", "grid data"]);
  });

  it("reads several files: `_str` files skipped, extra columns filled with \"\" where a file lacks them", async () => {
    const cols = "timestamp, country, admin1, admin2, admin3, lat, lng, feature, value";
    const a = await parquetOf(dir, "a.parquet", `SELECT *, 'maize' AS crop FROM (VALUES (${JAN}::BIGINT, 'C', 'A', 'B', 'D', 1.0::DOUBLE, 2.0::DOUBLE, 'f', 1.5::DOUBLE)) t(${cols})`);
    const b = await parquetOf(dir, "b.parquet", `SELECT * FROM (VALUES (${FEB}::BIGINT, 'C', 'A', 'B', 'D', 1.0::DOUBLE, 2.0::DOUBLE, 'f', 2.5::DOUBLE)) t(${cols})`);
    const s = await parquetOf(dir, "x_str.parquet.gzip", `SELECT * FROM (VALUES (${FEB}::BIGINT, 'C', 'A', 'B', 'D', 1.0::DOUBLE, 2.0::DOUBLE, 'g', 'text')) t(${cols})`);
    const w = await run([a, s, b]);
    expect(JSON.parse(w.text("m/r/raw/f/info/qualifiers/crop.json"))).toEqual(["maize", ""]);
    expect(results(w).data_info).toMatchObject({ num_rows: 2, features: ["f"], month_timeseries_size: { f: 2 } });
    expect(csvRows(w.text("m/r/raw/f/raw/raw.csv"))[0]).toEqual(["timestamp", "country", "admin1", "admin2", "admin3", "lat", "lng", "value", "crop"]);
  });

  it("runs every task but writes no results.json for an empty task list (Q11); a subset writes only its outputs", async () => {
    const f = await parquetOf(dir, "tasks.parquet", `SELECT * FROM (VALUES (${JAN}::BIGINT, 'C', 1.0::DOUBLE, 2.0::DOUBLE, 'f', 5.0::DOUBLE)) t(timestamp, country, lat, lng, feature, value)`);
    const all = await run([f], { selected_output_tasks: [] });
    expect(all.objects.has("m/r/results/results.json")).toBe(false);
    expect(all.keys().some((k) => k.endsWith(".tile"))).toBe(true);
    const some = await run([f], { selected_output_tasks: ["compute_global_timeseries"] });
    expect(some.keys().filter((k) => !k.startsWith("m/r/raw/"))).toEqual(["m/r/month/f/timeseries/global/global.csv", "m/r/year/f/timeseries/global/global.csv"]);
  });

  it("writes qualifier lists (\"None\" included, Q24), counts, and breakdowns under the thresholds (Q26)", async () => {
    const rows = [["C1", "A1", "maize", "x"], ["C1", "A2", "rice", "y"], ["C2", "A3", null, "z"]]
      .map(([c, a, crop, s], i) => `(${JAN}::BIGINT, '${c}', '${a}', 'B', 'D', ${i}.5::DOUBLE, 1.0::DOUBLE, 'f', ${i + 1}.0::DOUBLE, ${crop === null ? "NULL" : `'${crop}'`}, '${s}')`).join(", ");
    const f = await parquetOf(dir, "quals.parquet", `SELECT * FROM (VALUES ${rows}) t(timestamp, country, admin1, admin2, admin3, lat, lng, feature, value, crop, source)`);
    const w = await run([f], { qualifier_map: { f: ["crop", "source"] }, qualifier_thresholds: { max_count: 3, regional_timeseries_count: 2, regional_timeseries_max_level: 1 } });
    expect(JSON.parse(w.text("m/r/raw/f/info/qualifiers/crop.json"))).toEqual(["maize", "rice", "None"]);
    expect(JSON.parse(w.text("m/r/raw/f/info/qualifier_counts.json"))).toEqual({ thresholds: { max_count: 3, regional_timeseries_count: 2, regional_timeseries_max_level: 1 }, counts: { crop: 3, source: 3 } });
    expect(w.text("m/r/raw/f/info/qualifier_counts.json")).toContain('"max_count": 3,');
    expect(new Set(csvRows(w.text("m/r/month/f/timeseries/qualifiers/crop/s_sum_t_sum.csv"))[0])).toEqual(new Set(["timestamp", "maize", "rice", "None"]));
    expect(w.keys("m/r/month/f/regional/country/aggs/1577836800000/qualifiers/")).toEqual(["m/r/month/f/regional/country/aggs/1577836800000/qualifiers/crop.csv", "m/r/month/f/regional/country/aggs/1577836800000/qualifiers/source.csv"]);
    expect(csvRows(w.text("m/r/month/f/regional/country/aggs/1577836800000/qualifiers/crop.csv"))[0]!.slice(0, 2)).toEqual(["id", "qualifier"]);
    // 3 values each: over regional_timeseries_count 2, so no regional time-series breakdowns at all.
    expect(w.keys().filter((k) => k.includes("/timeseries/qualifiers/") && k.includes("/regional/"))).toEqual([]);
    const loose = await run([f], { qualifier_map: { f: ["crop"] } });
    const ts = loose.keys().filter((k) => k.includes("/regional/") && k.includes("/timeseries/qualifiers/"));
    expect(new Set(ts.map((k) => k.split("/")[5]))).toEqual(new Set(["country", "admin1"]));
    expect(ts).toContain("m/r/month/f/regional/country/timeseries/qualifiers/crop/None/C2.csv");
  });

  it("weighted runs append the weighted columns and summary keys; raw.csv follows its size gate (Q23)", async () => {
    const f = await parquetOf(dir, "weights.parquet", `SELECT * FROM (VALUES (${JAN}::BIGINT, 'C', 1.0::DOUBLE, 2.0::DOUBLE, 'f', 5.0::DOUBLE, 2.0::DOUBLE), (${FEB}, 'C', 1.0, 2.0, 'f', 7.0, 1.0)) t(timestamp, country, lat, lng, feature, value, w)`);
    const w = await run([f], { weight_column: "w", raw_count_threshold: 1 });
    expect(csvRows(w.text("m/r/year/f/timeseries/global/global.csv"))).toEqual([
      ["timestamp", "s_sum_t_sum", "s_mean_t_sum", "s_sum_t_mean", "s_mean_t_mean", "s_count", "s_sum_t_wavg", "s_mean_t_wavg", "s_wavg_t_sum", "s_wavg_t_mean", "s_wavg_t_wavg"],
      ["1577836800000", "12.0", "12.0", "6.0", "6.0", "1", "5.666666666666667", "5.666666666666667", "12.0", "6.0", "5.666666666666667"]]);
    const r = results(w);
    expect(r.data_info).toMatchObject({ has_weights: true, num_rows_per_feature: { f: 2 }, raw_count_threshold: 1 });
    expect(Object.keys(r.output_agg_values![0]!)).toEqual(["name", "s_min_t_sum", "s_max_t_sum", "s_sum_t_sum", "s_mean_t_sum", "s_min_t_mean", "s_max_t_mean", "s_sum_t_mean", "s_mean_t_mean",
      "s_min_t_wavg", "s_max_t_wavg", "s_sum_t_wavg", "s_mean_t_wavg", "s_wavg_t_sum", "s_wavg_t_mean", "s_wavg_t_wavg"]);
    expect(r.output_agg_values![0]!["s_wavg_t_wavg"]).toBe(5.6666666667); // (5·2 + 7·1) / 3
    expect(w.objects.has("m/r/raw/f/raw/raw.csv")).toBe(false);
  });

  it("fills missing timestamps with fill_timestamp (Q7) and prints a nullable integer column of raw.csv as floats (Q8)", async () => {
    const f = await parquetOf(dir, "fill.parquet", `SELECT * FROM (VALUES (NULL::BIGINT, 'C', 'f', 1.0::DOUBLE), (${JAN}, 'C', 'f', 2.0)) t(timestamp, country, feature, value)`);
    const w = await run([f], { fill_timestamp: FEB });
    expect(csvRows(w.text("m/r/month/f/timeseries/global/global.csv")).slice(1).map((r) => r[0])).toEqual([String(Date.UTC(2020, 0, 1)), String(Date.UTC(2020, 1, 1))]);
    expect(results(w).data_info).toMatchObject({ num_missing_ts: 1, has_tiles: false, region_levels: ["country"] });
    expect(csvRows(w.text("m/r/raw/f/raw/raw.csv")).slice(1)).toEqual([["", "C", "1.0"], [`${JAN}.0`, "C", "2.0"]]);
  });

  it("writes the same tree whether the input is one Parquet file or three (partitioning does not change outputs)", async () => {
    const data = () => generateModelOutput({ points: 40, features: 2, months: 3, perMonth: 2, seed: 9 });
    await data().sinkParquet(`${dir}/gen-one`);
    await generateModelOutput({ points: 40, features: 2, months: 3, perMonth: 2, seed: 9, partitions: 3 }).sinkParquet(`${dir}/gen-three`);
    const params = { model_id: "g", run_id: "r", qualifier_map: { feature1: ["scenario"] } };
    const one = await runCausemos({ ...params, data_paths: [`${dir}/gen-one`] }, { out: `file://${dir}/out-one` });
    const three = await runCausemos({ ...params, data_paths: [`${dir}/gen-three`] }, { out: `file://${dir}/out-three` });
    expect(one.counters.num_rows).toBe(40 * 2 * 3 * 2);
    expect(one.written.objects).toBe(three.written.objects);
    expect(one.written.objects).toBeGreaterThan(500);
    expect(formatDifferences(await compareTrees(`${dir}/out-one`, `${dir}/out-three`))).toBe("no differences");
  });
});
