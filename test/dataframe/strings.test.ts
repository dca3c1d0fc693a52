// String expressions against DuckDB: contains, startsWith, toLowerCase, toUpperCase, lengths, on plain and dictionary columns.
import { afterAll, beforeAll, describe, it } from "vitest";
import { col, len, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";
import { writeMixed } from "../support/mixed.js";

describe.skipIf(!engineLanded)("string expressions on the mixed table", () => {
  let path = "";
  beforeAll(async () => {
    path = await writeMixed(tempDir("strings"));
  });
  afterAll(closeDuck);

  // Patterns are plain substrings without regex metacharacters, so literal and regex readings agree.
  it("contains and startsWith give booleans, null on null input", async () => {
    const actual = await collectRows(scanParquet(path, { partitions: 2 }).select(
      col("rid"),
      col("s").str.contains("an").alias("has_an"),
      col("s").str.contains("A").alias("has_A"),
      col("s").str.contains("é").alias("has_e_acute"),
      col("s").str.contains("").alias("has_empty"),
      col("s").str.startsWith("Ba").alias("starts_Ba"),
      col("code").str.startsWith("A").alias("code_A"),
    ));
    const expected = await duckRows(`SELECT rid, contains(s, 'an') AS has_an, contains(s, 'A') AS has_A,
      contains(s, 'é') AS has_e_acute, contains(s, '') AS has_empty, starts_with(s, 'Ba') AS starts_Ba,
      starts_with(code, 'A') AS code_A FROM mixed`);
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("toLowerCase and toUpperCase, including non-ASCII letters", async () => {
    const actual = await collectRows(scanParquet(path).select(
      col("rid"), col("s").str.toLowerCase().alias("lower"), col("s").str.toUpperCase().alias("upper"),
      col("cat").str.toUpperCase().alias("cat_upper"),
    ));
    const expected = await duckRows("SELECT rid, lower(s) AS lower, upper(s) AS upper, upper(cat) AS cat_upper FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("lengths of ASCII strings", async () => {
    const actual = await collectRows(scanParquet(path).select(col("rid"), col("code").str.lengths().alias("n"), col("cat").str.lengths().alias("m")));
    const expected = await duckRows("SELECT rid, length(code) AS n, length(cat) AS m FROM mixed");
    expectSameRows(actual, expected, { keys: ["rid"] });
  });

  it("filter by contains, then group by a lower-cased key", async () => {
    const actual = await collectRows(
      scanParquet(path, { partitions: 3 })
        .filter(col("s").str.contains("an").not())
        .withColumns(col("cat").str.toLowerCase().alias("cat_l"))
        .groupBy("cat_l")
        .agg(len().alias("n"), col("x").sum().alias("x")),
    );
    const expected = await duckRows(`SELECT lower(cat) AS cat_l, count(*) AS n, sum(x) AS x FROM mixed
      WHERE NOT contains(s, 'an') GROUP BY lower(cat)`);
    expectSameRows(actual, expected, { keys: ["cat_l"] });
  });
});

describe.skipIf(!engineLanded)("string expressions on dictionary-encoded G1 columns", () => {
  let path = "";
  beforeAll(async () => {
    path = await g1Parquet({ n: 100_000, k: 100, nas: 5, rowGroupSize: 20_000 });
    await duckRun(`CREATE OR REPLACE TABLE x AS SELECT * FROM read_parquet(${sqlString(path)})`);
  });
  afterAll(closeDuck);

  it("upper-cased id1 as a group key, lengths and contains on id3", async () => {
    const actual = await collectRows(
      scanParquet(path, { partitions: 4 })
        .select(
          col("id1").str.toUpperCase().alias("k"),
          col("id3").str.lengths().alias("len3"),
          col("id3").str.contains("99").alias("has99"),
          col("v1"),
        )
        .groupBy("k", "len3", "has99")
        .agg(col("v1").sum().alias("v1"), len().alias("n")),
    );
    const expected = await duckRows(`SELECT upper(id1) AS k, length(id3) AS len3, contains(id3, '99') AS has99,
      sum(v1) AS v1, count(*) AS n FROM x GROUP BY ALL`);
    expectSameRows(actual, expected, { keys: ["k", "len3", "has99"] });
  });
});
