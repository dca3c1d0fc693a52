// Literal-value comparisons the optimizer may rely on: only orders that every kernel agrees on.
import type { DType } from "@tessera/common";
import { isNumeric } from "@tessera/common";
import type { LitValue } from "@tessera/expr";

/**
 * Whether a value of type `a` compares with one of type `b` by plain value order: numbers with numbers
 * (dates and timestamps are not numeric), or equal types. Mixed temporal units are left alone.
 */
export function comparableTypes(a: DType, b: DType): boolean {
  if (isNumeric(a) && isNumeric(b)) return true;
  return a === b && !(a === "null");
}

/** Strings below U+D800 order the same in UTF-16 (JS), code points and UTF-8 bytes (Parquet statistics). */
function plainString(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0xd800) return false;
  return true;
}

/**
 * -1, 0 or 1 comparing two non-null values, or null when the order is not certain
 * (mixed kinds, NaN, strings whose UTF-16 and UTF-8 orders may differ).
 */
export function compareValues(a: LitValue, b: LitValue): -1 | 0 | 1 | null {
  if (a === null || b === null) return null;
  const num = (v: LitValue): v is number | bigint => typeof v === "number" || typeof v === "bigint";
  if (num(a) && num(b)) {
    if (Number.isNaN(a) || Number.isNaN(b)) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "string" && typeof b === "string") {
    if (!plainString(a) || !plainString(b)) return null;
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
  return null;
}

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295], uint64: [0, Number.MAX_SAFE_INTEGER],
};

/** Whether a folded number is exactly representable in `t` (no overflow, no wrap-around, finite). */
export function fitsType(v: number, t: DType): boolean {
  const range = INT_RANGE[t];
  if (range) return Number.isSafeInteger(v) && v >= range[0] && v <= range[1];
  if (t === "float32" || t === "float64") return Number.isFinite(v);
  return false;
}
