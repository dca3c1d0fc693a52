// AnswerComparer: two answers agree only when every cell does (numbers to a tolerance, in any row order).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DuckDBInstance } from "@duckdb/node-api";
import type { DuckDBConnection } from "@duckdb/node-api";
import { AnswerComparer } from "../src/check/compare-answers.js";

describe("AnswerComparer", () => {
  const dir = mkdtempSync(join(tmpdir(), "tessera-compare-answers-"));
  let db: DuckDBInstance;
  let conn: DuckDBConnection;
  let comparer: AnswerComparer;
  const file = async (name: string, select: string): Promise<string> => {
    const path = join(dir, `${name}.parquet`);
    await conn.run(`COPY (${select}) TO '${path}' (FORMAT parquet)`);
    return path;
  };
  const base = "SELECT 'id' || i AS k, i * 1.5 AS v, CAST(i AS BIGINT) AS n, CASE WHEN i % 7 = 0 THEN NULL ELSE i END AS m FROM range(1000) t(i)";

  beforeAll(async () => {
    db = await DuckDBInstance.create(":memory:");
    conn = await db.connect();
    comparer = await AnswerComparer.open();
  });
  afterAll(() => {
    comparer.close();
    conn.closeSync();
    db.closeSync();
    rmSync(dir, { recursive: true, force: true });
  });

  it("accepts the same rows in another order, with integers as doubles and float noise below the tolerance", async () => {
    const want = await file("want", base);
    const got = await file("got", `SELECT k, v * (1 + 1e-12) AS v, CAST(n AS DOUBLE) AS n, m FROM (${base}) ORDER BY random()`);
    expect(await comparer.compare(want, got)).toEqual([]);
  });

  it("names the column and counts the cells that differ, a null where a value should be included", async () => {
    const want = await file("want2", base);
    const got = await file("got2", `SELECT k, CASE WHEN k = 'id5' THEN v + 1 ELSE v END AS v, n, CASE WHEN k = 'id8' THEN NULL ELSE m END AS m FROM (${base})`);
    const diffs = await comparer.compare(want, got);
    expect(diffs.slice(0, 2)).toEqual(["1 of 1000 cells of v differ", "1 of 1000 cells of m differ"]);
    expect(diffs[2]).toMatch(/^first differing row: /);
  });

  it("reads a CSV answer with the reference's column types, so every cell still counts", async () => {
    const want = await file("want4", base);
    const csv = join(dir, "got4.csv");
    await conn.run(`COPY (SELECT k, v, n, m FROM (${base}) ORDER BY k DESC) TO '${csv}' (FORMAT csv, HEADER)`);
    expect(await comparer.compare(want, csv)).toEqual([]);
    const bad = join(dir, "bad4.csv");
    await conn.run(`COPY (SELECT k, CASE WHEN k = 'id9' THEN 1e300 ELSE v END AS v, n, m FROM (${base})) TO '${bad}' (FORMAT csv, HEADER)`);
    expect((await comparer.compare(want, bad))[0]).toBe("1 of 1000 cells of v differ");
  });

  it("reports missing rows and columns", async () => {
    const want = await file("want3", base);
    expect(await comparer.compare(want, await file("short", `${base} LIMIT 999`))).toEqual(["rows: 999 != 1000"]);
    expect(await comparer.compare(want, await file("narrow", `SELECT k, v, n FROM (${base})`))).toEqual(["column m missing"]);
  });
});
