// Arithmetic, math and cast expressions against DuckDB, with nulls, negatives and division by zero.
import { afterAll, beforeAll, describe, it } from "vitest";
import { col, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { writeMixed } from "../support/mixed.js";

describe.skipIf(!engineLanded)("arithmetic and casts", () => {
  let path = "";
  const scan = () => scanParquet(path, { partitions: 2 });
  beforeAll(async () => {
    path = await writeMixed(tempDir("arith"));
  });
  afterAll(closeDuck);

  it("add, sub, mul, neg, abs on integers and floats (nulls propagate)", async () => {
    const actual = await collectRows(scan().select(
      col("rid"),
      col("i").add(col("j")).alias("i_add_j"), col("i").sub(col("j")).alias("i_sub_j"), col("i").mul(col("j")).alias("i_mul_j"),
      col("x").add(col("y")).alias("x_add_y"), col("x").sub(col("i")).alias("x_sub_i"), col("x").mul(col("y")).alias("x_mul_y"),
      col("i").neg().alias("neg_i"), col("x").abs().alias("abs_x"), col("i").abs().alias("abs_i"),
      col("i").mul(2).add(col("x").div(4)).alias("mixed"), col("i").add(1.5).alias("i_plus"),
    ));
    const expected = await duckRows(`SELECT rid, i + j AS i_add_j, i - j AS i_sub_j, i * j AS i_mul_j,
      x + y AS x_add_y, x - i AS x_sub_i, x * y AS x_mul_y, -i AS neg_i, abs(x) AS abs_x, abs(i) AS abs_i,
      i * 2 + x / 4 AS mixed, i + 1.5 AS i_plus FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("div is true division, also for two integers", async () => {
    const actual = await collectRows(scan().select(
      col("rid"), col("i").div(col("j")).alias("i_div_j"), col("x").div(col("y")).alias("x_div_y"), col("j").div(4).alias("j_div_4"),
    ));
    const expected = await duckRows("SELECT rid, i / j AS i_div_j, x / y AS x_div_y, j / 4 AS j_div_4 FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("float division by zero gives IEEE infinities and NaN, as DuckDB does", async () => {
    // i is 0 on some rows, so x / i meets ±x / 0; y * 0 is a float zero column, so i / (y * 0) meets 0 / 0 too.
    const actual = await collectRows(scan().select(
      col("rid"), col("x").div(col("i")).alias("x_div_i"), col("i").div(col("y").mul(0)).alias("i_div_0"),
    ));
    const expected = await duckRows("SELECT rid, x / i AS x_div_i, i / (y * 0) AS i_div_0 FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("mod of non-negative integers and of floats", async () => {
    const actual = await collectRows(scan().filter(col("i").gte(0)).select(
      col("rid"), col("i").mod(col("j")).alias("i_mod_j"), col("j").mod(3).alias("j_mod_3"), col("y").mod(1.5).alias("y_mod"),
    ));
    const expected = await duckRows("SELECT rid, i % j AS i_mod_j, j % 3 AS j_mod_3, y % 1.5 AS y_mod FROM mixed WHERE i >= 0");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("mod of negative numbers takes the dividend's sign (truncated, as JS % and SQL %)", async () => {
    const actual = await collectRows(scan().filter(col("i").lt(0).or(col("x").lt(0))).select(
      col("rid"), col("i").mod(col("j")).alias("i_mod_j"), col("x").mod(7).alias("x_mod_7"),
    ));
    const expected = await duckRows("SELECT rid, i % j AS i_mod_j, x % 7 AS x_mod_7 FROM mixed WHERE i < 0 OR x < 0");
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });

  it("pow, sqrt, exp, log, floor, ceil and the trigonometric functions", async () => {
    const actual = await collectRows(scan().select(
      col("rid"), col("x").pow(2).alias("x_sq"), col("y").pow(0.5).alias("y_root"), col("y").sqrt().alias("sqrt_y"),
      col("y").log().alias("ln_y"), col("y").exp().alias("exp_y"), col("x").floor().alias("floor_x"), col("x").ceil().alias("ceil_x"),
      col("x").sin().alias("sin_x"), col("x").cos().alias("cos_x"), col("y").tan().alias("tan_y"), col("x").atan().alias("atan_x"),
      col("x").asinh().alias("asinh_x"),
    ));
    const expected = await duckRows(`SELECT rid, pow(x, 2) AS x_sq, pow(y, 0.5) AS y_root, sqrt(y) AS sqrt_y, ln(y) AS ln_y,
      exp(y) AS exp_y, floor(x) AS floor_x, ceil(x) AS ceil_x, sin(x) AS sin_x, cos(x) AS cos_x, tan(y) AS tan_y,
      atan(x) AS atan_x, asinh(x) AS asinh_x FROM mixed`);
    // libm and V8's Math may differ in the last bit.
    expectSameRows(actual, expected, { keys: ["rid"], relTol: 1e-12 });
  });

  it("integer bitAnd and shiftRight on non-negative values", async () => {
    const actual = await collectRows(scan().filter(col("i").gte(0)).select(
      col("rid"), col("i").bitAnd(6).alias("and6"), col("j").shiftRight(1).alias("j_shr"),
    ));
    const expected = await duckRows("SELECT rid, i & 6 AS and6, j >> 1 AS j_shr FROM mixed WHERE i >= 0");
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("cast between numbers, strings, booleans, dates and timestamps", async () => {
    const actual = await collectRows(scan().select(
      col("rid"),
      col("i").cast("float64").alias("i_f"), col("i").cast("utf8").alias("i_s"), col("num_str").cast("int64").alias("n_i"),
      col("dec_str").cast("float64").alias("dec_f"), col("b").cast("int32").alias("b_i"), col("x").floor().cast("int64").alias("x_i"),
      col("ts").cast("date32").alias("ts_d"), col("d").cast("timestamp[us]").alias("d_ts"), col("j").cast("int8").alias("j_i8"),
    ));
    const expected = await duckRows(`SELECT rid, i::DOUBLE AS i_f, i::VARCHAR AS i_s, num_str::BIGINT AS n_i,
      dec_str::DOUBLE AS dec_f, b::INTEGER AS b_i, floor(x)::BIGINT AS x_i, ts::DATE AS ts_d, d::TIMESTAMP AS d_ts,
      j::TINYINT AS j_i8 FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"], exact: true });
  });
});
