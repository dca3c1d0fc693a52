// sinkParquet and sinkCsv: what Tessera writes, DuckDB reads back as the same rows (types, partitions, row counts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlList, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { localPath, tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";

/** The data files a WriteResult lists, as local paths (manifests and markers left out). */
function dataFiles(result: { files: readonly string[] }, ext: string): string[] {
  return result.files.map(localPath).filter((f) => f.endsWith(ext));
}

describe.skipIf(!engineLanded)("sinks read back by DuckDB", () => {
  let g1 = "";
  let out = "";
  const query = () =>
    scanParquet(g1, { partitions: 4 })
      .filter(col("v1").gte(3))
      .withColumns(col("v3").mul(2).alias("v3x"), col("id4").mod(4).alias("bucket"));
  const querySql = () => `SELECT *, v3 * 2 AS v3x, id4 % 4 AS bucket FROM read_parquet(${sqlString(g1)}) WHERE v1 >= 3`;

  beforeAll(async () => {
    g1 = await g1Parquet({ n: 200_000, k: 100, rowGroupSize: 50_000 });
    out = tempDir("sinks");
    await duckRun(`CREATE OR REPLACE TABLE expected AS ${querySql()}`);
  });
  afterAll(closeDuck);

  it("sinkParquet: DuckDB reads the files with the right types and rows; rows in the result match", async () => {
    const result = await query().sinkParquet(`${out}/plain`);
    const files = dataFiles(result, ".parquet");
    expect(files.length).toBeGreaterThan(0);
    const expected = await duckRows("SELECT * FROM expected");
    expect(result.rows).toBe(expected.length);
    const back = `read_parquet(${sqlList(files)})`;
    const types = await duckRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${back})`);
    expect(Object.fromEntries(types.map((r) => [r.column_name, r.column_type]))).toMatchObject({
      id1: "VARCHAR", id3: "VARCHAR", id4: "INTEGER", v1: "INTEGER", v3: "DOUBLE", v3x: "DOUBLE",
    });
    expectSameRows(await duckRows(`SELECT * FROM ${back}`), expected, { exact: true });
  });

  it("sinkParquet with partitionBy writes bucket=<value>/ directories DuckDB reads as a Hive dataset", async () => {
    const result = await query().sinkParquet(`${out}/by-bucket`, { partitionBy: ["bucket"] });
    const files = dataFiles(result, ".parquet");
    expect(files.every((f) => /\/bucket=[0-3]\//.test(f))).toBe(true);
    expect(new Set(files.map((f) => /\/bucket=([0-3])\//.exec(f)?.[1])).size).toBe(4);
    expect(result.rows).toBe((await duckRows("SELECT * FROM expected")).length);
    const actual = await duckRows(`SELECT id3, v1, v3x, bucket::INTEGER AS bucket FROM read_parquet(${sqlList(files)}, hive_partitioning = true)`);
    expectSameRows(actual, await duckRows("SELECT id3, v1, v3x, bucket FROM expected"), { exact: true });
  });

  it("what sinkParquet wrote, Tessera scans back to the same rows", async () => {
    const result = await query().sinkParquet(`${out}/roundtrip`);
    const actual = await collectRows(scanParquet(dataFiles(result, ".parquet")));
    expectSameRows(actual, await duckRows("SELECT * FROM expected"), { exact: true });
  });

  it("sinkCsv: DuckDB reads the CSV files back to the same rows", async () => {
    const result = await query().sinkCsv(`${out}/csv`);
    const files = dataFiles(result, ".csv");
    expect(files.length).toBeGreaterThan(0);
    const expected = await duckRows("SELECT * FROM expected");
    expect(result.rows).toBe(expected.length);
    const actual = await duckRows(`SELECT * FROM read_csv(${sqlList(files)}, header = true,
      columns = {'id1': 'VARCHAR', 'id2': 'VARCHAR', 'id3': 'VARCHAR', 'id4': 'INTEGER', 'id5': 'INTEGER', 'id6': 'INTEGER',
                 'v1': 'INTEGER', 'v2': 'INTEGER', 'v3': 'DOUBLE', 'v3x': 'DOUBLE', 'bucket': 'INTEGER'})`);
    expectSameRows(actual, expected, { exact: true });
  });
});
