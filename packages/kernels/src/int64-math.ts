// Exact int64 arithmetic by constants on 32-bit words (no BigInt per row): unit scaling and floor division.
import { int64Words } from "./dtype-arrays.js";

const TWO32 = 4294967296;

/** The int64 value at word pair i as a double (exact below 2^53). */
export function wordsToNumber(w: Int32Array, i: number): number {
  return (w[2 * i + 1] as number) * TWO32 + ((w[2 * i] as number) >>> 0);
}

/** Writes the integer-valued double x (|x| < 2^63) into word pair i, exactly when |x| < 2^53. */
export function numberToWords(w: Int32Array, i: number, x: number): void {
  const hi = Math.floor(x / TWO32);
  w[2 * i] = (x - hi * TWO32) | 0;
  w[2 * i + 1] = hi | 0;
}

/**
 * floor(values[i] / d) for a positive integer d < 2^47, exact for every int64 input whose quotient is below 2^53:
 * an estimate from doubles is corrected with an exactly computed remainder.
 */
export function int64FloorDiv(values: BigInt64Array, d: number): Float64Array {
  const n = values.length;
  const w = int64Words(values);
  const out = new Float64Array(n);
  const dHi = Math.floor(d / TWO32);
  const dLo = d - dHi * TWO32;
  for (let i = 0; i < n; i++) {
    const hi = w[2 * i + 1] as number;
    const lo = (w[2 * i] as number) >>> 0;
    let q = Math.floor((hi * TWO32 + lo) / d);
    let r = (hi - q * dHi) * TWO32 + (lo - q * dLo);
    while (r < 0) { q -= 1; r += d; }
    while (r >= d) { q += 1; r -= d; }
    out[i] = q;
  }
  return out;
}

/** values[i] * f into a new BigInt64Array, exact while the product fits in int64 and |hi * f| < 2^53. */
export function int64Scale(values: BigInt64Array, f: number): BigInt64Array {
  const n = values.length;
  const src = int64Words(values);
  const out = new BigInt64Array(n);
  const dst = int64Words(out);
  for (let i = 0; i < n; i++) {
    const p = ((src[2 * i] as number) >>> 0) * f;
    const carry = Math.floor(p / TWO32);
    dst[2 * i] = (p - carry * TWO32) | 0;
    dst[2 * i + 1] = ((src[2 * i + 1] as number) * f + carry) | 0;
  }
  return out;
}

/** q[i] * f as int64 (q integer-valued doubles), exact while |q * f| < 2^63 and q * f's parts stay below 2^53. */
export function int64FromProduct(q: Float64Array, f: number): BigInt64Array {
  const n = q.length;
  const out = new BigInt64Array(n);
  const w = int64Words(out);
  const fHi = Math.floor(f / TWO32);
  const fLo = f - fHi * TWO32;
  for (let i = 0; i < n; i++) {
    const x = q[i] as number;
    const p = x * fLo;
    const carry = Math.floor(p / TWO32);
    w[2 * i] = (p - carry * TWO32) | 0;
    w[2 * i + 1] = (x * fHi + carry) | 0;
  }
  return out;
}

/** Signed comparison of int64 word pairs: <0, 0, >0. */
export function compareWords(a: Int32Array, i: number, b: Int32Array, j: number): number {
  const ah = a[2 * i + 1] as number;
  const bh = b[2 * j + 1] as number;
  if (ah !== bh) return ah < bh ? -1 : 1;
  const al = (a[2 * i] as number) >>> 0;
  const bl = (b[2 * j] as number) >>> 0;
  return al === bl ? 0 : al < bl ? -1 : 1;
}
