// CSV: schema inference, reading by byte range, quoting, nulls and writing, checked against DuckDB.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Field } from "@tessera/common";
import { csvSplitRanges, inferCsvSchema, readCsv, storeFor, writeCsv } from "@tessera/io";
import { columnFromValues, columnToArray, type Batch, type Column, type DictColumn } from "@tessera/kernels";
import { duck, rows, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
const file = path.join(dir, "duck.csv");
let oracle: Awaited<ReturnType<typeof duck>>;

beforeAll(async () => {
  oracle = await duck();
  await oracle.con.run(`COPY (SELECT i AS id, i * 1.25 - 7 AS x,
      CASE WHEN i % 9 = 0 THEN NULL WHEN i % 4 = 0 THEN 'has, comma' WHEN i % 4 = 1 THEN 'say "hi"' ELSE 'w' || i END AS s,
      DATE '2021-03-04' + (i % 400)::INT AS d, TIMESTAMP '2021-03-04 05:06:07.125' + INTERVAL (i * 37) SECOND AS ts,
      CASE WHEN i % 7 = 0 THEN NULL ELSE i % 2 = 0 END AS flag
    FROM range(3000) t(i)) TO '${file}' (HEADER, DELIMITER ',')`);
});
afterAll(() => { oracle.close(); cleanup(); });

const ORACLE_SQL = (f: string): string => `SELECT id, x, s, (d - DATE '1970-01-01')::INT, epoch_ms(ts), flag FROM read_csv('${f}', header = true,
  columns = {'id': 'BIGINT', 'x': 'DOUBLE', 's': 'VARCHAR', 'd': 'DATE', 'ts': 'TIMESTAMP', 'flag': 'BOOLEAN'})`;

/** bigint → number, so DuckDB's BIGINT results compare with columnToArray's numbers. */
function plain(table: unknown[][]): unknown[][] {
  return table.map((r) => r.map((v) => (typeof v === "bigint" ? Number(v) : v)));
}

function values(b: Batch): unknown[][] {
  const cols = b.columns.map(columnToArray);
  return Array.from({ length: b.length }, (_, r) => cols.map((c) => c[r]));
}

describe("inferCsvSchema", () => {
  it("infers int64, float64, utf8, date32, timestamp[ms] and bool from DuckDB's CSV", async () => {
    expect(await inferCsvSchema(file)).toEqual([
      { name: "id", type: "int64", nullable: true }, { name: "x", type: "float64", nullable: true },
      { name: "s", type: "utf8", nullable: true }, { name: "d", type: "date32", nullable: true },
      { name: "ts", type: "timestamp[ms]", nullable: true }, { name: "flag", type: "bool", nullable: true },
    ]);
  });

  it("samples only the first bytes, names headerless columns, and treats all-empty columns as utf8", async () => {
    const f = path.join(dir, "sample.csv");
    writeFileSync(f, `1,,2020-01-01\n2,,2020-01-02 10:00\n${"3,,x\n".repeat(100)}`);
    expect((await inferCsvSchema(f, { header: false, sampleBytes: 20 })).map((c) => `${c.name}:${c.type}`)).toEqual([
      "column0:int64", "column1:utf8", "column2:timestamp[ms]",
    ]);
    expect((await inferCsvSchema(f, { header: false })).map((c) => c.type)).toEqual(["int64", "utf8", "utf8"]);
  });
});

describe("readCsv", () => {
  it("reads the values DuckDB reads", async () => {
    const schema = await inferCsvSchema(file);
    const b = await readCsv(file, { schema });
    expect(b.length).toBe(3000);
    expect(values(b)).toEqual(plain(await rows(oracle.con, ORACLE_SQL(file))));
  });

  it("splits into byte ranges that together read every record exactly once", async () => {
    const schema = await inferCsvSchema(file);
    const whole = values(await readCsv(file, { schema }));
    const size = readFileSync(file).length;
    for (const n of [1, 2, 3, 7, 16]) {
      const parts = await Promise.all(csvSplitRanges(size, n).map((range) => readCsv(file, { schema, range })));
      expect(parts.length).toBe(n);
      expect(parts.flatMap(values), `${n} ranges`).toEqual(whole);
    }
  });

  it("partitions records exactly at every possible split point, including line starts", async () => {
    const text = 'a,b\n1,"x,1"\n2,""\n\n3,"q""q"\r\n4,\n5,last';
    const url = "memory://csv/split.csv";
    await storeFor(url).put(url, new TextEncoder().encode(text));
    const schema: Field[] = [{ name: "a", type: "int32", nullable: true }, { name: "b", type: "utf8", nullable: true }];
    const whole = values(await readCsv(url, { schema }));
    expect(whole).toEqual([[1, "x,1"], [2, ""], [3, 'q"q'], [4, null], [5, "last"]]);
    for (let k = 0; k <= text.length; k++) {
      const left = await readCsv(url, { schema, range: { start: 0, end: k } });
      const right = await readCsv(url, { schema, range: { start: k, end: text.length } });
      expect([...values(left), ...values(right)], `split at ${k}`).toEqual(whole);
    }
  });

  it("parses quotes, escaped quotes, delimiters and (whole-file only) newlines inside quotes", async () => {
    const f = path.join(dir, "quoted.csv");
    writeFileSync(f, 'k;v\n"a;b";"line1\nline2"\n"""q""";plain\n');
    const schema: Field[] = [{ name: "k", type: "utf8", nullable: true }, { name: "v", type: "utf8", nullable: true }];
    expect(values(await readCsv(f, { schema, delimiter: ";" }))).toEqual([["a;b", "line1\nline2"], ['"q"', "plain"]]);
    await expect(readCsv(f, { schema, delimiter: ";", range: { start: 0, end: 10 } })).rejects.toMatchObject({
      code: "IO_BAD_CSV", message: expect.stringMatching(/quoted\.csv: newline inside a quoted field \(supported only when the whole file is read as one range\)/),
    });
  });

  it("handles CRLF, a byte-order mark, no header, tabs, and column projection", async () => {
    const f = path.join(dir, "crlf.tsv");
    writeFileSync(f, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from("1\tx\t2.5\r\n2\t\t\r\n")]));
    const schema: Field[] = [
      { name: "column0", type: "int16", nullable: true }, { name: "column1", type: "utf8", nullable: true }, { name: "column2", type: "float32", nullable: true },
    ];
    expect(await inferCsvSchema(f, { header: false, delimiter: "\t" })).toEqual(schema.map((c, i) => ({ ...c, type: ["int64", "utf8", "float64"][i] })));
    const b = await readCsv(f, { schema, header: false, delimiter: "\t", columns: ["column2", "column0"] });
    expect(b.fields.map((x) => x.name)).toEqual(["column2", "column0"]);
    expect(values(b)).toEqual([[2.5, 1], [null, 2]]);
    expect(b.columns[0]?.kind === "num" && b.columns[0].values).toBeInstanceOf(Float32Array);
  });

  it("reports bad values, field counts, headers and quotes as IO_BAD_CSV naming the file and where", async () => {
    const schema: Field[] = [{ name: "a", type: "int8", nullable: true }, { name: "b", type: "date32", nullable: true }];
    const cases: [string, RegExp][] = [
      ["a,b\n1,2020-01-01\n300,2020-01-02\n", /bad CSV .*bad1\.csv: cannot parse "300" as int8 in column a \(record at byte 17\)/],
      ["a,b\n1,2020-02-30\n", /cannot parse "2020-02-30" as date32 in column b \(record at byte 4\)/],
      ["a,b\n1,2020-01-01,9\n", /found 3 fields, expected 2 \(record at byte 4\)/],
      ["a,c\n1,2020-01-01\n", /the header has columns \[a, c\] but the schema has \[a, b\]/],
      ['a,b\n1,"2020-01-01\n', /unterminated quoted field/],
      ['a,b\n1,"x"y\n', /unexpected character after a closing quote/],
    ];
    for (const [i, [text, message]] of cases.entries()) {
      const f = path.join(dir, `bad${i + 1}.csv`);
      writeFileSync(f, text);
      await expect(readCsv(f, { schema }), text).rejects.toMatchObject({ code: "IO_BAD_CSV", message: expect.stringMatching(message) });
    }
    await expect(readCsv(path.join(dir, "none.csv"), { schema })).rejects.toMatchObject({ code: "IO_NOT_FOUND" });
    await expect(readCsv(file, { schema: await inferCsvSchema(file), columns: ["zz"] })).rejects.toMatchObject({ code: "IO_BAD_COLUMN" });
  });
});

describe("writeCsv", () => {
  const fields: Field[] = [
    { name: "i", type: "int32", nullable: true }, { name: "big", type: "int64", nullable: true }, { name: "f", type: "float64", nullable: true },
    { name: "s", type: "utf8", nullable: true }, { name: "b", type: "bool", nullable: true }, { name: "d", type: "date32", nullable: true },
    { name: "ts", type: "timestamp[ms]", nullable: true }, { name: "tus", type: "timestamp[us]", nullable: true }, { name: "k", type: "utf8", nullable: true },
  ];
  const batch: Batch = {
    fields,
    columns: [
      columnFromValues("int32", [1, null, -3, 4]),
      columnFromValues("int64", [9007199254740993n, -1n, null, 0n]),
      columnFromValues("float64", [0.1, -2.5e-300, null, Infinity]),
      columnFromValues("utf8", ['a,"b"', "", null, "multi\nline"]),
      columnFromValues("bool", [true, false, null, true]),
      columnFromValues("date32", [0, -1, 19000, null]),
      columnFromValues("timestamp[ms]", [1704164645123n, -1n, null, 0n]),
      columnFromValues("timestamp[us]", [1704164645123456n, null, 1n, -1n]),
      { kind: "dict", type: "utf8", length: 4, indices: Int32Array.of(0, 1, 0, 1), dict: columnFromValues("utf8", ["p q", "r;s"]) as DictColumn["dict"], valid: Uint8Array.of(1, 1, 0, 1) },
    ],
    length: 4,
  };

  it("quotes where needed, writes ISO dates and timestamps, and leaves nulls empty", () => {
    const text = new TextDecoder().decode(writeCsv([batch], fields));
    expect(text).toBe([
      "i,big,f,s,b,d,ts,tus,k",
      '1,9007199254740993,0.1,"a,""b""",true,1970-01-01,2024-01-02T03:04:05.123,2024-01-02T03:04:05.123456,p q',
      ',-1,-2.5e-300,"",false,1969-12-31,1969-12-31T23:59:59.999,,r;s',
      "-3,,,,,2022-01-08,,1970-01-01T00:00:00.000001,",
      '4,0,Infinity,"multi\nline",true,,1970-01-01T00:00:00,1969-12-31T23:59:59.999999,r;s',
      "",
    ].join("\n"));
  });

  it("round-trips through readCsv, and DuckDB reads the same values", async () => {
    const f = path.join(dir, "written.csv");
    writeFileSync(f, writeCsv([batch, batch], fields, { delimiter: ";" }));
    const back = await readCsv(f, { schema: fields, delimiter: ";" });
    const exact = (c: Column): unknown[] => (c.kind === "num" && c.values instanceof BigInt64Array
      ? Array.from(c.values, (v, i) => (c.valid?.[i] === 0 ? null : v)) : columnToArray(c));
    fields.forEach((fl, k) => expect(exact(back.columns[k] as Column), fl.name).toEqual([...exact(batch.columns[k] as Column), ...exact(batch.columns[k] as Column)]));
    // allow_quoted_nulls = false: "" is an empty string, as this writer means it.
    const duckRows = await rows(oracle.con, `SELECT i, big, f, s, b, (d - DATE '1970-01-01')::INT, epoch_ms(ts), epoch_us(tus), k FROM read_csv('${f}',
      header = true, delim = ';', allow_quoted_nulls = false,
      columns = {'i': 'INTEGER', 'big': 'BIGINT', 'f': 'DOUBLE', 's': 'VARCHAR', 'b': 'BOOLEAN', 'd': 'DATE', 'ts': 'TIMESTAMP', 'tus': 'TIMESTAMP', 'k': 'VARCHAR'})`);
    expect(plain(duckRows)).toEqual(values(back));
  });

  it("keeps null rows of a one-column file", async () => {
    const one: Field[] = [{ name: "v", type: "float64", nullable: true }];
    const f = path.join(dir, "one.csv");
    writeFileSync(f, writeCsv([{ fields: one, columns: [columnFromValues("float64", [1, null, 2])], length: 3 }], one));
    expect(values(await readCsv(f, { schema: one }))).toEqual([[1], [null], [2]]);
  });
});
