// Reading aggregate inputs as plain number arrays (64-bit integers converted once), and exactness checks.
import type { Column } from "../column.js";
import { toFloat64 } from "../dtype-arrays.js";
import type { NumberArray } from "./accumulate.js";
import { InternalError } from "@tessera/common";
import { int32Range } from "../int-range.js";

/** The column's values as numbers (no copy unless 64-bit), and its validity (a "null" column is all invalid). */
export function numericInput(col: Column): { x: NumberArray; valid: Uint8Array | null } {
  if (col.kind !== "num") throw new InternalError("AGG_INPUT", `numeric aggregate over a ${col.type} column`);
  const v = col.values;
  const x = v instanceof BigInt64Array || v instanceof BigUint64Array ? toFloat64(v) : v;
  return { x, valid: col.type === "null" ? new Uint8Array(col.length) : col.valid };
}

/** True when plain double addition of these values is exact for any grouping (integers of <= 32 bits, < 2^21 rows). */
export function plainSumIsExact(col: Column): boolean {
  if (col.kind !== "num" || col.length > 1 << 21) return false;
  const v = col.values;
  return v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint32Array ||
    v instanceof Uint16Array || v instanceof Uint8Array;
}

/**
 * The largest magnitude an integer array may hold: the type's bound for arrays of 8 and 16 bits, else found by a pass
 * over the values (32 bits). Infinity for float arrays: their plain sums are never taken as exact.
 */
export function integerMagnitude(x: NumberArray): number {
  if (x instanceof Int8Array || x instanceof Uint8Array) return 255;
  if (x instanceof Int16Array || x instanceof Uint16Array) return 65535;
  if (x instanceof Int32Array) return int32Magnitude(x);
  if (x instanceof Uint32Array) return uint32Magnitude(x);
  return Infinity;
}

/** Max |v| of an Int32Array (0 when empty), from its range. */
function int32Magnitude(x: Int32Array): number {
  if (x.length === 0) return 0;
  const [lo, hi] = int32Range(x, x.length);
  return Math.max(-lo, hi, 0);
}

function uint32Magnitude(x: Uint32Array): number {
  let hi = 0;
  for (let i = 0; i < x.length; i++) { const v = x[i] as number; if (v > hi) hi = v; }
  return hi;
}

/**
 * True when plain double sums of x * y (with magnitudes `mx`, `my` from integerMagnitude) over any grouping of `rows`
 * rows are exact: every product and every partial sum is an integer below 2^53 (kept under 2^52, clear of rounding in
 * the bound itself). Pass `my` = 1 for sums of x alone.
 */
export function productSumIsExact(mx: number, my: number, rows: number): boolean {
  return mx * my * rows < 2 ** 52;
}

/** Validity of rows where every column is non-null. */
export function bothValid(a: Column, b: Column): Uint8Array | null {
  const va = a.type === "null" ? new Uint8Array(a.length) : a.valid;
  const vb = b.type === "null" ? new Uint8Array(b.length) : b.valid;
  if (va === null) return vb;
  if (vb === null) return va;
  const out = new Uint8Array(a.length);
  for (let i = 0; i < out.length; i++) out[i] = (va[i] as number) & (vb[i] as number);
  return out;
}
