// Pivot, top-k per group, row index, concatStr, str.replaceAll, str.matches and casts to Python text, against DuckDB.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, concatStr, fromColumns, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows } from "../support/duck.js";
import { collectRows, failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { writeMixed } from "../support/mixed.js";

describe("string verbs on the mixed table", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("verbs"));
  });
  afterAll(closeDuck);

  it("concatStr joins texts (dictionary and plain, numbers cast) and is null when any input is", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 3 }).select(
      col("rid"),
      concatStr(["cat", "code"], "__").alias("cc"),
      concatStr([col("s"), col("j")], "/").alias("sj"),
      concatStr(["cat"]).alias("alone"),
    ));
    const expected = await duckRows(`SELECT rid, cat || '__' || code AS cc, s || '/' || CAST(j AS VARCHAR) AS sj, cat AS alone FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("str.replaceAll replaces every literal occurrence, left to right, on plain and dictionary columns", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).select(
      col("rid"),
      col("s").str.replaceAll("an", "<AN>").alias("s1"),
      col("s").str.replaceAll("a", "").alias("s2"),
      col("cat").str.replaceAll("ta", "TATA").alias("c1"),
      col("s").str.replaceAll("", "x").alias("s3"),
    ));
    const expected = await duckRows(`SELECT rid, replace(s, 'an', '<AN>') AS s1, replace(s, 'a', '') AS s2, replace(cat, 'ta', 'TATA') AS c1, s AS s3 FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("str.matches finds a regular expression anywhere (anchors for whole texts)", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).select(
      col("rid"),
      col("code").str.matches("^[A-M][A-Z]-[0-9]{2}$").alias("short_code"),
      col("s").str.matches("an+").alias("has_an"),
      col("cat").str.matches("^[a-z]+a$").alias("ends_a"),
      col("s").str.matches("^\\s*$").alias("blank"),
    ));
    const expected = await duckRows(`SELECT rid, regexp_matches(code, '^[A-M][A-Z]-[0-9]{2}$') AS short_code, regexp_matches(s, 'an+') AS has_an,
      regexp_matches(cat, '^[a-z]+a$') AS ends_a, regexp_matches(s, '^\\s*$') AS blank FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("str.matches refuses patterns that could backtrack without bound, at plan time, naming the pattern", async () => {
    for (const p of ["(a+)+$", "(a|aa)*b", "(x)\\1", "a(?=b)"]) {
      const e = await failure(() => scanParquet(path).select(col("s").str.matches(p)).collect());
      expect(e).toMatchObject({ code: "UNSAFE_REGEX" });
      expect(e.message).toContain(JSON.stringify(p));
    }
    expect(await failure(() => scanParquet(path).select(col("s").str.matches("(")).collect())).toMatchObject({ code: "BAD_ARGUMENT" });
  });

  it("cast to utf8 with numberFormat python spells floats as Python's str(), integers as digits, booleans True/False", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).select(
      col("rid"),
      col("x").cast("utf8", { numberFormat: "python" }).alias("x"),
      col("y").cast("utf8", { numberFormat: "python" }).alias("y"),
      col("i").cast("utf8", { numberFormat: "python" }).alias("i"),
      col("b").cast("utf8", { numberFormat: "python" }).alias("b"),
    ));
    // DuckDB spells doubles with the shortest round-trip digits and a ".0" on whole numbers, as Python does.
    const expected = await duckRows(`SELECT rid, CAST(x AS VARCHAR) AS x, CAST(y AS VARCHAR) AS y, CAST(i AS VARCHAR) AS i,
      CASE WHEN b IS NULL THEN NULL WHEN b THEN 'True' ELSE 'False' END AS b FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });
});

describe("python number text", () => {
  it("spells the cases Python's str() spells differently from JavaScript (spec vectors)", async () => {
    const x = [1e-5, 1.5e-7, 1e16, 1.2345e20, 1, 100, 0.0001, 86.47999999999999, 1559372400000, 9999999999999998, -0, NaN, Infinity, -Infinity, 0.1 + 0.2];
    const t = await fromColumns({ x: Float64Array.from(x) }).select(col("x").cast("utf8", { numberFormat: "python" })).collect();
    expect(Array.from(t.getChild("x")!, String)).toEqual([
      "1e-05", "1.5e-07", "1e+16", "1.2345e+20", "1.0", "100.0", "0.0001", "86.47999999999999", "1559372400000.0", "9999999999999998.0",
      "-0.0", "nan", "inf", "-inf", "0.30000000000000004",
    ]);
  });
});

describe("frame verbs on the mixed table", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("verbs-frame"));
  });
  afterAll(closeDuck);

  it("withRowIndex numbers rows in the frame's order across partitions, from an offset", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 4 }).filter(col("j").gt(10)).withRowIndex("n", { offset: 5 }).select("rid", "n"));
    const expected = await duckRows("SELECT rid, CAST(row_number() OVER (ORDER BY rid) + 4 AS BIGINT) AS n FROM mixed WHERE j > 10");
    expectSameRows(actual, expected, { keys: ["rid"] });
    const whole = await collectRows(scanParquet(path, { partitions: 3 }).withRowIndex().select("rid", "index"));
    expect(whole.every((r) => Number(r["index"]) === r["rid"])).toBe(true);
  });

  it("groupBy().topK keeps the k first rows per group in `by` order, ties in the frame's order", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 4 }).groupBy("g").topK(3, { by: ["j", "x"], descending: [true, false] }).select("g", "rid"));
    const expected = await duckRows(`SELECT g, rid FROM mixed QUALIFY row_number() OVER (PARTITION BY g ORDER BY j DESC, x ASC NULLS LAST, rid) <= 3`);
    expectSameRows(actual, expected, { keys: ["g", "rid"] });
    const smallest = await collectRows(scanParquet(path, { partitions: 2 }).groupBy("cat", "b").topK(1, { by: "y" }).select("cat", "b", "rid"));
    const oracle = await duckRows("SELECT cat, b, rid FROM mixed QUALIFY row_number() OVER (PARTITION BY cat, b ORDER BY y, rid) = 1");
    expectSameRows(smallest, oracle, { keys: ["cat", "b", "rid"] });
  });

  it("topK after a repartition by its keys runs per partition and agrees", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 3 }).repartition(4, { by: "cat" }).groupBy("cat").topK(2, { by: "rid", descending: true }).select("cat", "rid"));
    const expected = await duckRows("SELECT cat, rid FROM mixed QUALIFY row_number() OVER (PARTITION BY cat ORDER BY rid DESC) <= 2");
    expectSameRows(actual, expected, { keys: ["cat", "rid"] });
  });

  it("pivot: one row per index, one column per `on` value (sorted, read from the data), cells aggregated", async () => {
    // DuckDB's identifiers ignore case, so "Epsilon" and "epsilon" would collide there: the oracle's input leaves one out.
    const frame = scanParquet(path, { partitions: 3 }).filter(col("cat").isNotNull().and(col("cat").neq("Epsilon")));
    const actual = await collectRows(frame.pivot({ index: "g", on: "cat", values: "x", agg: "sum" }));
    const expected = await duckRows("PIVOT (SELECT g, cat, x FROM mixed WHERE cat IS NOT NULL AND cat <> 'Epsilon') ON cat USING sum(x) GROUP BY g");
    expectSameRows(actual, expected, { keys: ["g"] });
    expect(Object.keys(actual[0] ?? {})).toEqual(["g", "alpha", "beta", "delta", "epsilon", "gamma"]);
  });

  it("pivot with several value columns and given columns names them value_column", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).pivot({ index: ["g", "b"], on: "j", values: ["x", "y"], agg: "max", columns: [1, 2, 3] }));
    const expected = await duckRows(`SELECT g, b,
      max(x) FILTER (WHERE j = 1) AS x_1, max(x) FILTER (WHERE j = 2) AS x_2, max(x) FILTER (WHERE j = 3) AS x_3,
      max(y) FILTER (WHERE j = 1) AS y_1, max(y) FILTER (WHERE j = 2) AS y_2, max(y) FILTER (WHERE j = 3) AS y_3
      FROM mixed GROUP BY g, b`);
    expectSameRows(actual, expected, { keys: ["g", "b"] });
  });
});
