// Joins of every kind (inner, left, right, full, semi, anti) against DuckDB: nulls, duplicate keys, multi-key, suffixes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { g1Parquet, mulberry32 } from "../support/g1.js";
import { intIn, maybeNull, pick, writeParquet } from "../support/tables.js";
import type { ColumnSpec } from "../support/tables.js";

type How = "inner" | "left" | "right" | "full" | "semi" | "anti";
const OUTER: How[] = ["inner", "left", "right", "full"];

const LEFT_COLS = ["lid", "k", "s", "v", "name", "w"];
const RIGHT_COLS = ["rid", "k", "s", "v", "w", "tag"];
const SUFFIX = "_r";

/** Left: 400 rows, keys k in 0..29 and s in a..h with ~10% nulls each, so keys repeat on both sides. */
function leftTable(): ColumnSpec[] {
  const rand = mulberry32(21);
  const n = 400;
  const rows = Array.from({ length: n }, (_, r) => ({
    lid: r,
    k: maybeNull(rand, 0.1, () => intIn(rand, 0, 29)),
    s: maybeNull(rand, 0.1, () => pick(rand, ["a", "b", "c", "d", "e", "f", "g", "h"])),
    v: Math.round(rand() * 1e6) / 1e3,
    name: `L${r}`,
    w: intIn(rand, -5, 5),
  }));
  return [
    { name: "lid", type: "INTEGER", values: rows.map((r) => r.lid) },
    { name: "k", type: "INTEGER", values: rows.map((r) => r.k) },
    { name: "s", type: "VARCHAR", values: rows.map((r) => r.s) },
    { name: "v", type: "DOUBLE", values: rows.map((r) => r.v) },
    { name: "name", type: "VARCHAR", values: rows.map((r) => r.name) },
    { name: "w", type: "INTEGER", values: rows.map((r) => r.w) },
  ];
}

/** Right: 250 rows, keys k in 0..39 (some never on the left) and s in a..h plus z; v and w collide with the left's. */
function rightTable(): ColumnSpec[] {
  const rand = mulberry32(22);
  const n = 250;
  const rows = Array.from({ length: n }, (_, r) => ({
    rid: 1000 + r,
    k: maybeNull(rand, 0.1, () => intIn(rand, 0, 39)),
    s: maybeNull(rand, 0.1, () => pick(rand, ["a", "b", "c", "d", "e", "f", "g", "h", "z"])),
    v: Math.round(rand() * 1e6) / 1e3,
    w: intIn(rand, 0, 3),
    tag: maybeNull(rand, 0.2, () => `t${intIn(rand, 0, 9)}`),
  }));
  return [
    { name: "rid", type: "INTEGER", values: rows.map((r) => r.rid) },
    { name: "k", type: "INTEGER", values: rows.map((r) => r.k) },
    { name: "s", type: "VARCHAR", values: rows.map((r) => r.s) },
    { name: "v", type: "DOUBLE", values: rows.map((r) => r.v) },
    { name: "w", type: "INTEGER", values: rows.map((r) => r.w) },
    { name: "tag", type: "VARCHAR", values: rows.map((r) => r.tag) },
  ];
}

/**
 * DuckDB SQL for Tessera's join output convention with `on` keys (same names on both sides):
 * the left's columns in order (a key column holds the coalesced key, so right-only rows keep theirs),
 * then the right's non-key columns in order, a name the left already has taking `suffix`;
 * semi and anti return the left's columns only. Null keys never match.
 */
function joinSql(how: How, on: string[], left = "l", right = "r", suffix = SUFFIX): string {
  const cond = on.map((k) => `l.${k} = r.${k}`).join(" AND ");
  if (how === "semi" || how === "anti") {
    return `SELECT l.* FROM ${left} l WHERE ${how === "anti" ? "NOT " : ""}EXISTS (SELECT 1 FROM ${right} r WHERE ${cond})`;
  }
  const cols = [
    ...LEFT_COLS.map((c) => (on.includes(c) ? `COALESCE(l.${c}, r.${c}) AS ${c}` : `l.${c}`)),
    ...RIGHT_COLS.filter((c) => !on.includes(c)).map((c) => (LEFT_COLS.includes(c) ? `r.${c} AS ${c}${suffix}` : `r.${c}`)),
  ];
  const kind = { inner: "INNER", left: "LEFT", right: "RIGHT", full: "FULL" }[how];
  return `SELECT ${cols.join(", ")} FROM ${left} l ${kind} JOIN ${right} r ON ${cond}`;
}

describe.skipIf(!engineLanded)("joins", () => {
  let leftPath = "";
  let rightPath = "";
  const L = () => scanParquet(leftPath, { partitions: 3 });
  const R = () => scanParquet(rightPath, { partitions: 2 });

  beforeAll(async () => {
    const dir = tempDir("joins");
    leftPath = await writeParquet(`${dir}/left.parquet`, "l", leftTable(), { rowGroupSize: 2048 });
    rightPath = await writeParquet(`${dir}/right.parquet`, "r", rightTable());
  });
  afterAll(closeDuck);

  it("the data has what the tests rely on: null keys and duplicate keys on both sides, right-only keys", async () => {
    const [stats] = await duckRows(`SELECT
      (SELECT count(*) FROM l WHERE k IS NULL) AS l_null, (SELECT count(*) FROM r WHERE k IS NULL) AS r_null,
      (SELECT max(c) FROM (SELECT count(*) c FROM l GROUP BY k)) AS l_dup, (SELECT max(c) FROM (SELECT count(*) c FROM r GROUP BY k)) AS r_dup,
      (SELECT count(*) FROM r WHERE k NOT IN (SELECT k FROM l WHERE k IS NOT NULL)) AS r_only`);
    expect(stats?.l_null as number).toBeGreaterThan(0);
    expect(stats?.r_null as number).toBeGreaterThan(0);
    expect(stats?.l_dup as number).toBeGreaterThan(1);
    expect(stats?.r_dup as number).toBeGreaterThan(1);
    expect(stats?.r_only as number).toBeGreaterThan(0);
  });

  for (const how of [...OUTER, "semi", "anti"] as How[]) {
    it(`${how} join on one integer key (nulls, duplicates) matches DuckDB`, async () => {
      const actual = await collectRows(L().join(R(), { on: "k", how, suffix: SUFFIX }));
      const expected = await duckRows(joinSql(how, ["k"]));
      expectSameRows(actual, expected, { ignoreColumnOrder: true, keys: how === "semi" || how === "anti" ? ["lid"] : ["lid", "rid"] });
    });

    it(`${how} join on two keys (integer and string) matches DuckDB`, async () => {
      const actual = await collectRows(L().join(R(), { on: ["k", "s"], how, suffix: SUFFIX }));
      const expected = await duckRows(joinSql(how, ["k", "s"]));
      expectSameRows(actual, expected, { ignoreColumnOrder: true, keys: how === "semi" || how === "anti" ? ["lid"] : ["lid", "rid"] });
    });
  }

  it("inner join output columns: left's, then right's non-key ones, colliding names suffixed", async () => {
    const table = await L().join(R(), { on: "k", how: "inner", suffix: SUFFIX }).collect();
    expect(table.schema.fields.map((f) => f.name)).toEqual(["lid", "k", "s", "v", "name", "w", "rid", "s_r", "v_r", "w_r", "tag"]);
  });

  it("a different suffix names the colliding columns", async () => {
    const actual = await collectRows(L().join(R(), { on: ["k", "s"], how: "left", suffix: "_other" }));
    const expected = await duckRows(joinSql("left", ["k", "s"], "l", "r", "_other"));
    expectSameRows(actual, expected, { ignoreColumnOrder: true, keys: ["lid", "rid"] });
  });

  for (const how of ["inner", "left"] as How[]) {
    it(`${how} join with leftOn/rightOn of different names matches DuckDB`, async () => {
      const right = R().rename({ k: "rk", s: "rs" });
      const joined = L().join(right, { leftOn: ["k", "s"], rightOn: ["rk", "rs"], how, suffix: SUFFIX });
      // Whether the right's key columns are kept is not fixed here: select the columns that are.
      const actual = await collectRows(joined.select(
        col("lid"), col("k"), col("s"), col("v"), col("name"), col("w"), col("rid"), col("v_r"), col("w_r"), col("tag"),
      ));
      const kind = how === "inner" ? "INNER" : "LEFT";
      const expected = await duckRows(`SELECT l.lid, l.k, l.s, l.v, l.name, l.w, r.rid, r.v AS v_r, r.w AS w_r, r.tag
        FROM l ${kind} JOIN r ON l.k = r.k AND l.s = r.s`);
      expectSameRows(actual, expected, { keys: ["lid", "rid"] });
    });
  }

  it("joining with an empty right side: inner is empty, left keeps every left row with nulls", async () => {
    const empty = R().filter(col("k").gt(1000));
    const inner = await collectRows(L().join(empty, { on: "k", how: "inner", suffix: SUFFIX }));
    expect(inner.length).toBe(0);
    const actual = await collectRows(L().join(empty, { on: "k", how: "left", suffix: SUFFIX }));
    const expected = await duckRows(joinSql("left", ["k"], "l", "(SELECT * FROM r WHERE k > 1000)"));
    expectSameRows(actual, expected, { ignoreColumnOrder: true, keys: ["lid"] });
  });

  it("a join followed by a group-by matches DuckDB", async () => {
    const actual = await collectRows(
      L().join(R(), { on: "k", how: "left", suffix: SUFFIX })
        .groupBy("s")
        .agg(len().alias("n"), col("v_r").sum().alias("sum_v_r"), col("rid").count().alias("matched")),
    );
    const expected = await duckRows(`SELECT l.s, count(*) AS n, sum(r.v) AS sum_v_r, count(r.rid) AS matched
      FROM l LEFT JOIN r ON l.k = r.k GROUP BY l.s`);
    expectSameRows(actual, expected, { keys: ["s"] });
  });
});

describe.skipIf(!engineLanded)("joins at scale on G1 (2e5 rows, several partitions)", () => {
  let g1 = "";
  let dimPath = "";
  let dupPath = "";

  beforeAll(async () => {
    g1 = await g1Parquet({ n: 200_000, k: 100, nas: 2, rowGroupSize: 20_000 });
    await duckRun(`CREATE OR REPLACE TABLE x AS SELECT * FROM read_parquet(${sqlString(g1)})`);
    const dir = tempDir("joins-g1");
    // A string-keyed dimension over id1 (a dictionary column in G1) missing some ids and adding unknown ones.
    const rand = mulberry32(5);
    const ids = Array.from({ length: 110 }, (_, i) => `id${String(i + 1).padStart(3, "0")}`).filter((_, i) => i % 9 !== 4);
    dimPath = await writeParquet(`${dir}/dim.parquet`, "dim", [
      { name: "id1", type: "VARCHAR", values: ids },
      { name: "region", type: "VARCHAR", values: ids.map(() => pick(rand, ["EU", "US", "APAC", "LATAM"])) },
      { name: "weight", type: "DOUBLE", values: ids.map(() => Math.round(rand() * 1000) / 100) },
    ]);
    // An integer-keyed table over id6 with each key two or three times: a many-to-many join.
    const keys: number[] = [];
    for (let k = 1; k <= 2000; k++) for (let c = 0; c < 2 + (k % 2); c++) keys.push(k);
    dupPath = await writeParquet(`${dir}/dup.parquet`, "dup", [
      { name: "id6", type: "INTEGER", values: keys },
      { name: "bonus", type: "INTEGER", values: keys.map((k, i) => (k * 7 + i) % 11) },
    ]);
  });
  afterAll(closeDuck);

  it("left join on a dictionary-encoded string key, then group-by, matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(g1, { partitions: 4 })
        .join(scanParquet(dimPath), { on: "id1", how: "left", suffix: SUFFIX })
        .groupBy("region")
        .agg(len().alias("n"), col("v3").sum().alias("v3"), col("weight").mean().alias("weight")),
    );
    const expected = await duckRows(`SELECT region, count(*) AS n, sum(v3) AS v3, avg(weight) AS weight
      FROM x LEFT JOIN dim USING (id1) GROUP BY region`);
    expectSameRows(actual, expected, { keys: ["region"] });
  });

  it("many-to-many inner join on an integer key matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(g1, { partitions: 8 })
        .join(scanParquet(dupPath, { partitions: 2 }), { on: "id6", how: "inner", suffix: SUFFIX })
        .groupBy("id4")
        .agg(len().alias("n"), col("bonus").sum().alias("bonus"), col("v1").sum().alias("v1")),
    );
    const expected = await duckRows(`SELECT id4, count(*) AS n, sum(bonus) AS bonus, sum(v1) AS v1
      FROM x JOIN dup USING (id6) GROUP BY id4`);
    expectSameRows(actual, expected, { keys: ["id4"] });
  });

  it("anti join keeps exactly the rows whose key is missing on the right (null keys included)", async () => {
    const actual = await collectRows(
      scanParquet(g1, { partitions: 4 }).join(scanParquet(dimPath), { on: "id1", how: "anti" })
        .groupBy("id1").agg(len().alias("n")),
    );
    const expected = await duckRows(`SELECT id1, count(*) AS n FROM x
      WHERE NOT EXISTS (SELECT 1 FROM dim WHERE dim.id1 = x.id1) GROUP BY id1`);
    expectSameRows(actual, expected, { keys: ["id1"] });
  });
});
