// Date and timestamp expressions against DuckDB: dt.truncate, dt.year/month/day, Date literals, grouping by month.
import { afterAll, beforeAll, describe, it } from "vitest";
import { col, len, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { writeMixed } from "../support/mixed.js";

// The mixed table's d (DATE) and ts (TIMESTAMP, microseconds) span 1968..2023, so values before the
// epoch (negative day and microsecond counts) are covered. Calendar parts are UTC.
describe.skipIf(!engineLanded)("date and timestamp expressions", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("dates"));
  });
  afterAll(closeDuck);

  it("dt.year / dt.month / dt.day of timestamps and dates", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).select(
      col("rid"),
      col("ts").dt.year().alias("ts_y"), col("ts").dt.month().alias("ts_m"), col("ts").dt.day().alias("ts_d"),
      col("d").dt.year().alias("d_y"), col("d").dt.month().alias("d_m"), col("d").dt.day().alias("d_d"),
    ));
    const expected = await duckRows(`SELECT rid, year(ts) AS ts_y, month(ts) AS ts_m, day(ts) AS ts_d,
      year(d) AS d_y, month(d) AS d_m, day(d) AS d_d FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("dt.truncate of timestamps to day, month and year stays a timestamp", async () => {
    const actual = await collectRows(scanParquet(path).select(
      col("rid"),
      col("ts").dt.truncate("day").alias("day"),
      col("ts").dt.truncate("month").alias("month"),
      col("ts").dt.truncate("year").alias("year"),
    ));
    const expected = await duckRows(`SELECT rid, date_trunc('day', ts) AS day, date_trunc('month', ts) AS month,
      date_trunc('year', ts) AS year FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("dt.truncate of dates to month and year stays a date", async () => {
    const actual = await collectRows(scanParquet(path).select(
      col("rid"), col("d").dt.truncate("day").alias("day"), col("d").dt.truncate("month").alias("month"), col("d").dt.truncate("year").alias("year"),
    ));
    // DuckDB's date_trunc returns a TIMESTAMP even for a DATE; cast back to compare dates with dates.
    const expected = await duckRows(`SELECT rid, date_trunc('day', d)::DATE AS day, date_trunc('month', d)::DATE AS month,
      date_trunc('year', d)::DATE AS year FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("filters with JS Date literals on timestamp and date columns", async () => {
    const from = new Date(Date.UTC(1995, 0, 1));
    const to = new Date(Date.UTC(2005, 6, 15, 12, 30));
    const actual = await collectRows(scanParquet(path, { partitions: 3 }).filter(
      col("ts").gte(from).and(col("ts").lt(to)).and(col("d").lt(new Date(Date.UTC(2010, 0, 1)))),
    ));
    const expected = await duckRows(`SELECT * FROM mixed WHERE ts >= TIMESTAMP '1995-01-01' AND ts < TIMESTAMP '2005-07-15 12:30:00'
      AND d < DATE '2010-01-01'`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("group by month of a timestamp, min/max of dates per group", async () => {
    const actual = await collectRows(
      scanParquet(path, { partitions: 4 })
        .withColumns(col("ts").dt.truncate("month").alias("month"))
        .groupBy("month")
        .agg(len().alias("n"), col("x").mean().alias("mean_x"), col("d").min().alias("first_d"), col("d").max().alias("last_d")),
    );
    const expected = await duckRows(`SELECT date_trunc('month', ts) AS month, count(*) AS n, avg(x) AS mean_x,
      min(d) AS first_d, max(d) AS last_d FROM mixed GROUP BY 1`);
    expectSameRows(actual, expected, { keys: ["month"] });
  });

  it("group by year of a date", async () => {
    const actual = await collectRows(
      scanParquet(path).withColumns(col("d").dt.year().alias("year")).groupBy("year").agg(col("i").sum().alias("i"), len().alias("n")),
    );
    const expected = await duckRows("SELECT year(d) AS year, sum(i) AS i, count(*) AS n FROM mixed GROUP BY 1");
    expectSameRows(actual, expected, { keys: ["year"] });
  });
});
