// Sorting against DuckDB, compared row for row: multi-key, mixed directions, nulls first/last, strings, dates, stability.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { G1_COLUMNS, g1Parquet } from "../support/g1.js";
import { writeMixed } from "../support/mixed.js";

interface SortCase {
  name: string;
  by: string[];
  descending: boolean[];
  nullsLast: boolean;
  limit?: number;
}

// Every case ends with `rid` (unique), so the expected order is unique.
const CASES: SortCase[] = [
  { name: "int desc, string asc, nulls last", by: ["g", "s", "rid"], descending: [true, false, false], nullsLast: true },
  { name: "string asc, float desc, nulls first", by: ["cat", "x", "rid"], descending: [false, true, false], nullsLast: false },
  { name: "strings with mixed case and non-ASCII letters, descending, nulls last", by: ["s", "rid"], descending: [true, true], nullsLast: true },
  { name: "date then timestamp, nulls first", by: ["d", "ts", "rid"], descending: [false, false, false], nullsLast: false },
  { name: "timestamp descending, nulls first", by: ["ts", "rid"], descending: [true, false], nullsLast: false },
  { name: "boolean, int, float, nulls last", by: ["b", "i", "x", "rid"], descending: [false, true, true, false], nullsLast: true },
  { name: "top 25 by float descending (sort then limit)", by: ["x", "rid"], descending: [true, false], nullsLast: true, limit: 25 },
  { name: "bottom 10 by string with nulls first (sort then limit)", by: ["s", "rid"], descending: [false, false], nullsLast: false, limit: 10 },
];

function orderBy(c: SortCase): string {
  const nulls = c.nullsLast ? "NULLS LAST" : "NULLS FIRST";
  return c.by.map((k, i) => `${k} ${c.descending[i] === true ? "DESC" : "ASC"} ${nulls}`).join(", ");
}

describe.skipIf(!engineLanded)("sort", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("sort"));
  });
  afterAll(closeDuck);

  for (const c of CASES) {
    it(`${c.name}: same order as DuckDB`, async () => {
      let frame = scanParquet(path, { partitions: 4 }).sort(c.by, { descending: c.descending, nullsLast: c.nullsLast });
      if (c.limit !== undefined) frame = frame.limit(c.limit);
      const actual = await collectRows(frame);
      const limit = c.limit === undefined ? "" : ` LIMIT ${c.limit}`;
      const expected = await duckRows(`SELECT * FROM mixed ORDER BY ${orderBy(c)}${limit}`);
      expectSameRows(actual, expected, { orderMatters: true, exact: true });
    });
  }

  it("a single `descending: true` applies to every key", async () => {
    const actual = await collectRows(scanParquet(path).sort(["g", "rid"], { descending: true, nullsLast: true }));
    const expected = await duckRows("SELECT * FROM mixed ORDER BY g DESC NULLS LAST, rid DESC NULLS LAST");
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });

  it("sorting by one key with ties is stable: ties keep the file's order", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 4 }).sort("g", { descending: false, nullsLast: true }));
    const expected = await duckRows("SELECT * FROM mixed ORDER BY g ASC NULLS LAST, rid");
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });

  it("sorting a filtered projection matches DuckDB", async () => {
    const actual = await collectRows(
      scanParquet(path, { partitions: 3 })
        .filter(col("x").gt(0))
        .select(col("rid"), col("cat"), col("x"))
        .sort(["cat", "x", "rid"], { descending: [true, false, false], nullsLast: true }),
    );
    const expected = await duckRows("SELECT rid, cat, x FROM mixed WHERE x > 0 ORDER BY cat DESC NULLS LAST, x ASC NULLS LAST, rid ASC NULLS LAST");
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });
});

describe.skipIf(!engineLanded)("sort at scale (G1 2e5 rows with nulls, 8 partitions)", () => {
  afterAll(closeDuck);

  it("sort by string desc then float asc, ties in file order, matches DuckDB row for row", async () => {
    const path = await g1Parquet({ n: 200_000, k: 100, nas: 5, rowGroupSize: 20_000 });
    const actual = await collectRows(
      scanParquet(path, { partitions: 8 }).sort(["id3", "v3"], { descending: [true, false], nullsLast: false }),
    );
    expect(actual.length).toBe(200_000);
    const expected = await duckRows(`SELECT ${G1_COLUMNS.join(", ")} FROM read_parquet(${sqlString(path)}, file_row_number = true)
      ORDER BY id3 DESC NULLS FIRST, v3 ASC NULLS FIRST, file_row_number`);
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });

  it("sort then groupBy().head(2) matches DuckDB's row_number per group, with many groups per partition and with few", async () => {
    // K=10: id6 takes 20,000 values, so a partition of 25,000 rows keeps most of its rows and passes them on whole;
    // id4 takes 10, so partitions reduce to 20 rows each.
    const path = await g1Parquet({ n: 200_000, k: 10, nas: 5, rowGroupSize: 20_000 });
    for (const key of ["id6", "id4"]) {
      const actual = await collectRows(
        scanParquet(path, { partitions: 8 }).filter(col("v3").isNotNull()).sort("v3", { descending: true }).groupBy(key).head(2),
      );
      const expected = await duckRows(`SELECT ${G1_COLUMNS.join(", ")} FROM (SELECT *, row_number() OVER (PARTITION BY ${key}
        ORDER BY v3 DESC, file_row_number) AS r FROM read_parquet(${sqlString(path)}, file_row_number = true) WHERE v3 IS NOT NULL) WHERE r <= 2`);
      expect(actual.length, key).toBe(expected.length);
      expectSameRows(actual, expected, { exact: true });
    }
  });
});
