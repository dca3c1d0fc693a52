// Hive-partitioned Parquet written by DuckDB (year=/region=/): partition keys become columns; filters on them match DuckDB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { listFiles, tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";

const DATA = ["id1", "id3", "id4", "v1", "v3"];

describe.skipIf(!engineLanded)("Hive-partitioned datasets", () => {
  let dir = "";
  let glob = "";
  /** DuckDB's reading of the dataset, the oracle for every query here. */
  let hive = "";

  beforeAll(async () => {
    const g1 = await g1Parquet({ n: 100_000, k: 100, nas: 2 });
    dir = tempDir("hive");
    await duckRun(`COPY (
        SELECT ${DATA.join(", ")}, 2019 + (coalesce(id4, 0) % 4) AS year,
          CASE coalesce(id5, 0) % 3 WHEN 0 THEN 'EU' WHEN 1 THEN 'US' ELSE 'APAC' END AS region
        FROM read_parquet(${sqlString(g1)}))
      TO ${sqlString(dir)} (FORMAT parquet, PARTITION_BY (year, region))`);
    glob = `${dir}/**/*.parquet`;
    hive = `read_parquet(${sqlString(glob)}, hive_partitioning = true)`;
  });
  afterAll(closeDuck);

  it("the dataset is laid out as year=/region=/ directories whose files hold no partition columns", async () => {
    const files = listFiles(dir, ".parquet");
    expect(files.length).toBe(12);
    expect(files.every((f) => /\/year=\d{4}\/region=(EU|US|APAC)\//.test(f))).toBe(true);
    const inFile = await duckRows(`SELECT * FROM read_parquet(${sqlString(files[0] as string)}, hive_partitioning = false) LIMIT 0`);
    expect(inFile.columns).toEqual(DATA);
  });

  it("scanning the glob gives year and region as columns, with DuckDB's rows", async () => {
    const table = await scanParquet(glob).collect();
    const names = table.schema.fields.map((f) => f.name);
    expect(names).toEqual(expect.arrayContaining([...DATA, "year", "region"]));
    expect(names.length).toBe(DATA.length + 2);
    const actual = await collectRows(scanParquet(glob).select(...[...DATA, "year", "region"].map((c) => col(c))));
    const expected = await duckRows(`SELECT ${DATA.join(", ")}, year, region FROM ${hive}`);
    expectSameRows(actual, expected, { exact: true });
  });

  it("a filter on both partition columns matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(glob).filter(col("year").eq(2021).and(col("region").eq("EU"))).select(...DATA.map((c) => col(c)), col("year"), col("region")),
    );
    const expected = await duckRows(`SELECT ${DATA.join(", ")}, year, region FROM ${hive} WHERE year = 2021 AND region = 'EU'`);
    expect(expected.length).toBeGreaterThan(0);
    expectSameRows(actual, expected, { exact: true });
  });

  it("a filter mixing a partition column and a data column matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(glob).filter(col("year").gte(2020).and(col("v3").lt(10)).or(col("region").isIn(["APAC"]).and(col("v1").eq(5))))
        .select(col("id3"), col("v3"), col("year"), col("region")),
    );
    const expected = await duckRows(`SELECT id3, v3, year, region FROM ${hive}
      WHERE (year >= 2020 AND v3 < 10) OR (region IN ('APAC') AND v1 = 5)`);
    expectSameRows(actual, expected, { exact: true });
  });

  it("grouping by partition columns matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(glob).groupBy("year", "region").agg(len().alias("n"), col("v3").sum().alias("v3"), col("v1").mean().alias("v1")),
    );
    const expected = await duckRows(`SELECT year, region, count(*) AS n, sum(v3) AS v3, avg(v1) AS v1 FROM ${hive} GROUP BY year, region`);
    expectSameRows(actual, expected, { keys: ["year", "region"] });
  });

  it("a filter that excludes every partition gives no rows", async () => {
    const table = await scanParquet(glob).filter(col("year").eq(1999)).collect();
    expect(table.numRows).toBe(0);
  });
});
