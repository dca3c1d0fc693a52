// Test fixtures for relational kernels: seeded random columns, hand-built batches and naive row decoding.
import { mulberry32 } from "@tessera/common";
import type { DType, Field } from "@tessera/common";
import type { Batch, Column, NumColumn, StrColumn } from "@tessera/kernels";

export type Cell = number | bigint | string | null;

/** A small seeded PRNG so failures reproduce. */
export const rng = mulberry32;

const ctors: Partial<Record<DType, new (n: number) => NumColumn["values"]>> = {
  bool: Uint8Array, int8: Int8Array, int16: Int16Array, int32: Int32Array, uint8: Uint8Array, uint16: Uint16Array,
  uint32: Uint32Array, float32: Float32Array, float64: Float64Array, int64: BigInt64Array, uint64: BigUint64Array,
  date32: Int32Array, "timestamp[ms]": BigInt64Array, "timestamp[ns]": BigInt64Array, null: Uint8Array,
};

/** A num column from cells (null = invalid; the value stored under a null is garbage on purpose). */
export function numCol(type: DType, cells: readonly Cell[]): NumColumn {
  const C = ctors[type];
  if (C === undefined) throw new Error(`no ctor for ${type}`);
  const values = new C(cells.length);
  const valid = new Uint8Array(cells.length);
  let anyNull = false;
  cells.forEach((c, i) => {
    const big = values instanceof BigInt64Array || values instanceof BigUint64Array;
    if (c === null) {
      anyNull = true;
      (values as unknown as (number | bigint)[])[i] = big ? 7n : 77;
    } else {
      valid[i] = 1;
      (values as unknown as (number | bigint)[])[i] = big ? BigInt(c) : Number(c);
    }
  });
  return { kind: "num", type, length: cells.length, values, valid: anyNull ? valid : null };
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** A plain string column; `lead` junk bytes before the first string exercise a non-zero offsets[0]. */
export function strCol(cells: readonly (string | null)[], lead = 0): StrColumn {
  const parts = cells.map((c) => enc.encode(c ?? "zz"));
  const offsets = new Int32Array(cells.length + 1);
  let pos = lead;
  offsets[0] = lead;
  parts.forEach((p, i) => { pos += p.length; offsets[i + 1] = pos; });
  const bytes = new Uint8Array(pos).fill(0x41);
  parts.forEach((p, i) => bytes.set(p, offsets[i]!));
  const anyNull = cells.some((c) => c === null);
  const valid = anyNull ? Uint8Array.from(cells, (c) => (c === null ? 0 : 1)) : null;
  return { kind: "str", type: "utf8", length: cells.length, offsets, bytes, valid };
}

/** A dict column; the dictionary lists entries in a scrambled order, with a duplicate and an unused entry. */
export function dictCol(cells: readonly (string | null)[], dictionary?: StrColumn): Column {
  const distinct = [...new Set(cells.filter((c): c is string => c !== null))].reverse();
  const entries = dictionary === undefined ? ["unused-entry", ...distinct, ...distinct.slice(0, 1)] : null;
  const dict = dictionary ?? strCol(entries!);
  const lookup = new Map<string, number>();
  for (let k = dict.length - 1; k >= 0; k--) lookup.set(strAt(dict, k), k);
  const indices = Int32Array.from(cells, (c) => (c === null ? 0 : lookup.get(c)!));
  const anyNull = cells.some((c) => c === null);
  const valid = anyNull ? Uint8Array.from(cells, (c) => (c === null ? 0 : 1)) : null;
  return { kind: "dict", type: "utf8", length: cells.length, indices, dict, valid };
}

function strAt(c: StrColumn, i: number): string {
  return dec.decode(c.bytes.subarray(c.offsets[i]!, c.offsets[i + 1]!));
}

/** The JS value of row i (bools as 0/1, 64-bit ints as bigint). */
export function cell(col: Column, i: number): Cell {
  if (col.valid !== null && col.valid[i] === 0) return null;
  switch (col.kind) {
    case "num": return col.values[i]!;
    case "str": return strAt(col, i);
    case "dict": return strAt(col.dict, col.indices[i]!);
  }
}

export function makeBatch(cols: Record<string, Column>): Batch {
  const fields: Field[] = Object.entries(cols).map(([name, c]) => ({ name, type: c.type, nullable: c.valid !== null }));
  const columns = Object.values(cols);
  return { fields, columns, length: columns[0]?.length ?? 0 };
}

/** Rows of a batch as arrays of cells. */
export function rowsOf(b: Batch): Cell[][] {
  const out: Cell[][] = [];
  for (let i = 0; i < b.length; i++) out.push(b.columns.map((c) => cell(c, i)));
  return out;
}

/** Column values of a batch by name. */
export function colOf(b: Batch, name: string): Cell[] {
  const k = b.fields.findIndex((f) => f.name === name);
  if (k < 0) throw new Error(`no column ${name}`);
  return Array.from({ length: b.length }, (_, i) => cell(b.columns[k]!, i));
}

/** Reference order of two non-null cells: numbers with NaN greatest and -0 = 0, bigints, strings by UTF-8 bytes. */
export function compareValues(a: Cell, b: Cell): number {
  if (typeof a === "string" && typeof b === "string") return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (typeof a === "bigint" && typeof b === "bigint") return a < b ? -1 : a > b ? 1 : 0;
  const x = a as number;
  const y = b as number;
  const xn = Number.isNaN(x);
  const yn = Number.isNaN(y);
  if (xn || yn) return xn === yn ? 0 : xn ? 1 : -1;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Reference comparison of two cells under one sort key. */
export function compareCells(a: Cell, b: Cell, descending: boolean, nullsLast: boolean): number {
  if (a === null || b === null) {
    if (a === b) return 0;
    return (a === null) === nullsLast ? 1 : -1;
  }
  const c = compareValues(a, b);
  return descending ? -c : c;
}

/** Reference equality of join/group keys: SQL values by value, NaN = NaN, -0 = 0. */
export function sameValue(a: Cell, b: Cell): boolean {
  return a !== null && b !== null && compareValues(a, b) === 0;
}

const STRINGS = ["", "a", "ab", "ab\u0000", "abc", "abcd", "abcde", "abcdf", "b", "B", "é", "e\u0301", "\uE000", "😀", "😀x", "zz", "ä", "abcd😀"];

/** A random column of `type` with nulls, duplicates and edge values. `distinct` bounds the value pool size. */
export function randomColumn(type: DType | "dict", n: number, r: () => number, opts: { nulls?: number; distinct?: number } = {}): Column {
  const nullRate = opts.nulls ?? 0.15;
  const pool = opts.distinct ?? 8;
  const pick = (): Cell => {
    switch (type) {
      case "utf8": case "dict": {
        const k = Math.floor(r() * Math.min(pool + 4, STRINGS.length + pool));
        return k < STRINGS.length ? STRINGS[k]! : `s${k}-${Math.floor(r() * 3)}`;
      }
      case "bool": return r() < 0.5 ? 0 : 1;
      case "float64": case "float32": {
        const edge = [Number.NaN, Infinity, -Infinity, -0, 0, 1.5, -2.25, 1e300, -1e-300];
        if (r() < 0.25) {
          const e = edge[Math.floor(r() * edge.length)]!;
          return type === "float32" ? Math.fround(e) : e;
        }
        const v = (Math.floor(r() * pool) - pool / 2) * 0.5;
        return type === "float32" ? Math.fround(v) : v;
      }
      case "int64": case "timestamp[ms]": case "timestamp[ns]": {
        const edge = [-(2n ** 63n), 2n ** 63n - 1n, -1n, 0n, 2n ** 32n, -(2n ** 32n), 2n ** 32n - 1n];
        if (r() < 0.25) return edge[Math.floor(r() * edge.length)]!;
        return BigInt(Math.floor(r() * pool) - Math.floor(pool / 2)) * (r() < 0.5 ? 1n : 4294967296n);
      }
      case "uint64": {
        const edge = [0n, 2n ** 64n - 1n, 2n ** 63n, 2n ** 32n];
        if (r() < 0.25) return edge[Math.floor(r() * edge.length)]!;
        return BigInt(Math.floor(r() * pool));
      }
      case "int32": case "date32": {
        if (r() < 0.1) return r() < 0.5 ? -2147483648 : 2147483647;
        return Math.floor(r() * pool) - Math.floor(pool / 2);
      }
      case "uint32": return r() < 0.1 ? 4294967295 : Math.floor(r() * pool);
      case "int8": return Math.floor(r() * Math.min(pool, 256)) - 128;
      case "int16": return (Math.floor(r() * pool) * 97) % 65536 - 32768;
      case "uint8": return Math.floor(r() * Math.min(pool, 256));
      case "uint16": return (Math.floor(r() * pool) * 31) % 65536;
      default: throw new Error(`no generator for ${type}`);
    }
  };
  const cells: Cell[] = Array.from({ length: n }, () => (r() < nullRate ? null : pick()));
  if (type === "dict") return dictCol(cells as (string | null)[]);
  if (type === "utf8") return strCol(cells as (string | null)[], 3);
  return numCol(type, cells);
}
