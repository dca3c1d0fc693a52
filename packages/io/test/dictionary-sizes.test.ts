// Dictionary sizes from dictionary page headers alone: the distinct counts DuckDB computes, in one small read per column.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parquetFooterBytes, readDictionarySizes, readParquetMeta, registerObjectStore } from "@tessera/io";
import { CountingStore, duck, rows, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
const file = path.join(dir, "keys.parquet");
let oracle: Awaited<ReturnType<typeof duck>>;

beforeAll(async () => {
  oracle = await duck();
  await oracle.con.run(`COPY (SELECT i, 'k' || (i % 7) AS few, 'u' || (i * 7919 % 300) AS many, 'p' || i AS unique, i / 3.0::DOUBLE AS d
    FROM range(5000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
});
afterAll(() => { oracle.close(); cleanup(); });

describe("readDictionarySizes", () => {
  it("gives each dictionary-encoded column's distinct count in a row group, as DuckDB counts it, and leaves out plain ones", async () => {
    const meta = await readParquetMeta(file);
    for (const [rg, lo, hi] of [[0, 0, 2048], [1, 2048, 4096]] as const) {
      const got = await readDictionarySizes({ url: meta.url }, ["few", "many", "unique"], rg);
      const [[few, many]] = await rows(oracle.con, `SELECT count(DISTINCT few), count(DISTINCT many) FROM '${file}' WHERE i >= ${lo} AND i < ${hi}`) as [[bigint, bigint]];
      // DuckDB writes a column of all-distinct strings plain: no dictionary page, no entry.
      expect(got).toEqual({ few: { rows: hi - lo, entries: Number(few) }, many: { rows: hi - lo, entries: Number(many) } });
    }
  });

  it("leaves out unknown columns and reads one small range per column, from a footer at hand", async () => {
    const store = new CountingStore();
    registerObjectStore("dictmem", store);
    const url = "dictmem://b/keys.parquet";
    await store.put(url, readFileSync(file));
    const meta = await readParquetMeta(url);
    const footer = { bytes: parquetFooterBytes(meta) as Uint8Array };
    const reads = store.gets.length;
    const got = await readDictionarySizes({ url: meta.url, footer }, ["few", "nope"], 1);
    expect(got).toEqual({ few: { rows: 2048, entries: 7 } });
    expect(store.gets.length - reads).toBe(1);
    expect(store.gets.slice(reads).every((g) => g.range !== undefined && g.range.length <= 64)).toBe(true);
  });
});
