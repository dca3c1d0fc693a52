// Checks the test support itself (DuckDB oracle, row comparison, G1 generator) without Tessera.
import { readFileSync, statSync } from "node:fs";
import * as arrow from "apache-arrow";
import { readParquet } from "parquet-wasm/node";
import { afterAll, describe, expect, it } from "vitest";
import { diffRows, expectSameRows, tableRows } from "./compare.js";
import { closeDuck, duckRows, duckRun, duckValue, sqlString } from "./duck.js";
import { G1_COLUMNS, g1Parquet, g1Table, mulberry32 } from "./g1.js";
import { withColumnNames } from "./plain.js";
import type { Rows } from "./plain.js";
import { tempDir } from "./files.js";

afterAll(closeDuck);

const rows = (cols: string[], data: unknown[][]): Rows =>
  withColumnNames(data.map((r) => Object.fromEntries(cols.map((c, i) => [c, r[i]]))), cols);

describe("duckRows converts DuckDB values to the plain-JS convention", () => {
  it("maps each type as plain.ts documents", async () => {
    const [row] = await duckRows(`SELECT
      DATE '2021-03-04' AS d, DATE '1969-12-31' AS d_neg,
      TIMESTAMP '2021-03-04 05:06:07.123456' AS ts, TIMESTAMP_S '1970-01-01 00:00:10' AS ts_s,
      TIMESTAMP_MS '1970-01-01 00:00:00.250' AS ts_ms, TIMESTAMP_NS '1970-01-01 00:00:00.000000500' AS ts_ns,
      TIMESTAMP '1969-12-31 23:59:59.999500' AS ts_neg,
      12.34::DECIMAL(10, 2) AS dec, 5::HUGEINT AS huge, 9007199254740993::BIGINT AS unsafe,
      42::BIGINT AS big, 7::TINYINT AS tiny, 1.5::FLOAT AS f, 'NaN'::DOUBLE AS nan,
      NULL::INTEGER AS n, true AS b, 'x''y' AS s`);
    expect(row).toEqual({
      d: "2021-03-04", d_neg: "1969-12-31",
      ts: Date.UTC(2021, 2, 4, 5, 6, 7, 123) + 0.456, ts_s: 10_000, ts_ms: 250, ts_ns: 0.0005, ts_neg: -0.5,
      dec: 12.34, huge: 5, unsafe: 9007199254740993n, big: 42, tiny: 7, f: 1.5, nan: Number.NaN,
      n: null, b: true, s: "x'y",
    });
  });

  it("keeps column names for an empty result", async () => {
    const r = await duckRows("SELECT 1 AS a, 'x' AS b WHERE false");
    expect(r.length).toBe(0);
    expect(r.columns).toEqual(["a", "b"]);
  });
});

describe("tableRows agrees with duckRows on the same Parquet file", () => {
  it("converts dates, timestamps, decimals, 64-bit ints, strings and nulls the same way", async () => {
    const dir = tempDir("selftest-types");
    const path = `${dir}/types.parquet`;
    await duckRun(`COPY (
      SELECT i, i::BIGINT * 1000000007 AS big, (i * 0.25)::DECIMAL(12, 3) AS dec, i / 7 AS dbl,
        CASE WHEN i % 5 = 0 THEN NULL ELSE 'str' || i END AS s, i % 2 = 0 AS b,
        DATE '1969-12-25' + i::INTEGER AS d, make_timestamp(-3599999750 + i * 37 * 60 * 1000000) AS ts
      FROM range(0, 200) t(i)) TO ${sqlString(path)} (FORMAT parquet)`);
    const table = arrow.tableFromIPC(readParquet(new Uint8Array(readFileSync(path))).intoIPCStream());
    const expected = await duckRows(`SELECT * FROM read_parquet(${sqlString(path)})`);
    expectSameRows(tableRows(table), expected, { orderMatters: true, exact: true });
    expect(expected.filter((r) => r.s === null).length).toBe(40);
  });

  it("decodes dictionary columns split over several chunks and slices", () => {
    const dictType = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
    const a = arrow.vectorFromArray(["x", null, "y", "x"], dictType);
    const b = arrow.vectorFromArray(["z", "x", null], dictType);
    const t = new arrow.Table({ k: a.concat(b).slice(1, 6) });
    expectSameRows(tableRows(t), rows(["k"], [[null], ["y"], ["x"], ["z"], ["x"]]), { orderMatters: true });
  });
});

describe("expectSameRows", () => {
  const cols = ["k", "v"];
  const base = rows(cols, [[1, 0.5], [2, null], [3, Number.NaN], ["a", 10]]);

  it("accepts equal rows in another order, NaN = NaN, null = null, floats within tolerance", () => {
    const shuffled = rows(cols, [[3, Number.NaN], ["a", 10 * (1 + 1e-12)], [2, null], [1, 0.5]]);
    expect(diffRows(shuffled, base)).toBeNull();
  });

  it("reports a value outside the tolerance, naming the column and both values", () => {
    const off = rows(cols, [[1, 0.5 + 1e-6], [2, null], [3, Number.NaN], ["a", 10]]);
    const msg = diffRows(off, base);
    expect(msg).toMatch(/v: actual 0\.500001 \(number\) vs expected 0\.5 \(number\)/);
  });

  it("tells null from 0, a number from a string, and NaN from a number", () => {
    expect(diffRows(rows(cols, [[2, 0]]), rows(cols, [[2, null]]))).not.toBeNull();
    expect(diffRows(rows(cols, [["1", 1]]), rows(cols, [[1, 1]]))).not.toBeNull();
    expect(diffRows(rows(cols, [[1, Number.NaN]]), rows(cols, [[1, 0]]))).not.toBeNull();
  });

  it("detects missing, extra and duplicated rows", () => {
    expect(diffRows(rows(cols, [[1, 1]]), rows(cols, [[1, 1], [2, 2]]))).toMatch(/missing row in actual/);
    expect(diffRows(rows(cols, [[1, 1], [2, 2]]), rows(cols, [[1, 1]]))).toMatch(/unexpected row in actual/);
    expect(diffRows(rows(cols, [[1, 1], [1, 1], [2, 2]]), rows(cols, [[1, 1], [2, 2], [2, 2]]))).not.toBeNull();
  });

  it("compares column names, in order unless told otherwise", () => {
    expect(diffRows(rows(["v", "k"], [[1, 1]]), rows(cols, [[1, 1]]))).toMatch(/column names differ/);
    expect(diffRows(rows(["v", "k"], [[2, 1]]), rows(cols, [[1, 2]]), { ignoreColumnOrder: true })).toBeNull();
    expect(diffRows(rows(["k", "w"], [[1, 1]]), rows(cols, [[1, 1]]), { ignoreColumnOrder: true })).toMatch(/column names differ/);
  });

  it("checks order when orderMatters, and only then", () => {
    const a = rows(cols, [[1, 1], [2, 2]]);
    const b = rows(cols, [[2, 2], [1, 1]]);
    expect(diffRows(a, b)).toBeNull();
    expect(diffRows(a, b, { orderMatters: true })).toMatch(/2 rows differ/);
  });

  it("is bit-for-bit with exact, and honours absTol near zero", () => {
    const x = rows(["v"], [[0.1 + 0.2]]);
    const y = rows(["v"], [[0.3]]);
    expect(diffRows(x, y)).toBeNull();
    expect(diffRows(x, y, { exact: true })).not.toBeNull();
    expect(diffRows(rows(["v"], [[1e-30]]), rows(["v"], [[0]]))).not.toBeNull();
    expect(diffRows(rows(["v"], [[1e-30]]), rows(["v"], [[0]]), { absTol: 1e-12 })).toBeNull();
  });

  it("throws with the report", () => {
    expect(() => expectSameRows(rows(cols, [[1, 2]]), rows(cols, [[1, 3]]), { keys: ["k"] })).toThrow(/key k=1: v: actual 2/);
    expect(() => expectSameRows(rows(cols, [[1, 2]]), rows(cols, [[1, 3]]))).toThrow(/missing row in actual: +\{ k: 1, v: 3 \}/);
  });
});

describe("G1 generator", () => {
  it("mulberry32 is deterministic per seed and stays in [0, 1)", () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const c = mulberry32(8);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    expect(xs).not.toEqual(Array.from({ length: 1000 }, () => c()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("builds the documented Arrow types, deterministically per seed", () => {
    const t = g1Table({ n: 5000, k: 10 });
    expect(t.schema.fields.map((f) => f.name)).toEqual([...G1_COLUMNS]);
    expect(t.schema.fields.map((f) => String(f.type))).toEqual([
      "Dictionary<Int32, Utf8>", "Dictionary<Int32, Utf8>", "Dictionary<Int32, Utf8>",
      "Int32", "Int32", "Int32", "Int32", "Int32", "Float64",
    ]);
    expectSameRows(tableRows(g1Table({ n: 5000, k: 10 })), tableRows(t), { orderMatters: true, exact: true });
    expect(diffRows(tableRows(g1Table({ n: 5000, k: 10, seed: 1 })), tableRows(t), { orderMatters: true })).not.toBeNull();
  });

  it("writes a Parquet file DuckDB reads back row for row, nulls included", async () => {
    const opts = { n: 20_000, k: 10, nas: 5, seed: 3 };
    const path = await g1Parquet(opts);
    const back = await duckRows(`SELECT * FROM read_parquet(${sqlString(path)})`);
    expectSameRows(back, tableRows(g1Table(opts)), { orderMatters: true, exact: true });
    const nulls = await duckRows(`SELECT ${G1_COLUMNS.map((c) => `count(*) - count(${c}) AS ${c}`).join(", ")} FROM read_parquet(${sqlString(path)})`);
    expect(Object.values(nulls[0] ?? {})).toEqual(G1_COLUMNS.map(() => 1000));
    const types = await duckRows(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${sqlString(path)}))`);
    expect(types.map((r) => r.column_type)).toEqual(["VARCHAR", "VARCHAR", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "DOUBLE"]);
  });

  it("has db-benchmark's cardinalities and value ranges", async () => {
    const path = await g1Parquet({ n: 100_000, k: 100 });
    const [s] = await duckRows(`SELECT
        count(*) AS n, count(DISTINCT id1) AS id1, count(DISTINCT id2) AS id2, count(DISTINCT id3) AS id3,
        count(DISTINCT id4) AS id4, count(DISTINCT id5) AS id5, count(DISTINCT id6) AS id6,
        min(v1) AS v1_min, max(v1) AS v1_max, min(v2) AS v2_min, max(v2) AS v2_max,
        min(v3) AS v3_min, max(v3) AS v3_max, count(*) FILTER (WHERE round(v3, 6) <> v3) AS v3_unrounded,
        count(*) FILTER (WHERE NOT regexp_full_match(id1, 'id[0-9]{3}')) AS id1_bad,
        count(*) FILTER (WHERE NOT regexp_full_match(id3, 'id[0-9]{10}')) AS id3_bad,
        max(id4) AS id4_max, max(id6) AS id6_max
      FROM read_parquet(${sqlString(path)})`);
    expect(s).toMatchObject({ n: 100_000, id1: 100, id2: 100, id4: 100, id5: 100, id4_max: 100, id6_max: 1000 });
    expect(s).toMatchObject({ v1_min: 1, v1_max: 5, v2_min: 1, v2_max: 15, v3_unrounded: 0, id1_bad: 0, id3_bad: 0 });
    // 100 draws per group from 1000 groups: every group appears (P(some group empty) < 1e-40).
    expect(s).toMatchObject({ id3: 1000, id6: 1000 });
    expect(s?.v3_min as number).toBeGreaterThanOrEqual(0);
    expect(s?.v3_max as number).toBeLessThan(100);
    // Uniform draws: each v1 value holds about a fifth of the rows.
    const shares = await duckRows(`SELECT v1, count(*) / 100000 AS share FROM read_parquet(${sqlString(path)}) GROUP BY v1`);
    for (const r of shares) expect(Math.abs((r.share as number) - 0.2)).toBeLessThan(0.01);
  });

  it("reuses the cached file", async () => {
    const opts = { n: 20_000, k: 10, nas: 5, seed: 3 };
    const path = await g1Parquet(opts);
    const before = statSync(path).mtimeMs;
    expect(await g1Parquet(opts)).toBe(path);
    expect(statSync(path).mtimeMs).toBe(before);
    expect(await duckValue(`SELECT count(*) FROM read_parquet(${sqlString(path)})`)).toBe(20_000);
  });
});
