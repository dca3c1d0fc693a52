// Null semantics against DuckDB: fillNull, when/then/otherwise, Kleene logic, aggregates skipping nulls, null group keys.
import { afterAll, beforeAll, describe, it } from "vitest";
import { col, len, lit, scanParquet, when } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { writeMixed } from "../support/mixed.js";

describe.skipIf(!engineLanded)("null semantics", () => {
  let path = "";
  const scan = () => scanParquet(path, { partitions: 3 });
  beforeAll(async () => {
    path = await writeMixed(tempDir("nulls"));
  });
  afterAll(closeDuck);

  it("fillNull with literals of each type and with another column", async () => {
    const actual = await collectRows(scan().select(
      col("rid"),
      col("i").fillNull(0).alias("i0"),
      col("x").fillNull(-1.5).alias("x0"),
      col("s").fillNull("none").alias("s0"),
      col("b").fillNull(false).alias("b0"),
      col("x").fillNull(col("y")).alias("xy"),
    ));
    const expected = await duckRows(`SELECT rid, COALESCE(i, 0) AS i0, COALESCE(x, -1.5) AS x0, COALESCE(s, 'none') AS s0,
      COALESCE(b, false) AS b0, COALESCE(x, y) AS xy FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("when/then/otherwise: a null condition takes the otherwise branch; branches are tried in order", async () => {
    const actual = await collectRows(scan().select(
      col("rid"),
      when(col("i").gt(0)).then(lit("pos")).when(col("i").lt(0)).then(lit("neg")).otherwise(lit("zero or null")).alias("sign"),
      when(col("b")).then(col("x")).otherwise(col("y").neg()).alias("pick"),
      when(col("g").eq(1)).then(col("i")).otherwise(lit(null)).alias("only_g1"),
      when(col("x").isNull()).then(lit(0)).otherwise(col("x").mul(2)).alias("x2"),
    ));
    const expected = await duckRows(`SELECT rid,
      CASE WHEN i > 0 THEN 'pos' WHEN i < 0 THEN 'neg' ELSE 'zero or null' END AS sign,
      CASE WHEN b THEN x ELSE -y END AS pick,
      CASE WHEN g = 1 THEN i ELSE NULL END AS only_g1,
      CASE WHEN x IS NULL THEN 0 ELSE x * 2 END AS x2 FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("comparisons and arithmetic with null give null; isNull / isNotNull never do", async () => {
    const actual = await collectRows(scan().select(
      col("rid"),
      col("i").gt(0).alias("gt"), col("i").eq(col("g")).alias("eq"), col("i").add(col("g")).alias("sum"),
      col("x").isNull().alias("x_null"), col("s").isNotNull().alias("s_set"),
    ));
    const expected = await duckRows(`SELECT rid, i > 0 AS gt, i = g AS eq, i + g AS sum, x IS NULL AS x_null,
      s IS NOT NULL AS s_set FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("and / or / not follow three-valued (Kleene) logic", async () => {
    const actual = await collectRows(scan().select(
      col("rid"), col("b").and(col("b2")).alias("and"), col("b").or(col("b2")).alias("or"), col("b").not().alias("not"),
    ));
    const expected = await duckRows('SELECT rid, b AND b2 AS "and", b OR b2 AS "or", NOT b AS "not" FROM mixed');
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("aggregates skip nulls; null keys form one group", async () => {
    const actual = await collectRows(scan().groupBy("cat").agg(
      col("i").sum().alias("sum_i"), col("x").mean().alias("mean_x"), col("x").min().alias("min_x"), col("x").max().alias("max_x"),
      col("x").count().alias("count_x"), len().alias("n"), col("x").std().alias("std_x"), col("x").var().alias("var_x"),
      col("x").median().alias("median_x"), col("x").quantile(0.25).alias("q25_x"), col("g").nUnique().alias("distinct_g"),
      col("s").min().alias("min_s"), col("s").max().alias("max_s"), col("d").min().alias("min_d"), col("ts").max().alias("max_ts"),
    ));
    const expected = await duckRows(`SELECT cat, sum(i) AS sum_i, avg(x) AS mean_x, min(x) AS min_x, max(x) AS max_x,
      count(x) AS count_x, count(*) AS n, stddev_samp(x) AS std_x, var_samp(x) AS var_x,
      quantile_cont(x, 0.5) AS median_x, quantile_cont(x, 0.25) AS q25_x, count(DISTINCT g) AS distinct_g,
      min(s) AS min_s, max(s) AS max_s, min(d) AS min_d, max(ts) AS max_ts FROM mixed GROUP BY cat`);
    expectSameRows(actual, expected, { keys: ["cat"] });
  });

  it("several keys with nulls group like SQL GROUP BY", async () => {
    const actual = await collectRows(scan().groupBy("g", "cat", "b").agg(len().alias("n"), col("y").sum().alias("y")));
    const expected = await duckRows("SELECT g, cat, b, count(*) AS n, sum(y) AS y FROM mixed GROUP BY g, cat, b");
    expectSameRows(actual, expected, { keys: ["g", "cat", "b"] });
  });

  it("a group whose values are all null: count 0, and sum, mean, min, max, std null (as SQL)", async () => {
    // In the mixed table x is null on every row with g = 9.
    const actual = await collectRows(scan().groupBy("g").agg(
      col("x").count().alias("count_x"), col("x").sum().alias("sum_x"), col("x").mean().alias("mean_x"),
      col("x").min().alias("min_x"), col("x").max().alias("max_x"), col("x").std().alias("std_x"),
    ));
    const expected = await duckRows(`SELECT g, count(x) AS count_x, sum(x) AS sum_x, avg(x) AS mean_x, min(x) AS min_x,
      max(x) AS max_x, stddev_samp(x) AS std_x FROM mixed GROUP BY g`);
    expectSameRows(actual, expected, { keys: ["g"] });
  });

  it("std and var of a one-row group are null (sample statistics)", async () => {
    const actual = await collectRows(scan().filter(col("rid").lt(300)).groupBy("rid").agg(
      col("y").std().alias("std_y"), col("y").var().alias("var_y"), col("y").mean().alias("mean_y"),
    ));
    const expected = await duckRows(`SELECT rid, stddev_samp(y) AS std_y, var_samp(y) AS var_y, avg(y) AS mean_y
      FROM mixed WHERE rid < 300 GROUP BY rid`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("a global aggregate (select of aggregates, no group-by) gives one row", async () => {
    const actual = await collectRows(scan().select(
      col("x").sum().alias("sum_x"), col("x").count().alias("count_x"), len().alias("n"), col("i").min().alias("min_i"),
      col("s").nUnique().alias("distinct_s"),
    ));
    const expected = await duckRows(`SELECT sum(x) AS sum_x, count(x) AS count_x, count(*) AS n, min(i) AS min_i,
      count(DISTINCT s) AS distinct_s FROM mixed`);
    expectSameRows(actual, expected, {});
  });

  it("first and last follow the frame's order within each group, nulls included", async () => {
    const actual = await collectRows(
      scan().sort(["ts", "rid"], { descending: [false, false], nullsLast: true })
        .groupBy("cat").agg(col("x").first().alias("first_x"), col("x").last().alias("last_x"), col("s").first().alias("first_s")),
    );
    const expected = await duckRows(`SELECT cat, first(x ORDER BY ts NULLS LAST, rid) AS first_x,
      last(x ORDER BY ts NULLS LAST, rid) AS last_x, first(s ORDER BY ts NULLS LAST, rid) AS first_s FROM mixed GROUP BY cat`);
    expectSameRows(actual, expected, { keys: ["cat"], exact: true });
  });
});
