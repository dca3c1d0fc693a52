// The page decoder against DuckDB: every codec and page version, nulls, dictionary fallback to PLAIN, footer parts.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parquetFooterBytes, parquetFooterPart, readParquet, readParquetMeta, registerObjectStore, writeParquet } from "@tessera/io";
import { columnToArray, type Batch, type Column, type DictColumn } from "@tessera/kernels";
import { CountingStore, duck, rows, tempDir } from "./helpers.js";
import { describeColumns } from "../src/parquet/columns.js";
import { decodeFooter } from "../src/parquet/footer.js";
import { pageDecodable } from "../src/parquet/pages/page-columns.js";

/** Columns of a file the page decoder takes (the rest go to parquet-wasm). */
async function pageColumns(file: string): Promise<string[]> {
  const footer = decodeFooter(parquetFooterBytes(await readParquetMeta(file)) as Uint8Array);
  const all = footer.rowGroups.map((_, i) => i);
  return describeColumns(footer).filter((d) => d.field !== null && pageDecodable(footer, d, all)).map((d) => d.name);
}

const { dir, cleanup } = tempDir("tessera-pages-");
let oracle: Awaited<ReturnType<typeof duck>>;

// Nulls in every nullable column, strings that repeat (dictionary pages) and strings that do not (PLAIN pages).
const SELECT = `SELECT i::INT AS i, CASE WHEN i % 7 = 3 THEN NULL ELSE i::BIGINT * 3000000000 END AS big,
  CASE WHEN i % 5 = 0 THEN NULL ELSE i / 8.0::DOUBLE END AS d, (i % 3)::FLOAT / 2 AS f, i % 3 = 0 AS b,
  CASE WHEN i % 11 = 0 THEN NULL ELSE 'k' || (i % 13) END AS low, 'u' || i || repeat('x', i % 5) AS high,
  (i % 100)::TINYINT AS t8, (i % 60000)::USMALLINT AS u16, DATE '2021-03-01' + (i % 400)::INT AS dt,
  TIMESTAMP '2020-01-01' + INTERVAL (i * 37) SECOND AS ts
  FROM range(30000) t(i)`;
const NAMES = ["i", "big", "d", "f", "b", "low", "high", "t8", "u16", "dt", "ts"];
const EXPECT_SQL = (file: string) =>
  `SELECT i, big, d, f, b, low, high, t8, u16, (dt - DATE '1970-01-01')::INT, epoch_us(ts) FROM '${file}'`;

function exact(c: Column): unknown[] {
  if (c.kind === "num" && (c.values instanceof BigInt64Array || c.values instanceof BigUint64Array)) {
    return Array.from(c.values as BigInt64Array, (v, i) => (c.valid !== null && c.valid[i] === 0 ? null : v));
  }
  if (c.kind === "num" && c.type === "bool") return columnToArray(c).map((v) => (v === null ? null : v === 1 || v === true));
  return columnToArray(c);
}

function expectColumns(b: Batch, want: unknown[][], names: readonly string[]): void {
  names.forEach((name, k) => {
    const c = b.columns[b.fields.findIndex((f) => f.name === name)] as Column;
    expect(exact(c), name).toEqual(want.map((r) => (typeof r[k] === "number" && c.type === "float32" ? Math.fround(r[k] as number) : r[k])));
  });
}

beforeAll(async () => { oracle = await duck(); });
afterAll(() => { oracle.close(); cleanup(); });

describe("page decoder", () => {
  for (const [codec, version] of [["snappy", "V1"], ["zstd", "V1"], ["gzip", "V1"], ["uncompressed", "V1"], ["zstd", "V2"], ["snappy", "V2"]] as const) {
    it(`reads a DuckDB file (${codec}, data pages ${version}) with the values DuckDB reads`, async () => {
      const file = path.join(dir, `${codec}-${version}.parquet`);
      await oracle.con.run(`COPY (${SELECT}) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, PARQUET_VERSION ${version}, ROW_GROUP_SIZE 10000)`);
      const b = await readParquet(file);
      expect(b.length).toBe(30000);
      expect(b.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
        "i:int32", "big:int64", "d:float64", "f:float32", "b:bool", "low:utf8", "high:utf8", "t8:int8", "u16:uint16", "dt:date32", "ts:timestamp[us]",
      ]);
      expectColumns(b, await rows(oracle.con, EXPECT_SQL(file)), NAMES);
      // Version 2 files use DELTA_BINARY_PACKED for 64-bit integers too, which is left to parquet-wasm.
      expect(await pageColumns(file)).toEqual(version === "V1" ? NAMES : NAMES.filter((n) => n !== "big" && n !== "ts"));
      // A middle row group alone, in the caller's column order.
      const groups = (await readParquetMeta(file)).rowGroups;
      expect(groups.length).toBeGreaterThan(2);
      const start = (groups[0]?.numRows ?? 0), end = start + (groups[1]?.numRows ?? 0);
      const mid = await readParquet(file, { rowGroups: [1], columns: ["high", "big", "low"] });
      expectColumns(mid, await rows(oracle.con, `SELECT high, big, low FROM '${file}' WHERE i >= ${start} AND i < ${end}`), ["high", "big", "low"]);
    });
  }

  it("decodes into shared memory on request: every buffer a SharedArrayBuffer, the values those of an ordinary read", async () => {
    const file = path.join(dir, "shared.parquet");
    await oracle.con.run(`COPY (${SELECT}) TO '${file}' (FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 10000)`);
    const ordinary = await readParquet(file, { dictionary: ["low"] });
    const shared = await readParquet(file, { dictionary: ["low"], memory: "shared" });
    const buffers = (b: Batch): ArrayBufferLike[] => b.columns.flatMap((c) => [
      ...(c.kind === "num" ? [c.values.buffer] : c.kind === "str" ? [c.offsets.buffer, c.bytes.buffer] : [c.indices.buffer, c.dict.offsets.buffer, c.dict.bytes.buffer]),
      ...(c.valid === null ? [] : [c.valid.buffer]),
    ]);
    expect(shared.columns.map((c) => c.kind)).toEqual(ordinary.columns.map((c) => c.kind));
    expect(shared.columns.some((c) => c.kind === "dict") && shared.columns.some((c) => c.kind === "str") && shared.columns.some((c) => c.valid !== null)).toBe(true);
    for (const buf of buffers(shared)) expect(buf).toBeInstanceOf(SharedArrayBuffer);
    for (const buf of buffers(ordinary)) expect(buf).toBeInstanceOf(ArrayBuffer);
    shared.columns.forEach((c, k) => expect(exact(c), shared.fields[k]?.name).toEqual(exact(ordinary.columns[k] as Column)));
  });

  it("falls back to parquet-wasm for encodings it does not decode (DuckDB's V2 DELTA encodings), with the same values", async () => {
    const file = path.join(dir, "delta.parquet");
    await oracle.con.run(`COPY (SELECT i::BIGINT * 7 AS big, 'v' || i AS s FROM range(20000) t(i)) TO '${file}' (FORMAT parquet, PARQUET_VERSION V2)`);
    const enc = await rows(oracle.con, `SELECT DISTINCT encodings FROM parquet_metadata('${file}')`);
    expect(enc.map((r) => String(r[0])).join(",")).toMatch(/DELTA/);
    const b = await readParquet(file);
    expectColumns(b, await rows(oracle.con, `SELECT big, s FROM '${file}'`), ["big", "s"]);
  });

  it("reads Tessera's own zstd files, keeping dictionary columns whose pages fall back to PLAIN as one dictionary", async () => {
    // 40,000 distinct strings of 40 bytes: the writer's dictionary page fills up and later pages are PLAIN.
    const n = 60000;
    const strs = Array.from({ length: n }, (_, i) => `s${String((i * 7919) % 40000).padStart(39, "0")}`);
    const dict = { kind: "str" as const, type: "utf8" as const, length: 40000, offsets: new Int32Array(40001), bytes: new Uint8Array(40000 * 40), valid: null };
    const enc = new TextEncoder();
    for (let k = 0; k < 40000; k++) { dict.bytes.set(enc.encode(`s${String(k).padStart(39, "0")}`), 40 * k); dict.offsets[k + 1] = 40 * (k + 1); }
    const indices = Int32Array.from({ length: n }, (_, i) => (i * 7919) % 40000);
    const valid = Uint8Array.from({ length: n }, (_, i) => (i % 9 === 4 ? 0 : 1));
    const fields = [{ name: "k", type: "utf8", nullable: true }, { name: "x", type: "float64", nullable: false }] as const;
    const batch: Batch = { fields, length: n, columns: [
      { kind: "dict", type: "utf8", length: n, indices, dict, valid },
      { kind: "num", type: "float64", length: n, values: Float64Array.from({ length: n }, (_, i) => i / 3), valid: null },
    ] };
    const file = path.join(dir, "tessera.parquet");
    await (await import("node:fs/promises")).writeFile(file, writeParquet([batch], fields, { rowGroupSize: 25000 }));
    const encodings = await rows(oracle.con, `SELECT encodings FROM parquet_metadata('${file}') WHERE path_in_schema = 'k'`);
    expect(encodings.map((r) => String(r[0])).join(",")).toMatch(/PLAIN.*RLE_DICTIONARY|RLE_DICTIONARY.*PLAIN/);
    const b = await readParquet(file);
    const k = b.columns[0] as Column;
    expect(k.kind).toBe("dict");
    expect(columnToArray(k)).toEqual(strs.map((s, i) => (valid[i] === 0 ? null : s)));
    // The dictionary pages' entries, then each PLAIN value once: fewer entries than the dictionary pages and the PLAIN
    // rows would take (each row group's dictionary page holds distinct values, so duplicates span row groups).
    const d = k.kind === "dict" ? columnToArray(k.dict) : [];
    const perGroup = await Promise.all([0, 1, 2].map(async (rg) => (((await readParquet(file, { rowGroups: [rg], columns: ["k"] })).columns[0] as Column) as DictColumn).dict.length));
    expect(d.length).toBeLessThanOrEqual(perGroup.reduce((a: number, x: number) => a + x, 0));
    expect(new Set(d)).toEqual(new Set(strs.filter((_, i) => valid[i] !== 0)));
    expect(columnToArray(b.columns[1] as Column)).toEqual(Array.from({ length: n }, (_, i) => i / 3));
  });

  it("reads from a footer part without fetching the footer, the same as from the file", async () => {
    const file = path.join(dir, "part.parquet");
    await oracle.con.run(`COPY (${SELECT}) TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 7000)`);
    const store = new CountingStore();
    registerObjectStore("pagepart", store);
    const url = "pagepart://b/part.parquet";
    await store.put(url, (await import("node:fs")).readFileSync(file));
    const meta = await readParquetMeta(url);
    const footer = parquetFooterBytes(meta);
    expect(footer).not.toBeNull();
    const part = parquetFooterPart(footer as Uint8Array, meta.size, [3, 1], ["ts", "low"]);
    expect(part.rowGroups).toEqual([1, 3]);
    expect(part.bytes.length).toBeLessThan((footer as Uint8Array).length / 3);
    store.gets.length = 0;
    const fromPart = await readParquet(url, { rowGroups: [1, 3], columns: ["low", "ts"], footer: part });
    const fromFile = await readParquet(url, { rowGroups: [1, 3], columns: ["low", "ts"], meta });
    expect(fromPart).toEqual(fromFile);
    // Only column-chunk reads: everything fetched lies before the footer, and there was no HEAD-less whole read.
    const size = (footer as Uint8Array).length;
    const fileSize = (await import("node:fs")).statSync(file).size;
    const fetched = store.gets.slice(0, store.gets.length / 2);
    expect(fetched.every((g) => g.range !== undefined && g.range.offset + g.range.length <= fileSize - size - 8)).toBe(true);
    await expect(readParquet(url, { rowGroups: [2], columns: ["low"], footer: part })).rejects.toMatchObject({ code: "IO_BAD_ROW_GROUP" });
  });
});
