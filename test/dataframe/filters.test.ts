// Filters against DuckDB: comparisons, between, isIn, and/or/not with nulls (Kleene), isNull, on plain and dictionary columns.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, lit, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";
import { writeMixed } from "../support/mixed.js";

type Pred = ReturnType<typeof col>;

interface FilterCase {
  name: string;
  pred: () => Pred;
  where: string;
}

// Only rows whose predicate is true pass; null and false both drop the row (SQL WHERE).
const CASES: FilterCase[] = [
  { name: "int gt", pred: () => col("i").gt(10), where: "i > 10" },
  { name: "float lte a negative literal", pred: () => col("x").lte(-12.5), where: "x <= -12.5" },
  { name: "int eq", pred: () => col("i").eq(0), where: "i = 0" },
  { name: "int neq (nulls dropped)", pred: () => col("i").neq(3), where: "i <> 3" },
  { name: "int gte float literal", pred: () => col("i").gte(2.5), where: "i >= 2.5" },
  { name: "string eq", pred: () => col("s").eq("Banana"), where: "s = 'Banana'" },
  { name: "string lt (byte order)", pred: () => col("s").lt("a"), where: "s < 'a'" },
  { name: "column vs column", pred: () => col("x").gt(col("y")), where: "x > y" },
  { name: "int between (inclusive)", pred: () => col("i").between(-5, 5), where: "i BETWEEN -5 AND 5" },
  { name: "float between", pred: () => col("x").between(-1.5, 20.25), where: "x BETWEEN -1.5 AND 20.25" },
  { name: "string between", pred: () => col("cat").between("b", "e"), where: "cat BETWEEN 'b' AND 'e'" },
  { name: "isIn ints", pred: () => col("g").isIn([1, 3, 5, 42]), where: "g IN (1, 3, 5, 42)" },
  { name: "isIn strings", pred: () => col("cat").isIn(["alpha", "gamma", "nope"]), where: "cat IN ('alpha', 'gamma', 'nope')" },
  { name: "and", pred: () => col("i").gt(0).and(col("x").lt(0)), where: "i > 0 AND x < 0" },
  { name: "or", pred: () => col("g").eq(1).or(col("cat").eq("beta")), where: "g = 1 OR cat = 'beta'" },
  { name: "not (null stays null, so dropped)", pred: () => col("i").gt(0).not(), where: "NOT (i > 0)" },
  { name: "boolean columns: b and not b2", pred: () => col("b").and(col("b2").not()), where: "b AND NOT b2" },
  { name: "boolean columns: b or b2 (null or true is true)", pred: () => col("b").or(col("b2")), where: "b OR b2" },
  { name: "boolean column alone", pred: () => col("b"), where: "b" },
  { name: "nested and/or/not", pred: () => col("i").lt(-20).or(col("g").isIn([2, 4]).and(col("s").isNotNull().not())), where: "i < -20 OR (g IN (2, 4) AND NOT (s IS NOT NULL))" },
  { name: "isNull", pred: () => col("x").isNull(), where: "x IS NULL" },
  { name: "isNotNull and isNull", pred: () => col("s").isNotNull().and(col("i").isNull()), where: "s IS NOT NULL AND i IS NULL" },
  { name: "arithmetic in the predicate", pred: () => col("j").mod(3).eq(0).and(col("x").mul(2).gt(col("y"))), where: "j % 3 = 0 AND x * 2 > y" },
  { name: "literal true keeps everything", pred: () => lit(true), where: "true" },
  { name: "a predicate nothing satisfies", pred: () => col("j").gt(1000), where: "j > 1000" },
];

describe.skipIf(!engineLanded)("filters on the mixed table", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("filters"));
  });
  afterAll(closeDuck);

  for (const c of CASES) {
    it(`${c.name}: same rows as DuckDB WHERE ${c.where}`, async () => {
      const actual = await collectRows(scanParquet(path, { partitions: 3 }).filter(c.pred()));
      const expected = await duckRows(`SELECT * FROM mixed WHERE ${c.where}`);
      expectSameRows(actual, expected, { keys: ["rid"], exact: true });
    });
  }

  it("a filter keeps the file's row order", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 3 }).filter(col("i").gt(0)));
    const expected = await duckRows("SELECT * FROM mixed WHERE i > 0 ORDER BY rid");
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });

  it("filter on a column that is then projected away", async () => {
    const actual = await collectRows(scanParquet(path).filter(col("x").gt(50).and(col("cat").neq("beta"))).select(col("rid"), col("s")));
    const expected = await duckRows("SELECT rid, s FROM mixed WHERE x > 50 AND cat <> 'beta'");
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("two filters in a row equal their conjunction", async () => {
    const actual = await collectRows(scanParquet(path).filter(col("i").gt(-10)).filter(col("b2").not()));
    const expected = await duckRows("SELECT * FROM mixed WHERE i > -10 AND NOT b2");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("an empty result still has the table's columns", async () => {
    const table = await scanParquet(path).filter(col("j").lt(0)).collect();
    expect(table.numRows).toBe(0);
    const expected = await duckRows("SELECT * FROM mixed WHERE j < 0");
    expect(table.schema.fields.map((f) => f.name)).toEqual(expected.columns);
  });
});

describe.skipIf(!engineLanded)("filters on dictionary-encoded G1 columns (1e5 rows, 5% nulls)", () => {
  let path = "";
  beforeAll(async () => {
    path = await g1Parquet({ n: 100_000, k: 100, nas: 5, rowGroupSize: 20_000 });
    await duckRun(`CREATE OR REPLACE TABLE x AS SELECT * FROM read_parquet(${sqlString(path)})`);
  });
  afterAll(closeDuck);

  const cases: FilterCase[] = [
    { name: "string eq on id1", pred: () => col("id1").eq("id042"), where: "id1 = 'id042'" },
    { name: "string isIn on id2", pred: () => col("id2").isIn(["id001", "id050", "id100"]), where: "id2 IN ('id001', 'id050', 'id100')" },
    { name: "startsWith on id3", pred: () => col("id3").str.startsWith("id00000001"), where: "starts_with(id3, 'id00000001')" },
    { name: "string range on id3 and int on id4", pred: () => col("id3").gte("id0000000500").and(col("id4").lt(10)), where: "id3 >= 'id0000000500' AND id4 < 10" },
    { name: "null key rows", pred: () => col("id1").isNull().or(col("v3").isNull()), where: "id1 IS NULL OR v3 IS NULL" },
  ];
  for (const c of cases) {
    it(`${c.name}: same rows as DuckDB WHERE ${c.where}`, async () => {
      const actual = await collectRows(scanParquet(path, { partitions: 4 }).filter(c.pred()));
      const expected = await duckRows(`SELECT * FROM x WHERE ${c.where}`);
      expectSameRows(actual, expected, { exact: true });
    });
  }
});
