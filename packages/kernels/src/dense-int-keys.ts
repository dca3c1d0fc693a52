// A join's build keys of one integer column that spans a narrow range: codes by direct addressing, no hashing.
import { InternalError } from "@tessera/common";
import type { Column, NumColumn } from "./column.js";
import { toFloat64 } from "./dtype-arrays.js";
import { familyOf } from "./key-table.js";
import { scratchArray } from "./scratch.js";

/**
 * The build side's distinct keys by value: value v has code slot[v - min] - 1 (0 in the slot: no build row has v).
 * A lookup is one read from an array of `range` integers, where a key table hashes the value and probes slots four
 * times as wide. Used when the range is at most RANGE_PER_ROW × the rows (or MIN_RANGE): the array then costs at most
 * 24 bytes a build row, about what a key table's slots cost (16 bytes × 1.4 slots per key).
 */
export interface DenseIntKeys {
  readonly min: number;
  readonly range: number;
  readonly slot: Int32Array;
  /** Distinct non-null keys, coded 0 .. count - 1 in order of first appearance. */
  readonly count: number;
}

const RANGE_PER_ROW = 6;
const MIN_RANGE = 1 << 16;
/** Build values must stay within ±2^52, so that no probe value rounded to a double lands in the range by rounding. */
const EXACT = 2 ** 52;

/** An integer column's values as numbers: 32-bit and narrower arrays as they are, 64-bit ones converted (exactly below 2^53). */
function numbersOf(col: NumColumn): ArrayLike<number> {
  const v = col.values;
  return v instanceof BigInt64Array || v instanceof BigUint64Array ? toFloat64(v) : (v as ArrayLike<number>);
}

/**
 * Dense keys for build column `col` and each row's code (-1 for a null), or null when `col` is not integers, a value
 * is past ±2^52, or the values span more than max(RANGE_PER_ROW × rows, MIN_RANGE).
 */
export function buildDenseIntKeys(col: Column): { keys: DenseIntKeys; codes: Int32Array } | null {
  if (col.kind !== "num" || col.type === "null" || familyOf(col) !== "int") return null;
  const n = col.length;
  const valid = col.valid;
  const x = numbersOf(col);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const v = x[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  if (max < min) { min = 0; max = -1; }
  if (min < -EXACT || max > EXACT) return null;
  const range = max - min + 1;
  if (range > Math.max(RANGE_PER_ROW * n, MIN_RANGE)) return null;
  // Working memory of the task that builds the index (the index is not kept past it).
  const slot = scratchArray(Int32Array, range, true);
  const codes = scratchArray(Int32Array, n, false);
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) { codes[i] = -1; continue; }
    const d = (x[i] as number) - min;
    let c = slot[d] as number;
    if (c === 0) slot[d] = c = ++count;
    codes[i] = c - 1;
  }
  return { keys: { min, range, slot, count }, codes };
}

/**
 * The code of each probe row's key (-1: null, or no build row has it). Integers of any width match by value, and
 * floats only when they are exact integers, as key tables match them.
 */
export function probeDenseIntKeys(keys: DenseIntKeys, col: Column): Int32Array {
  if (col.kind !== "num") {
    throw new InternalError("KEY_TYPE_MISMATCH", `cannot match ${familyOf(col)} keys against int keys; cast join keys to a common type`);
  }
  const n = col.length;
  const valid = col.valid;
  const { min, range, slot } = keys;
  const out = scratchArray(Int32Array, n, false);
  if (col.type === "null") return out.fill(-1);
  const x = numbersOf(col);
  if (familyOf(col) === "int") {
    for (let i = 0; i < n; i++) {
      const d = (x[i] as number) - min;
      out[i] = (valid !== null && valid[i] === 0) || d < 0 || d >= range ? -1 : (slot[d] as number) - 1;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const d = (x[i] as number) - min;
      // NaN fails every comparison; a fraction is not a key.
      out[i] = (valid !== null && valid[i] === 0) || !(d >= 0 && d < range) || d !== Math.floor(d) ? -1 : (slot[d] as number) - 1;
    }
  }
  return out;
}
