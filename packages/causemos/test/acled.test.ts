// acled-test.bin as an indicator: runs without error, counters by the spec's rules against DuckDB, Q1 and Q21 on real data.
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_TIMESTAMP_MS, type RunReport } from "@tessera/causemos";
import { fixture } from "./fixtures.js";
import { csvRows, runTree, tempDir } from "./support.js";
import type { RunTree } from "./support.js";

let report: RunReport;
let writer: RunTree;
let duck: { q: (sql: string) => Promise<unknown[][]>; close: () => void };
const { dir, cleanup } = tempDir("acled");

beforeAll(async () => {
  writer = await runTree(dir, { model_id: "acled", run_id: "indicator", is_indicator: true, data_paths: [fixture("acled-test.bin")] });
  report = writer.report;
  const inst = await DuckDBInstance.create(":memory:", { threads: "1" });
  const con = await inst.connect();
  await con.run(`CREATE TABLE acled AS SELECT row_number() OVER () AS rn, * FROM read_parquet('${fixture("acled-test.bin")}')`);
  duck = { q: async (sql) => (await con.runAndReadAll(sql)).getRows(), close: () => { con.closeSync(); inst.closeSync(); } };
});
afterAll(() => { duck.close(); cleanup(); });

const num = (v: unknown): number => Number(v);
const results = () => JSON.parse(writer.text("acled/indicator/results/results.json")) as { data_info: Record<string, unknown>; output_agg_values?: unknown };

describe("acled-test.bin as an indicator", () => {
  it("counts rows, missing timestamps, missing values and invalid timestamps as the spec's rules say (DuckDB counts)", async () => {
    const [[rows, missingTs, missingVal, invalidTs]] = await duck.q(`SELECT count(*), count(*) FILTER (timestamp IS NULL),
      count(*) FILTER (value IS NULL OR isnan(value)), count(*) FILTER (coalesce(timestamp, 0)::DOUBLE >= ${MAX_TIMESTAMP_MS}) FROM acled`) as unknown[][] as [[unknown, unknown, unknown, unknown]];
    expect(report.counters).toEqual({ num_rows: num(rows), num_missing_ts: num(missingTs), num_missing_val: num(missingVal), num_invalid_ts: num(invalidTs) });
    const info = results().data_info;
    expect(info).toMatchObject({ num_rows: num(rows), num_missing_ts: num(missingTs), num_missing_val: num(missingVal), num_invalid_ts: num(invalidTs) });
    const perFeature = await duck.q("SELECT feature, count(*) FROM acled WHERE feature IS NOT NULL GROUP BY feature");
    expect(info["num_rows_per_feature"]).toEqual(Object.fromEntries(perFeature.map(([f, n]) => [f, num(n)])));
  });

  it("is an indicator: results.json has no output_agg_values; lat/lng are all null, so no tiles and no grid data", () => {
    const r = results();
    expect(r.output_agg_values).toBeUndefined();
    expect(r.data_info).toMatchObject({ has_tiles: false, has_weights: false, has_monthly: true, has_annual: true, features: ["fatalities"],
      region_levels: ["country", "admin1", "admin2", "admin3"], month_timeseries_size: { fatalities: 1 }, year_timeseries_size: { fatalities: 1 } });
    expect(writer.keys().some((k) => k.includes("/tiles/") || k.includes("/stats/grid/"))).toBe(false);
  });

  it("puts every row in January 1970 (timestamps in seconds read as ms, Q1), with DuckDB's sums", async () => {
    const [[sum, mean, points]] = await duck.q(`WITH t AS (SELECT coalesce(country, 'None') c, coalesce(admin1, 'None') a1, coalesce(admin2, 'None') a2, coalesce(admin3, 'None') a3,
        coalesce(sum(value), 0) t_sum, avg(value) t_mean FROM acled WHERE feature IS NOT NULL GROUP BY ALL)
      SELECT sum(t_sum), avg(t_sum), count(t_mean) FROM t`) as unknown[][] as [[unknown, unknown, unknown]];
    for (const res of ["month", "year"]) {
      const rows = csvRows(writer.text(`acled/indicator/${res}/fatalities/timeseries/global/global.csv`));
      expect(rows[0]).toEqual(["timestamp", "s_sum_t_sum", "s_mean_t_sum", "s_sum_t_mean", "s_mean_t_mean", "s_count"]);
      expect(rows.length).toBe(2);
      expect(rows[1]![0]).toBe("0");
      expect(Number(rows[1]![1])).toBeCloseTo(num(sum), 9);
      expect(Number(rows[1]![2])).toBeCloseTo(num(mean), 9);
      expect(rows[1]![5]).toBe(String(points));
    }
  });

  it("keeps 20 admin3 minima, chosen by first appearance among the tied regions (Q21, DuckDB's row order)", async () => {
    const id = "coalesce(country, 'None') || '__' || coalesce(admin1, 'None') || '__' || coalesce(admin2, 'None') || '__' || coalesce(admin3, 'None')";
    const expected = await duck.q(`WITH r AS (SELECT ${id} AS id, coalesce(sum(value), 0) AS s, min(rn) AS first FROM acled WHERE feature IS NOT NULL GROUP BY ALL)
      SELECT id FROM r WHERE s = (SELECT min(s) FROM r) ORDER BY first LIMIT 20`);
    const [[tied]] = await duck.q(`WITH r AS (SELECT ${id} AS id, coalesce(sum(value), 0) AS s FROM acled WHERE feature IS NOT NULL GROUP BY ALL)
      SELECT count(*) FROM r WHERE s = (SELECT min(s) FROM r)`) as unknown[][] as [[unknown]];
    expect(num(tied)).toBeGreaterThan(20);
    const extrema = JSON.parse(writer.text("acled/indicator/month/fatalities/regional/admin3/stats/default/extrema.json")) as { min: Record<string, { region_id: string; timestamp: number; value: number }[]> };
    const list = extrema.min["s_sum_t_sum"]!;
    expect(list).toHaveLength(20);
    expect(new Set(list.map((e) => e.region_id))).toEqual(new Set(expected.map(([x]) => x)));
    expect(list.every((e) => e.timestamp === 0)).toBe(true);
  });

  it("writes raw.csv (5,606 rows at most the threshold) with the rows as read", () => {
    const rows = writer.text("acled/indicator/raw/fatalities/raw/raw.csv").trim().split("\n");
    expect(rows[0]).toBe("timestamp,country,admin1,admin2,admin3,lat,lng,value");
    expect(rows.length).toBe(1 + report.counters.num_rows);
  });
});
