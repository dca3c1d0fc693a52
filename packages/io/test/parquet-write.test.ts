// Parquet writes: every type round-trips and DuckDB reads our files; codec, row-group and dictionary options.
import path from "node:path";
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Field } from "@tessera/common";
import { readParquet, readParquetMeta, writeParquet } from "@tessera/io";
import { columnFromValues, columnToArray, type Batch, type Column, type DictColumn } from "@tessera/kernels";
import { duck, rows, tempDir } from "./helpers.js";

const { dir, cleanup } = tempDir();
let oracle: Awaited<ReturnType<typeof duck>>;
beforeAll(async () => { oracle = await duck(); });
afterAll(() => { oracle.close(); cleanup(); });

const TYPES: Record<string, Field["type"]> = {
  b: "bool", i8: "int8", i16: "int16", i32: "int32", i64: "int64", u8: "uint8", u16: "uint16", u32: "uint32", u64: "uint64",
  f32: "float32", f64: "float64", s: "utf8", d: "date32", ts: "timestamp[s]", tms: "timestamp[ms]", tus: "timestamp[us]", tns: "timestamp[ns]", nl: "null",
};
const VALUES: Record<string, unknown[]> = {
  b: [true, null, false], i8: [-5, null, 7], i16: [-300, 2, null], i32: [1, null, -2147483648], i64: [9007199254740993n, null, -1n],
  u8: [255, 0, null], u16: [65535, null, 1], u32: [4294967295, 1, null], u64: [18446744073709551615n, null, 0n],
  f32: [1.5, null, -0.25], f64: [Math.PI, null, -1e300], s: ["héllo", null, "a,\"b\""], d: [19000, null, -1],
  ts: [1700000000n, null, -1n], tms: [1700000000123n, null, -1n], tus: [1700000000123456n, null, 0n], tns: [1700000000123456789n, null, 0n],
  nl: [null, null, null],
};

function dictColumn(idx: number[], dict: string[], valid: number[] | null): DictColumn {
  return { kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx), dict: columnFromValues("utf8", dict) as DictColumn["dict"], valid: valid === null ? null : Uint8Array.from(valid) };
}

function allTypes(): { fields: Field[]; batch: Batch } {
  const fields: Field[] = Object.entries(TYPES).map(([name, type]) => ({ name, type, nullable: true }));
  const columns: Column[] = fields.map((f) => columnFromValues(f.type, VALUES[f.name] as unknown[]));
  fields.push({ name: "dc", type: "utf8", nullable: true });
  columns.push(dictColumn([1, 0, 1], ["x", "y"], [1, 0, 1]));
  return { fields, batch: { fields, columns, length: 3 } };
}

/** Values with 64-bit integers kept exact (bigint). */
function exact(c: Column): unknown[] {
  if (c.kind === "num" && (c.values instanceof BigInt64Array || c.values instanceof BigUint64Array)) {
    return Array.from(c.values as ArrayLike<bigint>, (v, i) => (c.valid !== null && c.valid[i] === 0 ? null : v));
  }
  return columnToArray(c);
}

describe("writeParquet", () => {
  it("keeps every type, null and dictionary column through a round trip", async () => {
    const { fields, batch } = allTypes();
    const file = path.join(dir, "all.parquet");
    writeFileSync(file, writeParquet([batch], fields, { rowGroupSize: 2 }));
    const meta = await readParquetMeta(file);
    expect(meta.fields.map((f) => `${f.name}:${f.type}`)).toEqual(fields.map((f) => `${f.name}:${f.type}`));
    expect(meta.dictionaryFields).toEqual(["dc"]);
    expect(meta.rowGroups.map((rg) => rg.numRows)).toEqual([2, 1]);
    expect(meta.rowGroups[0]?.columns.ts).toEqual({ min: 1700000000, max: 1700000000, nullCount: 1 });
    const back = await readParquet(file, { meta });
    expect(back.fields.map((f) => f.type)).toEqual(fields.map((f) => f.type));
    expect(back.columns[back.columns.length - 1]?.kind).toBe("dict");
    fields.forEach((f, i) => expect(exact(back.columns[i] as Column), f.name).toEqual(exact(batch.columns[i] as Column)));
  });

  it("writes files DuckDB reads with the same values and types", async () => {
    const { fields, batch } = allTypes();
    const file = path.join(dir, "duck.parquet");
    writeFileSync(file, writeParquet([batch, batch], fields));
    const types = await rows(oracle.con, `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM '${file}')`);
    expect(Object.fromEntries(types as [string, string][])).toEqual({
      b: "BOOLEAN", i8: "TINYINT", i16: "SMALLINT", i32: "INTEGER", i64: "BIGINT", u8: "UTINYINT", u16: "USMALLINT", u32: "UINTEGER",
      u64: "UBIGINT", f32: "FLOAT", f64: "DOUBLE", s: "VARCHAR", d: "DATE", ts: "TIMESTAMP", tms: "TIMESTAMP", tus: "TIMESTAMP",
      tns: "TIMESTAMP_NS", nl: "INTEGER", dc: "VARCHAR",
    });
    const got = await rows(oracle.con, `SELECT b, i8, i16, i32, i64, u8, u16, u32, u64, f32, f64, s, (d - DATE '1970-01-01')::INT,
      epoch(ts)::BIGINT, epoch_ms(tms), epoch_us(tus), epoch_ns(tns), nl, dc FROM '${file}'`);
    expect(got.length).toBe(6);
    const want = [0, 1, 2].map((r) => [
      ...["b", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "s", "d"].map((n) => (VALUES[n] as unknown[])[r]),
      (VALUES.ts as unknown[])[r], (VALUES.tms as unknown[])[r], (VALUES.tus as unknown[])[r], (VALUES.tns as unknown[])[r], null, ["y", null, "y"][r],
    ]);
    const norm = (row: unknown[]): unknown[] => row.map((v) => (typeof v === "number" && !Number.isInteger(v) ? Math.fround(v) : v));
    expect(got.map(norm)).toEqual([...want, ...want].map(norm));
  });

  it("applies compression, row-group size and dictionary options", async () => {
    const n = 1000;
    const fields: Field[] = [{ name: "k", type: "utf8", nullable: false }, { name: "v", type: "int64", nullable: false }];
    const batch: Batch = {
      fields,
      columns: [columnFromValues("utf8", Array.from({ length: n }, (_, i) => `key${i % 3}`)), columnFromValues("int64", Array.from({ length: n }, (_, i) => BigInt(i)))],
      length: n,
    };
    for (const [compression, codec] of [["zstd", "ZSTD"], ["snappy", "SNAPPY"], ["none", "UNCOMPRESSED"]] as const) {
      const file = path.join(dir, `opt-${compression}.parquet`);
      writeFileSync(file, writeParquet([batch], fields, { compression, rowGroupSize: 300 }));
      const md = await rows(oracle.con, `SELECT DISTINCT row_group_id, row_group_num_rows, compression FROM parquet_metadata('${file}') ORDER BY 1`);
      expect(md).toEqual([[0n, 300n, codec], [1n, 300n, codec], [2n, 300n, codec], [3n, 100n, codec]]);
    }
    const encodings = async (dictionary: boolean): Promise<string> => {
      const file = path.join(dir, `dict-${dictionary}.parquet`);
      writeFileSync(file, writeParquet([batch], fields, { dictionary }));
      return String((await rows(oracle.con, `SELECT encodings FROM parquet_metadata('${file}') WHERE path_in_schema = 'k'`))[0]?.[0]);
    };
    expect(await encodings(true)).toMatch(/DICTIONARY/);
    expect(await encodings(false)).not.toMatch(/DICTIONARY/);
    expect(() => writeParquet([batch], fields, { rowGroupSize: 0 })).toThrow(/rowGroupSize must be a positive integer/);
  });

  it("writes a valid empty file for no batches", async () => {
    const fields: Field[] = [{ name: "a", type: "int32", nullable: true }, { name: "s", type: "utf8", nullable: true }];
    const file = path.join(dir, "empty.parquet");
    writeFileSync(file, writeParquet([], fields));
    expect(await rows(oracle.con, `SELECT count(*) FROM '${file}'`)).toEqual([[0n]]);
    const back = await readParquet(file);
    expect(back.length).toBe(0);
    expect(back.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["a:int32", "s:utf8"]);
  });
});
