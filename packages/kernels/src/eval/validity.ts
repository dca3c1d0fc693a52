// Validity (null) masks: combining operands' masks and reading a column's numbers uniformly.
import type { Column, NumColumn } from "../column.js";
import { int64Words, toFloat64 } from "../dtype-arrays.js";
import { numberToWords } from "../int64-math.js";

/** Row valid in both (null when neither has nulls). Returns a fresh array when either has nulls. */
export function andValid(a: Uint8Array | null, b: Uint8Array | null): Uint8Array | null {
  if (a === null) return b === null ? null : b.slice();
  if (b === null) return a.slice();
  const n = a.length;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
  return out;
}

/** A writable validity array: a copy of `v`, or all ones. */
export function validOrOnes(v: Uint8Array | null, n: number): Uint8Array {
  return v === null ? new Uint8Array(n).fill(1) : v.slice();
}

/** Normalizes a validity array: null when it marks no nulls. */
export function normValid(v: Uint8Array | null): Uint8Array | null {
  return v !== null && v.indexOf(0) < 0 ? null : v;
}

/** The column's values as doubles (zero-copy for float64). */
export function numbersOf(col: NumColumn): Float64Array {
  return toFloat64(col.values);
}

/** The column's values as int64 words (lo, hi per row): zero-copy for 64-bit columns, sign-extended otherwise; floats truncate. */
export function wordsOf(col: NumColumn): Int32Array {
  const v = col.values;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) return int64Words(v);
  const n = v.length;
  const w = new Int32Array(2 * n);
  if (v instanceof Float64Array || v instanceof Float32Array) {
    for (let i = 0; i < n; i++) { const x = v[i] as number; numberToWords(w, i, x === x ? Math.trunc(x) : 0); }
  } else if (v instanceof Uint32Array) {
    for (let i = 0; i < n; i++) w[2 * i] = (v[i] as number) | 0;
  } else {
    for (let i = 0; i < n; i++) { const x = v[i] as number; w[2 * i] = x; w[2 * i + 1] = x < 0 ? -1 : 0; }
  }
  return w;
}

export function isNum(c: Column): c is NumColumn {
  return c.kind === "num";
}
