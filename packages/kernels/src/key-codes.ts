// Dense codes per key column (nulls as a code of their own), and mixed-radix packing of several into few words.
import type { Column, DictColumn, NumColumn } from "./column.js";
import { int64Words } from "./dtype-arrays.js";
import { encodeColumn, expectedDistinct, familyOf, newKeyTable } from "./key-table.js";
import { compactDict } from "./compact-dict.js";
import { scratchArray } from "./scratch.js";
import { int32Range } from "./int-range.js";
import { PARTITIONED_MIN_ROWS, partitionedStrCodes } from "./partitioned-codes.js";

/** Codes per row in [0, count), nulls as the code `count - 1` when there are any; not in first-appearance order. */
export interface Codes {
  readonly codes: Int32Array;
  readonly count: number;
}

/** A packed key word per row: codes of consecutive columns in mixed radix, values in [0, count). */
export interface Word {
  readonly keys: Uint32Array;
  readonly count: number;
}

/** Integers whose range is at most max(2n, 2^16): the value minus the minimum, no hashing. */
function smallIntCodes(col: NumColumn): Codes | null {
  const n = col.length;
  const valid = col.valid;
  const v = col.values;
  let lows: ArrayLike<number>;
  let stride = 1;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      if (w[2 * i + 1] !== (w[2 * i] as number) >> 31) return null;
    }
    lows = w;
    stride = 2;
  } else if (v instanceof Float32Array || v instanceof Float64Array) {
    return null;
  } else {
    lows = v as ArrayLike<number>;
  }
  // int32 columns without nulls (most integer keys) go through loops that see Int32Arrays alone.
  const plain32 = valid === null && stride === 1 && lows instanceof Int32Array ? lows : null;
  let min = Infinity;
  let max = -Infinity;
  if (plain32 !== null) [min, max] = int32Range(plain32, n);
  else {
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const x = lows[i * stride] as number;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (max < min) { min = 0; max = -1; }
  const range = max - min + 1;
  if (range > Math.max(2 * n, 1 << 16)) return null;
  const codes = scratchArray(Int32Array, n, false);
  if (plain32 !== null) int32Offsets(plain32, n, min, codes);
  else if (valid === null && stride === 1) for (let i = 0; i < n; i++) codes[i] = (lows[i] as number) - min;
  else for (let i = 0; i < n; i++) codes[i] = valid !== null && valid[i] === 0 ? range : (lows[i * stride] as number) - min;
  return { codes, count: valid !== null ? range + 1 : range };
}

/** out[i] = x[i] - min for i < n. */
function int32Offsets(x: Int32Array, n: number, min: number, out: Int32Array): void {
  for (let i = 0; i < n; i++) out[i] = (x[i] as number) - min;
}

/**
 * Dense codes of one key column: equal values share a code whatever their encoding (dict or plain strings,
 * NaN with NaN, -0 with 0). Dictionary columns hash each dictionary entry once and gather through the indices.
 */
export function columnCodes(full: Column): Codes {
  const col = full.kind === "dict" && 2 * full.length < full.dict.length ? compactDict(full, 1) : full;
  if (col.kind === "num" && familyOf(col) === "int") {
    const small = smallIntCodes(col);
    if (small !== null) return small;
  }
  // Many strings (a long column, a dictionary of many entries): coded partition by partition, in cache-sized tables.
  if (col.kind === "str" && col.valid === null && col.length >= PARTITIONED_MIN_ROWS) return partitionedStrCodes(col);
  if (col.kind === "dict" && col.dict.valid === null && col.dict.length >= PARTITIONED_MIN_ROWS) return gatheredCodes(col, partitionedStrCodes(col.dict));
  const t = newKeyTable(familyOf(col), expectedDistinct(col));
  const codes = encodeColumn(t, col, true);
  if (col.valid === null) return { codes, count: t.count };
  const nullCode = t.count;
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) < 0) codes[i] = nullCode;
  return { codes, count: t.count + 1 };
}

/** Row codes of a dictionary column from its entries' codes; null rows get the code `count` (one past them). */
function gatheredCodes(col: DictColumn, entries: Codes): Codes {
  const n = col.length;
  const idx = col.indices;
  const valid = col.valid;
  const entry = entries.codes;
  const codes = scratchArray(Int32Array, n, false);
  if (valid === null) {
    for (let i = 0; i < n; i++) codes[i] = entry[idx[i] as number] as number;
    return { codes, count: entries.count };
  }
  for (let i = 0; i < n; i++) codes[i] = valid[i] === 0 ? entries.count : (entry[idx[i] as number] as number);
  return { codes, count: entries.count + 1 };
}

const WORD = 2 ** 32;

/**
 * w[i] = w[i] * radix + c[i] for i < n, over a word's bits as int32: the result is below 2^32 (the word's count times
 * radix is), so the low 32 bits of Math.imul's product plus c[i] are its bits exactly. Multiplying the Uint32Array's
 * values as doubles took 1.8-2.7 ns a row; this 1.4-1.7.
 */
function mixRadix(w: Int32Array, c: Int32Array, radix: number, n: number): void {
  for (let i = 0; i < n; i++) w[i] = Math.imul(w[i] as number, radix) + (c[i] as number);
}

/**
 * Packs consecutive columns' codes into words while the product of their code counts fits 32 bits, so a tuple
 * of k keys costs as many hash probes as it has words (usually one or two), not k - 1. Consumes `parts`: each
 * word is built in place over the code array of its first column (columnCodes' arrays are the caller's own).
 */
export function packCodes(parts: readonly Codes[], n: number): Word[] {
  const words: Word[] = [];
  let keys: Uint32Array | null = null;
  let count = 1;
  for (const p of parts) {
    if (keys !== null && count * p.count <= WORD) {
      mixRadix(new Int32Array(keys.buffer, keys.byteOffset, n), p.codes, p.count, n);
      count *= p.count;
      continue;
    }
    if (keys !== null) words.push({ keys, count });
    // A word starts as its first column's codes, taken over in place (codes are non-negative: the same bits).
    keys = new Uint32Array(p.codes.buffer, p.codes.byteOffset, n);
    count = Math.max(1, p.count);
  }
  if (keys !== null) words.push({ keys, count });
  return words;
}
