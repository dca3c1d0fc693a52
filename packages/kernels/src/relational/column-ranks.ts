// Dense ascending ranks of a column's non-null values: the normalized key every sort in relational/ orders by.
import { assertNever, ExecutionError } from "@tessera/common";
import type { Column, DictColumn, NumColumn, StrColumn } from "../column.js";
import { identityIndices, radixSortByKey } from "./radix.js";
import { scratchArray } from "../scratch.js";
import { rankStrings } from "./string-order.js";

/** ranks[i] in [0, count) for every non-null row i (equal values share a rank); entries under nulls are 0. */
export interface Ranks {
  readonly ranks: Uint32Array;
  readonly count: number;
}

/**
 * Ranks a column in ascending order: numbers by value with NaN after +Infinity and -0 equal to 0,
 * strings by UTF-8 bytes (code-point order). No comparator on numbers: counting ranks for small integer ranges,
 * else radix passes over order-preserving 32-bit words.
 */
export function denseRanks(col: Column): Ranks {
  switch (col.kind) {
    case "num": return rankNumbers(col);
    case "str": return rankStrings(col, validRows(col.valid, col.length));
    case "dict": return rankDict(col);
    default: return assertNever(col, "column kind");
  }
}

/** Row ids whose validity byte is 1 (all rows when `valid` is null). */
function validRows(valid: Uint8Array | null, n: number): Int32Array {
  if (valid === null) return identityIndices(n);
  let m = 0;
  for (let i = 0; i < n; i++) m += valid[i]!;
  const rows = new Int32Array(m);
  for (let i = 0, k = 0; i < n; i++) if (valid[i] === 1) rows[k++] = i;
  return rows;
}

function rankDict(col: DictColumn): Ranks {
  const dict: StrColumn = col.dict;
  const entry = rankStrings(dict, identityIndices(dict.length));
  const ranks = new Uint32Array(col.length);
  const { indices } = col;
  for (let i = 0; i < col.length; i++) ranks[i] = entry.ranks[indices[i]!]!;
  return { ranks, count: entry.count };
}

function rankNumbers(col: NumColumn): Ranks {
  const rows = validRows(col.valid, col.length);
  const v = col.values;
  switch (col.type) {
    case "null": case "bool": case "int8": case "int16": case "int32": case "uint8": case "uint16": case "uint32": case "date32":
      return rankSmallInts(v as Int32Array | Uint32Array | Int16Array | Uint16Array | Int8Array | Uint8Array, rows);
    case "float32":
      return rankWords(rows, col.length, null, float32Words(v as Float32Array));
    case "float64": {
      const w = float64Words(v as Float64Array);
      return rankWords(rows, col.length, w.hi, w.lo);
    }
    case "int64": case "uint64":
    case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]": {
      const w = int64SortWords(v as BigInt64Array | BigUint64Array, col.type !== "uint64");
      return rankWords(rows, col.length, w.hi, w.lo);
    }
    case "utf8":
      throw new ExecutionError("SORT_KEY_TYPE", `cannot order a numeric column of type ${col.type}`);
    default: return assertNever(col.type, "dtype");
  }
}

/** Integers of at most 32 bits: counting ranks when the value range is small, else radix ranks of (v - min). */
function rankSmallInts(v: ArrayLike<number>, rows: Int32Array): Ranks {
  const n = v.length;
  if (rows.length === 0) return { ranks: new Uint32Array(n), count: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let k = 0; k < rows.length; k++) {
    const x = v[rows[k]!]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const range = max - min;
  if (range <= Math.max(2 * rows.length, 1 << 12)) {
    const dense = new Uint32Array(range + 1);
    for (let k = 0; k < rows.length; k++) dense[v[rows[k]!]! - min] = 1;
    let count = 0;
    for (let x = 0; x <= range; x++) {
      const present = dense[x]!;
      dense[x] = count;
      count += present;
    }
    const ranks = new Uint32Array(n);
    for (let k = 0; k < rows.length; k++) {
      const i = rows[k]!;
      ranks[i] = dense[v[i]! - min]!;
    }
    return { ranks, count };
  }
  const lo = new Uint32Array(n);
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k]!;
    lo[i] = v[i]! - min;
  }
  return rankWords(rows, n, null, lo);
}

/** Ranks rows by the unsigned 64-bit key (hi, lo), or by lo alone when hi is null. */
function rankWords(rows: Int32Array, n: number, hi: Uint32Array | null, lo: Uint32Array): Ranks {
  const a = rows.slice();
  const b = new Int32Array(rows.length);
  let order = radixSortByKey(a, lo, b);
  if (hi !== null) order = radixSortByKey(order, hi, order === a ? b : a);
  const ranks = new Uint32Array(n);
  let r = -1;
  let prevLo = 0;
  let prevHi = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    const l = lo[i]!;
    const h = hi === null ? 0 : hi[i]!;
    if (k === 0 || l !== prevLo || h !== prevHi) r++;
    ranks[i] = r;
    prevLo = l;
    prevHi = h;
  }
  return { ranks, count: r + 1 };
}

/**
 * Order-preserving unsigned images of float32 values (NaN canonical and greatest, -0 as 0), read from the values' bits
 * in one pass into a scratch array (a temporary of the caller's task).
 */
export function float32Words(v: Float32Array): Uint32Array {
  const n = v.length;
  const u = new Uint32Array(v.buffer, v.byteOffset, n);
  const out = scratchArray(Uint32Array, n, false);
  for (let i = 0; i < n; i++) {
    const b = u[i]!;
    if ((b & 0x7fffffff) > 0x7f800000) out[i] = 0xffc00000;  // any NaN: the canonical one's image
    else if (b === 0x80000000) out[i] = 0x80000000;  // -0: +0's image
    else out[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  return out;
}

/**
 * Order-preserving unsigned (hi, lo) images of float64 values (NaN canonical and greatest, -0 as 0), read from the
 * values' bits in one pass into scratch arrays (temporaries of the caller's task).
 */
export function float64Words(v: Float64Array): { hi: Uint32Array; lo: Uint32Array } {
  const n = v.length;
  const u = new Uint32Array(v.buffer, v.byteOffset, 2 * n);
  const hi = scratchArray(Uint32Array, n, false);
  const lo = scratchArray(Uint32Array, n, false);
  for (let i = 0; i < n; i++) {
    const l = u[2 * i]!; // little-endian: low word first
    const h = u[2 * i + 1]!;
    const mag = h & 0x7fffffff;
    if (mag >= 0x7ff00000 && (mag > 0x7ff00000 || l !== 0)) {
      hi[i] = 0xfff80000;  // any NaN: the canonical one's image
      lo[i] = 0;
    } else if (h & 0x80000000 && (mag | l) !== 0) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (mag | 0x80000000) >>> 0;  // -0 as +0
      lo[i] = l;
    }
  }
  return { hi, lo };
}

/** (hi, lo) words of 64-bit integers read through a 32-bit view (no BigInt allocation); signed ones get the sign bit flipped. */
export function int64SortWords(v: BigInt64Array | BigUint64Array, signed: boolean): { hi: Uint32Array; lo: Uint32Array } {
  const u = new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
  const hi = new Uint32Array(v.length);
  const lo = new Uint32Array(v.length);
  const flip = signed ? 0x80000000 : 0;
  for (let i = 0; i < v.length; i++) {
    lo[i] = u[2 * i]!;
    hi[i] = (u[2 * i + 1]! ^ flip) >>> 0;
  }
  return { hi, lo };
}
