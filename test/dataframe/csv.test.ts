// scanCsv against DuckDB's read_csv on the same files: quoting, nulls, explicit schemas, byte-range partitions.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, len, scanCsv } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { collectRows, engineLanded } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { g1Parquet, mulberry32 } from "../support/g1.js";
import { intIn, pick } from "../support/tables.js";

// Quoted fields with commas, doubled quotes and a line break; empty unquoted fields are nulls.
const SMALL = [
  "id,name,score,city,note",
  '1,"Smith, John",3.5,Paris,"said ""hi"""',
  "2,Ann,,Berlin,",
  '3,"Multi\nline",-2.25,Oslo,plain',
  '4,Bob,10,Rome,"a, b, c"',
  "5,,7,,trailing",
  '6,"Ünïcödé ""quoted""",0.125,Zürich,"x\r\ny"',
  "",
].join("\n");

// With a schema, zip keeps its leading zeros as text and day parses as a date.
const TYPED = [
  "zip,day,amount,flag",
  "01234,2021-03-04,12,true",
  "00042,1969-12-31,-3,false",
  ",2000-02-29,,",
  "99999,,7,true",
  "",
].join("\n");

describe.skipIf(!engineLanded)("scanCsv", () => {
  let dir = "";
  beforeAll(() => {
    dir = tempDir("csv");
  });
  afterAll(closeDuck);

  it("a small file with quoted fields, escaped quotes, line breaks in quotes and nulls, with inferred types", async () => {
    const path = `${dir}/small.csv`;
    writeFileSync(path, SMALL);
    const actual = await collectRows(scanCsv(path));
    const expected = await duckRows(`SELECT * FROM read_csv(${sqlString(path)}, header = true, quote = '"', escape = '"')`);
    expect(expected.length).toBe(6);
    expectSameRows(actual, expected, { keys: ["id"], exact: true });
  });

  it("an explicit schema: digits stay text, ISO dates become dates, empty fields are nulls", async () => {
    const path = `${dir}/typed.csv`;
    writeFileSync(path, TYPED);
    const schema = [
      { name: "zip", type: "utf8", nullable: true },
      { name: "day", type: "date32", nullable: true },
      { name: "amount", type: "int64", nullable: true },
      { name: "flag", type: "bool", nullable: true },
    ] as const;
    const actual = await collectRows(scanCsv(path, { schema: [...schema] }));
    const expected = await duckRows(`SELECT * FROM read_csv(${sqlString(path)}, header = true,
      columns = {'zip': 'VARCHAR', 'day': 'DATE', 'amount': 'BIGINT', 'flag': 'BOOLEAN'})`);
    expectSameRows(actual, expected, { orderMatters: true, exact: true });
  });

  it("a G1 file written by DuckDB (2e5 rows, nulls as empty fields) gives DuckDB's rows and aggregates", async () => {
    const g1 = await g1Parquet({ n: 200_000, k: 100, nas: 5 });
    const path = `${dir}/g1.csv`;
    await duckRun(`COPY (SELECT * FROM read_parquet(${sqlString(g1)})) TO ${sqlString(path)} (FORMAT csv, HEADER true)`);
    const oracle = `read_csv(${sqlString(path)}, header = true)`;
    const actual = await collectRows(scanCsv(path, { partitions: 4 }));
    expectSameRows(actual, await duckRows(`SELECT * FROM ${oracle}`), { exact: true });
    const agg = await collectRows(scanCsv(path, { partitions: 4 }).groupBy("id1").agg(col("v3").sum().alias("v3"), len().alias("n")));
    expectSameRows(agg, await duckRows(`SELECT id1, sum(v3) AS v3, count(*) AS n FROM ${oracle} GROUP BY id1`), { keys: ["id1"] });
  });

  it("quoted line breaks and delimiters survive splitting a large file into byte ranges", async () => {
    const rand = mulberry32(77);
    const n = 100_000;
    const pieces = ["plain", "comma, inside", 'quote "here"', "line\nbreak", "crlf\r\nbreak", "", "trailing,", "ÜTF-8 ✓"];
    const path = `${dir}/tricky.csv`;
    const lines = ["id,text,value"];
    for (let i = 0; i < n; i++) {
      const text = `${pick(rand, pieces)}|${pick(rand, pieces)}|${i}`;
      lines.push(`${i},"${text.replaceAll('"', '""')}",${intIn(rand, -1000, 1000) / 8}`);
    }
    writeFileSync(path, `${lines.join("\n")}\n`);
    const actual = await collectRows(scanCsv(path, { partitions: 8 }));
    expect(actual.length).toBe(n);
    const expected = await duckRows(`SELECT * FROM read_csv(${sqlString(path)}, header = true, quote = '"', escape = '"')`);
    expectSameRows(actual, expected, { keys: ["id"], exact: true });
  });
});
