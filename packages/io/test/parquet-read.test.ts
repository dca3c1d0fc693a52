// Parquet reads: values against DuckDB, column and row-group selection by fetched bytes, dictionaries, errors.
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readParquet, readParquetMeta, registerObjectStore, storeFor, writeParquet, type ByteRange, type ObjectInfo, type ObjectStore } from "@tessera/io";
import { columnToArray, type Batch, type Column, type DictColumn } from "@tessera/kernels";
import * as arrow from "apache-arrow";
import * as pq from "parquet-wasm";
import { CountingStore, duck, rows, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
const file = path.join(dir, "types.parquet");
let oracle: Awaited<ReturnType<typeof duck>>;

beforeAll(async () => {
  oracle = await duck();
  await oracle.con.run(`COPY (SELECT i::INT AS i, i::BIGINT * 1000000000000 + 1 AS big, i / 3.0::DOUBLE AS d,
      CASE WHEN i % 11 = 0 THEN NULL ELSE 'k' || (i % 7) || repeat('é', i % 3) END AS s,
      DATE '2020-01-01' + i::INT AS dt, TIMESTAMP '2020-01-01' + INTERVAL (i) SECOND AS ts,
      CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS n, i % 2 = 0 AS b, i::SMALLINT AS sm, (i % 200)::UTINYINT AS u8,
      i::FLOAT / 4 AS f, (i / 7)::DECIMAL(10, 2) AS dec
    FROM range(5000) t(i)) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
});
afterAll(() => { oracle.close(); cleanup(); });

function col(b: Batch, name: string): Column {
  const i = b.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`no column ${name}`);
  return b.columns[i] as Column;
}

/** Column values with 64-bit integers as bigint (exact), for comparison with DuckDB. */
function exact(c: Column): unknown[] {
  if (c.kind === "num" && c.values instanceof BigInt64Array) {
    return Array.from(c.values, (v, i) => (c.valid !== null && c.valid[i] === 0 ? null : v));
  }
  return columnToArray(c);
}

describe("readParquet of a DuckDB file", () => {
  it("returns every readable column with the values DuckDB reads", async () => {
    const b = await readParquet(file);
    expect(b.length).toBe(5000);
    expect(b.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
      "i:int32", "big:int64", "d:float64", "s:utf8", "dt:date32", "ts:timestamp[us]", "n:int64", "b:bool", "sm:int16", "u8:uint8", "f:float32",
    ]);
    const want = await rows(oracle.con, `SELECT i, big, d, s, (dt - DATE '1970-01-01')::INT, epoch_us(ts), n, b, sm, u8, f FROM '${file}'`);
    const names = ["i", "big", "d", "s", "dt", "ts", "n", "b", "sm", "u8", "f"];
    names.forEach((name, k) => {
      expect(exact(col(b, name)), name).toEqual(want.map((r) => r[k]));
    });
    expect(col(b, "s").valid?.filter((v) => v === 0).length).toBe(455);
  });

  it("decodes only the requested columns and row groups, fetching only their byte ranges", async () => {
    const store = new CountingStore();
    registerObjectStore("countread", store);
    const url = "countread://b/types.parquet";
    const bytes = readFileSync(file);
    await store.put(url, bytes);
    const meta = await readParquetMeta(url);
    store.gets.length = 0;
    const b = await readParquet(url, { columns: ["s", "i"], rowGroups: [1], meta });
    expect(b.fields.map((f) => f.name)).toEqual(["s", "i"]);
    expect(b.length).toBe(2048);
    const want = await rows(oracle.con, `SELECT s, i FROM '${file}' WHERE i >= 2048 AND i < 4096 ORDER BY i`);
    expect(columnToArray(b.columns[0] as Column)).toEqual(want.map((r) => r[0]));
    expect(columnToArray(b.columns[1] as Column)).toEqual(want.map((r) => r[1]));

    // Every fetched range before the footer lies inside a chunk of (row group 1, column s or i).
    const chunks = (await rows(oracle.con, `SELECT row_group_id, path_in_schema, coalesce(dictionary_page_offset, data_page_offset), total_compressed_size
      FROM parquet_metadata('${file}')`)) as [bigint, string, bigint, bigint][];
    const wanted = chunks.filter(([rg, p]) => rg === 1n && (p === "s" || p === "i")).map(([, , o, n]) => [Number(o), Number(o) + Number(n)]);
    const lastChunkEnd = Math.max(...chunks.map(([, , o, n]) => Number(o) + Number(n)));
    let dataBytes = 0;
    for (const g of store.gets) {
      expect(g.range, "no whole-object reads").toBeDefined();
      const { offset, length } = g.range as { offset: number; length: number };
      if (offset >= lastChunkEnd) continue;  // footer
      dataBytes += length;
      expect(wanted.some(([s, e]) => offset >= (s as number) && offset + length <= (e as number)), `range ${offset}+${length}`).toBe(true);
    }
    expect(dataBytes).toBeGreaterThan(0);
    expect(dataBytes).toBeLessThanOrEqual(wanted.reduce((s, [a, e]) => s + ((e as number) - (a as number)), 0));
  });

  it("reads column chunks into reused buffers where the store can: a later read's chunks land in an earlier read's", async () => {
    // The file store behind a scheme of its own, recording the buffers a read offers and the bytes it gets back.
    const offered: Uint8Array[] = [], got: Uint8Array[] = [];
    const files = storeFor("file://");
    const strip = (u: string): string => u.slice("intoread://".length);
    const store: ObjectStore = {
      list: (prefix: string): Promise<ObjectInfo[]> => files.list(strip(prefix)),
      head: (u: string): Promise<ObjectInfo> => files.head(strip(u)),
      get: async (u: string, range?: ByteRange, into?: Uint8Array): Promise<Uint8Array> => {
        if (into !== undefined) offered.push(into);
        const bytes = await files.get(strip(u), range, into);
        if (into !== undefined) got.push(bytes);
        return bytes;
      },
      put: (u: string, bytes: Uint8Array): Promise<void> => files.put(strip(u), bytes),
      delete: (u: string): Promise<void> => files.delete(strip(u)),
    };
    registerObjectStore("intoread", store);
    const url = `intoread://${file}`;
    const meta = await readParquetMeta(url);
    const first = await readParquet(url, { columns: ["i", "s"], rowGroups: [0], meta });
    const firstBuffers = got.map((b) => b.buffer);
    expect(firstBuffers.length).toBeGreaterThan(0);
    got.forEach((b, k) => expect(b.buffer).toBe(offered[k]?.buffer));
    got.length = 0;
    const second = await readParquet(url, { columns: ["i", "s"], rowGroups: [1], meta });
    expect(got.length).toBeGreaterThan(0);
    for (const b of got) expect(firstBuffers).toContain(b.buffer);
    const direct = await readParquet(file, { columns: ["i", "s"], rowGroups: [0, 1], meta: await readParquetMeta(file) });
    [first, second].forEach((b, g) => b.columns.forEach((c, k) =>
      expect(columnToArray(c)).toEqual(columnToArray(direct.columns[k] as Column).slice(g * 2048, (g + 1) * 2048))));
  });

  it("decodes utf8 columns as dictionaries on request, with the same values", async () => {
    const plain = await readParquet(file, { columns: ["s", "i"] });
    const dict = await readParquet(file, { columns: ["s", "i"], dictionary: ["s"] });
    expect(dict.columns[0]?.kind).toBe("dict");
    // A small dictionary comes back canonical: the 21 values 'k' || 0..6 || 0..2 'é' once each, in byte order, the same
    // dictionary whichever row groups were read.
    const values = columnToArray(plain.columns[0] as Column).filter((v) => v !== null) as string[];
    const canonical = [...new Set(values)].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    expect(canonical.length).toBe(21);
    expect(columnToArray((dict.columns[0] as DictColumn).dict)).toEqual(canonical);
    for (const rg of [0, 1, 2]) {
      const one = (await readParquet(file, { columns: ["s"], dictionary: ["s"], rowGroups: [rg] })).columns[0] as DictColumn;
      expect(columnToArray(one.dict)).toEqual(canonical);
    }
    expect(columnToArray(dict.columns[0] as Column)).toEqual(columnToArray(plain.columns[0] as Column));
    expect(columnToArray(dict.columns[1] as Column)).toEqual(columnToArray(plain.columns[1] as Column));
  });

  it("reports corrupt data as IO_BAD_PARQUET naming the file, and keeps working", async () => {
    const bytes = Uint8Array.from(readFileSync(file));
    bytes.fill(0x5a, 4, 40);  // the first page header of the first column chunk
    const url = "memory://parquet-read/corrupt.parquet";
    await storeFor(url).put(url, bytes);
    await expect(readParquet(url, { columns: ["i"] })).rejects.toMatchObject({
      code: "IO_BAD_PARQUET", message: expect.stringMatching(/^cannot decode Parquet file memory:\/\/parquet-read\/corrupt\.parquet \(row groups 0, 1, 2\): /),
    });
    expect((await readParquet(url, { columns: ["s"] })).length).toBe(5000);  // other chunks are intact
  });

  it("reads no data for an empty projection or an empty row-group list", async () => {
    const counted = await readParquet(file, { columns: [] });
    expect(counted).toEqual({ fields: [], columns: [], length: 5000 });
    const none = await readParquet(file, { rowGroups: [], columns: ["i", "s"] });
    expect(none.length).toBe(0);
    expect(none.columns.map((c) => c.length)).toEqual([0, 0]);
    expect(none.fields.map((f) => f.type)).toEqual(["int32", "utf8"]);
  });

  it("rejects unknown and unsupported columns and bad row groups, naming the file", async () => {
    await expect(readParquet(file, { columns: ["nope"] })).rejects.toMatchObject({
      code: "IO_BAD_COLUMN", message: expect.stringMatching(/types\.parquet has no column nope; it has: i, big, d/),
    });
    await expect(readParquet(file, { columns: ["dec"] })).rejects.toMatchObject({
      code: "IO_UNSUPPORTED_TYPE", message: expect.stringMatching(/cannot read column dec of .*types\.parquet: decimal/),
    });
    await expect(readParquet(file, { rowGroups: [3] })).rejects.toMatchObject({ code: "IO_BAD_ROW_GROUP", message: expect.stringMatching(/has no row group 3; it has 3/) });
  });
});

describe("readParquet of dictionary columns", () => {
  it("keeps Arrow dictionary columns as one dictionary across row groups (a small one canonical)", async () => {
    const mk = (idx: number[], dict: string[], valid: number[] | null): DictColumn => ({
      kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx),
      dict: { kind: "str", type: "utf8", length: dict.length, offsets: Int32Array.from([0, ...dict.map((_, i) => dict.slice(0, i + 1).join("").length)]), bytes: new TextEncoder().encode(dict.join("")), valid: null },
      valid: valid === null ? null : Uint8Array.from(valid),
    });
    const fields = [{ name: "k", type: "utf8", nullable: true }, { name: "v", type: "int32", nullable: false }] as const;
    const batches: Batch[] = [
      { fields, columns: [mk([0, 1, 1, 0], ["a", "b"], null), { kind: "num", type: "int32", length: 4, values: Int32Array.of(1, 2, 3, 4), valid: null }], length: 4 },
      { fields, columns: [mk([1, 0, 2, 0], ["c", "a", "dd"], [1, 0, 1, 1]), { kind: "num", type: "int32", length: 4, values: Int32Array.of(5, 6, 7, 8), valid: null }], length: 4 },
    ];
    const url = "memory://parquet-read/dict.parquet";
    await storeFor(url).put(url, writeParquet(batches, fields, { rowGroupSize: 4 }));
    const meta = await readParquetMeta(url);
    expect(meta.dictionaryFields).toEqual(["k"]);
    expect(meta.rowGroups.length).toBe(2);
    const b = await readParquet(url, { meta });
    const k = b.columns[0] as Column;
    expect(k.kind).toBe("dict");
    expect(columnToArray(k)).toEqual(["a", "b", "b", "a", "a", null, "dd", "c"]);
    const first = await readParquet(url, { meta, rowGroups: [0], columns: ["k"] });
    const second = await readParquet(url, { meta, rowGroups: [1], columns: ["k"] });
    expect(columnToArray(second.columns[0] as Column)).toEqual(["a", null, "dd", "c"]);
    const dictOf = (x: Batch): unknown[] => columnToArray(((x.columns[0] as Column) as DictColumn).dict);
    expect(dictOf(first)).toEqual(["a", "b"]);
    expect(dictOf(second)).toEqual(["a", "c", "dd"]);
    expect(dictOf(b)).toEqual(["a", "b", "c", "dd"]);
  });

  it("reads dictionaries of non-strings (written by other Arrow writers) decoded", async () => {
    const data = arrow.makeData({
      type: new arrow.Dictionary(new arrow.Int64(), new arrow.Int32()), length: 4,
      data: Int32Array.of(0, 1, 1, 0), dictionary: arrow.makeVector(BigInt64Array.of(7n, 9n)),
    });
    const table = new arrow.Table({ di: arrow.makeVector(data) });
    const url = "memory://parquet-read/dict-int.parquet";
    await storeFor(url).put(url, pq.writeParquet(pq.Table.fromIPCStream(arrow.tableToIPC(table, "stream"))));
    const meta = await readParquetMeta(url);
    expect(meta.fields).toEqual([{ name: "di", type: "int64", nullable: true }]);
    expect(meta.dictionaryFields).toEqual([]);
    expect(columnToArray((await readParquet(url, { meta })).columns[0] as Column)).toEqual([7, 9, 9, 7]);
  });
});
