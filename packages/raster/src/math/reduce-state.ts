// Reduction states (count, exact sum and sum of squares, min, max) with partial → merge → finalize; exact, so the
// statistics of a raster do not depend on how it was chunked or in which order partials merged.
import type { BandArray } from "../chunk/band-array.js";
import type { Expansion } from "./exact-sum.js";
import { expansionAdd, expansionMerge, expansionRound, expansionToDD } from "./exact-sum.js";

/**
 * Partial statistics of a set of pixels, as plain data. `sum`/`sumSq` are exact expansions of the finite values;
 * `special` accumulates the non-finite ones (±Infinity, NaN) so they still poison the sum as IEEE arithmetic would.
 */
export interface ReduceState {
  count: number;
  sum: Expansion;
  sumSq: Expansion;
  special: number;
  min: number;
  max: number;
}

export function emptyReduceState(): ReduceState {
  return { count: 0, sum: [], sumSq: [], special: 0, min: Infinity, max: -Infinity };
}

const SPLIT = 134217729;

/** Adds x to the state (x² exactly, by Dekker's product: the rounded square and its rounding error). */
export function reduceAdd(s: ReduceState, x: number): void {
  s.count += 1;
  if (x < s.min) s.min = x;
  if (x > s.max) s.max = x;
  if (!Number.isFinite(x)) { s.special += x; return; }
  expansionAdd(s.sum, x);
  const p = x * x;
  if (!Number.isFinite(p)) { s.special += Infinity; return; }
  const c = SPLIT * x;
  const h = c - (c - x);
  const l = x - h;
  const e = ((h * h - p) + 2 * h * l) + l * l;
  expansionAdd(s.sumSq, p);
  if (e !== 0) expansionAdd(s.sumSq, e);
}

/** Adds the valid pixels of a band (selected by `keep`, when given, too) to the state. */
export function reduceBand(s: ReduceState, values: BandArray, valid: Uint8Array | null, keep?: Uint8Array): void {
  const n = values.length;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    if (keep !== undefined && keep[i] === 0) continue;
    reduceAdd(s, values[i] as number);
  }
}

/** Merges `b` into `a` in place; exact, so any grouping of merges gives the same state value. */
export function reduceMerge(a: ReduceState, b: ReduceState): ReduceState {
  a.count += b.count;
  expansionMerge(a.sum, b.sum);
  expansionMerge(a.sumSq, b.sumSq);
  a.special += b.special;
  if (b.min < a.min) a.min = b.min;
  if (b.max > a.max) a.max = b.max;
  return a;
}

/** Final statistics; null where undefined (no pixels; variance of fewer than two). Variance is the sample one. */
export interface ReduceStats {
  readonly count: number;
  readonly sum: number | null;
  readonly mean: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** Σ(x − mean)²: the centred sum of squares. */
  readonly m2: number | null;
  readonly var: number | null;
  readonly std: number | null;
}

export function reduceFinalize(s: ReduceState): ReduceStats {
  if (s.count === 0) return { count: 0, sum: null, mean: null, min: null, max: null, m2: null, var: null, std: null };
  const exact = expansionRound(s.sum);
  const sum = s.special !== 0 || Number.isNaN(s.special) ? exact + s.special : exact;
  const mean = sum / s.count;
  let m2: number;
  if (s.special !== 0 || Number.isNaN(s.special)) m2 = Number.NaN;
  else {
    // Σx² − (Σx)²/n from the exact sums, in double-double: both inputs are functions of the exact values only.
    const S = expansionToDD(s.sum);
    const Q = expansionToDD(s.sumSq);
    m2 = Math.max(0, centredDD(Q.hi, Q.lo, S.hi, S.lo, s.count));
  }
  const v = s.count > 1 ? m2 / (s.count - 1) : null;
  return { count: s.count, sum, mean, min: s.min, max: s.max, m2, var: v, std: v === null ? null : Math.sqrt(v) };
}

/** (qh + ql) − (sh + sl)² / n, in double-double arithmetic. */
export function centredDD(qh: number, ql: number, sh: number, sl: number, n: number): number {
  // square of (sh, sl)
  const p = sh * sh;
  const c = SPLIT * sh;
  const h = c - (c - sh);
  const l = sh - h;
  const pe = ((h * h - p) + 2 * h * l) + l * l + 2 * sh * sl;
  const s2 = p + pe;
  const s2l = pe - (s2 - p);
  // divide by n
  const q1 = s2 / n;
  const c2 = SPLIT * q1;
  const qh1 = c2 - (c2 - q1);
  const ql1 = q1 - qh1;
  const cn = SPLIT * n;
  const nh = cn - (cn - n);
  const nl = n - nh;
  const prod = q1 * n;
  const prodErr = ((qh1 * nh - prod) + qh1 * nl + ql1 * nh) + ql1 * nl;
  const q2 = ((s2 - prod) - prodErr + s2l) / n;
  // subtract
  const a = qh - q1;
  const bb = a - qh;
  const err = (qh - (a - bb)) + (-q1 - bb);
  return a + (err + ql - q2);
}
