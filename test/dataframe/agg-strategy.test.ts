// The aggregation strategy follows the groups a string key's sampled dictionary promises: a merge tree for a few
// hundred groups, a hash shuffle for tens of thousands; either way the answer is DuckDB's.
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, scanParquet } from "tessera";
import { physicalPlan } from "@tessera/dataframe";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows } from "../support/engine.js";
import { tempDir } from "../support/files.js";

const file = join(tempDir("agg-strategy"), "keys.parquet");

beforeAll(async () => {
  await duckRun(`COPY (SELECT 'k' || (i * 7919 % 300) AS few, 'u' || (i * 7919 % 40000) AS many, i % 97 AS v
    FROM range(400000) t(i)) TO ${sqlString(file)} (FORMAT parquet, ROW_GROUP_SIZE 50000)`);
});
afterAll(closeDuck);

const picks = async (key: string, partitions: number): Promise<number> =>
  (await physicalPlan(scanParquet(file, { partitions }).groupBy(key).agg(col("v").sum().alias("v")).plan)).graph.tasks.filter((t) => t.op === "pick").length;

describe("aggregation strategy from sampled dictionaries", () => {
  it("merges 300 string groups through a tree and shuffles 40,000", async () => {
    expect(await picks("few", 8)).toBe(0);
    expect(await picks("many", 8)).toBeGreaterThan(0);
  });

  for (const key of ["few", "many"]) {
    it(`groups by ${key} as DuckDB does`, async () => {
      const actual = await collectRows(scanParquet(file, { partitions: 8 }).groupBy(key).agg(col("v").sum().alias("v"), len().alias("n")));
      const expected = await duckRows(`SELECT ${key}, sum(v) AS v, count(*) AS n FROM read_parquet(${sqlString(file)}) GROUP BY ${key}`);
      expectSameRows(actual, expected, {});
    });
  }
});
