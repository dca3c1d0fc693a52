// Parquet footers: types, row groups and statistics compared with DuckDB; ranged reads; bad files.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParquetMeta, readParquetSchema, registerObjectStore, type ParquetMeta } from "@tessera/io";
import { CountingStore, duck, rows, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
const file = path.join(dir, "types.parquet");
let oracle: Awaited<ReturnType<typeof duck>>;
let meta: ParquetMeta;

beforeAll(async () => {
  oracle = await duck();
  await oracle.con.run(`COPY (SELECT i::INT AS i, i::BIGINT * 1000000000000 AS big, i / 3.0::DOUBLE AS d, 'k' || (i % 7) AS s,
      DATE '2020-01-01' + i::INT AS dt, TIMESTAMP '2020-01-01' + INTERVAL (i) MINUTE AS ts,
      CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS n, i % 2 = 0 AS b, (i / 7)::DECIMAL(10, 2) AS dec, [i, i + 1] AS lst
    FROM range(5000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  meta = await readParquetMeta(file);
});
afterAll(() => { oracle.close(); cleanup(); });

describe("readParquetMeta", () => {
  it("maps Parquet types to Tessera fields and lists what it cannot read", async () => {
    expect(meta.numRows).toBe(5000);
    expect(meta.size).toBe(readFileSync(file).length);
    expect(meta.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "i:int32", "big:int64", "d:float64", "s:utf8", "dt:date32", "ts:timestamp[us]", "n:int64", "b:bool",
    ]);
    expect(meta.unsupported).toEqual([{ name: "dec", reason: "decimal" }, { name: "lst", reason: "nested type" }]);
    expect(await readParquetSchema(file)).toEqual(meta.fields);
  });

  it("has the row groups and statistics DuckDB reports, in each column's logical type", async () => {
    const want = await rows(oracle.con, `SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value, stats_null_count
      FROM parquet_metadata('${file}') WHERE path_in_schema IN ('i','big','d','s','dt','ts','n','b') ORDER BY row_group_id, column_id`);
    expect(want.length).toBe(3 * 8);
    expect(meta.rowGroups.map((rg) => rg.numRows)).toEqual([2048, 2048, 904]);
    const parse: Record<string, (s: string) => unknown> = {
      i: Number, big: Number, d: Number, s: (s) => s, n: Number, b: (s) => s === "true",
      dt: (s) => Date.parse(`${s}T00:00:00Z`) / 86_400_000,
      ts: (s) => Date.parse(`${s.replace(" ", "T")}Z`) * 1000,
    };
    for (const [rg, numRows, col, min, max, nulls] of want as [bigint, bigint, string, string, string, bigint][]) {
      const got = meta.rowGroups[Number(rg)]?.columns[col];
      const p = parse[col] as (s: string) => unknown;
      expect(meta.rowGroups[Number(rg)]?.numRows).toBe(Number(numRows));
      expect(got, `${col} in row group ${rg}`).toEqual({ min: p(min), max: p(max), nullCount: Number(nulls) });
    }
  });

  it("reads only the footer, through ranged reads of the object store", async () => {
    const store = new CountingStore();
    registerObjectStore("countmeta", store);
    const url = "countmeta://bucket/types.parquet";
    await store.put(url, readFileSync(file));
    const m = await readParquetMeta(url);
    expect(m.url).toBe(url);
    expect(m.rowGroups.length).toBe(3);
    expect(store.gets.every((g) => g.range !== undefined)).toBe(true);
    expect(store.gets.reduce((s, g) => s + (g.range?.length ?? 0), 0)).toBeLessThanOrEqual(64 * 1024);
  });

  it("rejects files that are not Parquet, naming the file and the problem", async () => {
    const good = readFileSync(file);
    const cases: [string, Uint8Array, RegExp][] = [
      ["text.parquet", new TextEncoder().encode("a,b\n1,2\n3,4\n"), /^not a Parquet file: .*text\.parquet \(bad magic\)$/],
      ["truncated.parquet", good.subarray(0, good.length >> 1), /^not a Parquet file: .*truncated\.parquet \(bad magic\)$/],
      ["tiny.parquet", new TextEncoder().encode("PAR1"), /^not a Parquet file: .*tiny\.parquet \(too small: 4 bytes\)$/],
    ];
    // Right magic and footer length, garbage footer.
    const garbage = Uint8Array.from(good);
    const footerLen = new DataView(good.buffer, good.byteOffset + good.length - 8, 4).getUint32(0, true);
    garbage.fill(0xff, good.length - 8 - footerLen, good.length - 8);
    cases.push(["garbage.parquet", garbage, /^not a Parquet file: .*garbage\.parquet \(corrupt footer: /]);
    const huge = Uint8Array.from(good);
    new DataView(huge.buffer).setUint32(huge.length - 8, 1e9, true);
    cases.push(["huge.parquet", huge, /^not a Parquet file: .*huge\.parquet \(footer length 1000000000 exceeds the file size/]);
    for (const [name, bytes, message] of cases) {
      writeFileSync(path.join(dir, name), bytes);
      await expect(readParquetMeta(path.join(dir, name))).rejects.toMatchObject({ code: "IO_BAD_PARQUET", message: expect.stringMatching(message) });
    }
    await expect(readParquetMeta(path.join(dir, "absent.parquet"))).rejects.toMatchObject({ code: "IO_NOT_FOUND" });
  });
});
