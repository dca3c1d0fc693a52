// Frame verbs against DuckDB: select/withColumns, rename, drop, unique, limit/head, concat, repartition, fromArrow, fromColumns, schema.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, concat, fromArrow, fromColumns, len, scanParquet } from "tessera";
import { expectSameRows, tableRows } from "../support/compare.js";
import { closeDuck, duckRows, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { g1Parquet, g1Table } from "../support/g1.js";
import { MIXED_COLUMNS, writeMixed } from "../support/mixed.js";
import { columnsOf, withColumnNames } from "../support/plain.js";
import type { Row, Rows } from "../support/plain.js";

describe.skipIf(!engineLanded)("frame verbs on the mixed table", () => {
  let path = "";
  const scan = (partitions = 3) => scanParquet(path, { partitions });
  beforeAll(async () => {
    path = await writeMixed(tempDir("frame-ops"));
  });
  afterAll(closeDuck);

  it("select with computed, aliased and plain columns", async () => {
    const actual = await collectRows(scan().select(col("rid"), col("x").mul(col("y")).alias("xy"), col("cat"), col("j").add(1).alias("j1")));
    const expected = await duckRows("SELECT rid, x * y AS xy, cat, j + 1 AS j1 FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("withColumns replaces a column in place and appends new ones in order", async () => {
    const actual = await collectRows(scan().withColumns(col("x").mul(2).alias("x"), col("i").add(col("j")).alias("ij"), col("s").isNull().alias("no_s")));
    const expected = await duckRows("SELECT * REPLACE (x * 2 AS x), i + j AS ij, s IS NULL AS no_s FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("rename keeps column order and values", async () => {
    const actual = await collectRows(scan().rename({ s: "text", i: "int_col" }));
    const renamed = MIXED_COLUMNS.map((c) => (c === "s" ? "s AS text" : c === "i" ? "i AS int_col" : c)).join(", ");
    const expected = await duckRows(`SELECT ${renamed} FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("drop removes exactly the named columns", async () => {
    const actual = await collectRows(scan().drop("s", "ts", "b2"));
    const expected = await duckRows("SELECT * EXCLUDE (s, ts, b2) FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("unique() removes duplicate rows, nulls equal to nulls", async () => {
    const actual = await collectRows(scan().select(col("g"), col("cat"), col("b")).unique());
    const expected = await duckRows("SELECT DISTINCT g, cat, b FROM mixed");
    expectSameRows(actual, expected, {});
  });

  it("unique({ subset }) keeps one whole input row per distinct subset value", async () => {
    const actual = await collectRows(scan().unique({ subset: ["g", "cat"] }));
    const distinct = await duckRows("SELECT DISTINCT g, cat FROM mixed");
    expectSameRows(withColumnNames(actual.map((r) => ({ g: r.g, cat: r.cat })), ["g", "cat"]), distinct, {});
    expectSameRows(actual, await inputRowsWithSameRid(actual), { keys: ["rid"], exact: true });
  });

  it("limit(n) returns n of the input rows", async () => {
    const actual = await collectRows(scan().limit(37));
    expect(actual.length).toBe(37);
    expectSameRows(actual, await inputRowsWithSameRid(actual), { keys: ["rid"], exact: true });
  });

  it("limit(n) and head(n) on an unsorted scan take the first n rows in file order", async () => {
    const expected = await duckRows("SELECT * FROM mixed ORDER BY rid LIMIT 37");
    expectSameRows(await collectRows(scan().limit(37)), expected, { orderMatters: true, exact: true });
    expectSameRows(await collectRows(scan().head(37)), expected, { orderMatters: true, exact: true });
  });

  it("limit after a filter, and limit(0)", async () => {
    const expected = await duckRows("SELECT * FROM mixed WHERE x > 90 ORDER BY rid LIMIT 5");
    expectSameRows(await collectRows(scan().filter(col("x").gt(90)).limit(5)), expected, { orderMatters: true, exact: true });
    const none = await scan().limit(0).collect();
    expect(none.numRows).toBe(0);
    expect(none.schema.fields.map((f) => f.name)).toEqual([...MIXED_COLUMNS]);
  });

  it("concat of frames equals UNION ALL", async () => {
    const actual = await collectRows(concat([
      scan().filter(col("g").eq(1)),
      scan(1).filter(col("cat").eq("beta")),
      scan(2).filter(col("x").isNull()),
    ]));
    const expected = await duckRows(`SELECT * FROM mixed WHERE g = 1 UNION ALL SELECT * FROM mixed WHERE cat = 'beta'
      UNION ALL SELECT * FROM mixed WHERE x IS NULL`);
    expectSameRows(actual, expected, { exact: true });
  });

  it("repartition, by a key or by count, does not change a group-by's answer", async () => {
    const expected = await duckRows("SELECT g, count(*) AS n, sum(x) AS x FROM mixed GROUP BY g");
    const byKey = await collectRows(scan().repartition(4, { by: ["g"] }).groupBy("g").agg(len().alias("n"), col("x").sum().alias("x")));
    expectSameRows(byKey, expected, { keys: ["g"] });
    const byCount = await collectRows(scan(1).repartition(5).groupBy("g").agg(len().alias("n"), col("x").sum().alias("x")));
    expectSameRows(byCount, expected, { keys: ["g"] });
  });

  it("fromColumns data joins a Parquet scan", async () => {
    const dim = fromColumns({ cat: ["alpha", "beta", "Epsilon", "zeta"], label: ["A", "B", "E", "Z"] });
    const actual = await collectRows(scan().join(dim, { on: "cat", how: "inner" }).groupBy("label").agg(len().alias("n")));
    const expected = await duckRows(`SELECT label, count(*) AS n FROM mixed
      JOIN (VALUES ('alpha', 'A'), ('beta', 'B'), ('Epsilon', 'E'), ('zeta', 'Z')) d(cat, label) USING (cat) GROUP BY label`);
    expectSameRows(actual, expected, { keys: ["label"] });
  });

  it("schema() lists the file's columns without running the query", async () => {
    const schema = await scan().select(col("rid"), col("x").alias("xx"), col("s")).schema();
    expect(fieldNames(schema)).toEqual(["rid", "xx", "s"]);
    expect(fieldNames(await scan().schema())).toEqual((await duckRows("SELECT * FROM mixed LIMIT 0")).columns);
  });
});

/** For each result row, the input row with its rid (or a row marking it missing): equal iff rows are whole input rows. */
async function inputRowsWithSameRid(actual: Rows): Promise<Rows> {
  const input = new Map<unknown, Row>((await duckRows("SELECT * FROM mixed")).map((r) => [r.rid, r]));
  return withColumnNames(actual.map((r) => input.get(r.rid) ?? { rid: r.rid, missing: "no input row has this rid" }), columnsOf(actual));
}

/** Field names of a schema, whether Tessera's `Field[]` or an Arrow `Schema`. */
function fieldNames(schema: unknown): string[] {
  const fields = Array.isArray(schema) ? schema : (schema as { fields: unknown[] }).fields;
  return fields.map((f) => (f as { name: string }).name);
}

describe.skipIf(!engineLanded)("fromArrow", () => {
  afterAll(closeDuck);

  it("an in-memory G1 table in 3 partitions answers q3 like DuckDB on the same data as Parquet", async () => {
    const opts = { n: 50_000, k: 100, nas: 2, seed: 9 };
    const table = g1Table(opts);
    const path = await g1Parquet(opts);
    const actual = await collectRows(
      fromArrow(table, { partitions: 3 }).groupBy("id3").agg(col("v1").sum().alias("v1"), col("v3").mean().alias("v3")),
    );
    const expected = await duckRows(`SELECT id3, sum(v1) AS v1, avg(v3) AS v3 FROM read_parquet(${sqlString(path)}) GROUP BY id3`);
    expectSameRows(actual, expected, { keys: ["id3"] });
  });

  it("collecting fromArrow unchanged gives the table back", async () => {
    const table = g1Table({ n: 10_000, k: 10, nas: 5, seed: 4 });
    expectSameRows(await collectRows(fromArrow(table, { partitions: 4 })), tableRows(table), { orderMatters: true, exact: true });
  });
});
