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
  addSquare(s, x);
}

/**
 * A rectangle of a band's pixels: `rows` rows of `width` pixels, the first at index `start`, rows `stride` apart. A
 * `keep` mask given with it has one byte per pixel of the rectangle (row r, column x at r × width + x).
 */
export interface BandRegion {
  readonly start: number;
  readonly width: number;
  readonly rows: number;
  readonly stride: number;
}

/**
 * Adds the valid pixels of a band (of `region`, default all; selected by `keep`, when given, too) to the state: the
 * same exact state as adding them one by one with reduceAdd, by faster routes for float32 and 8/16-bit integer bands
 * (see reduceFloat32Band, reduceSmallIntBand).
 */
export function reduceBand(s: ReduceState, values: BandArray, valid: Uint8Array | null, keep?: Uint8Array, region?: BandRegion): void {
  const g = region ?? { start: 0, width: values.length, rows: 1, stride: values.length };
  const k = keep ?? null;
  if (values instanceof Float32Array) { reduceFloat32Band(s, values, valid, k, g); return; }
  if (values instanceof Uint8Array || values instanceof Int8Array || values instanceof Uint16Array || values instanceof Int16Array) {
    reduceSmallIntBand(s, values, valid, k, g);
    return;
  }
  for (let r = 0; r < g.rows; r++) {
    for (let x = 0; x < g.width; x++) {
      const i = g.start + r * g.stride + x;
      if ((valid !== null && valid[i] === 0) || (k !== null && k[r * g.width + x] === 0)) continue;
      reduceAdd(s, values[i] as number);
    }
  }
}

/** Values summed in one plain double before joining the expansion: exact for 8/16-bit integers (x² < 2^32). */
const SMALL_INT_FLUSH = 1 << 20;

/** 8/16-bit integers: plain double sums of x and x² stay exact for 2^20 values, then join the expansions. */
function reduceSmallIntBand(s: ReduceState, values: Uint8Array | Int8Array | Uint16Array | Int16Array, valid: Uint8Array | null, keep: Uint8Array | null, g: BandRegion): void {
  let sum = 0; let sq = 0; let pending = 0; let count = 0;
  let min = s.min; let max = s.max;
  for (let r = 0; r < g.rows; r++) for (let x0 = 0; x0 < g.width; x0++) {
    const i = g.start + r * g.stride + x0;
    if ((valid !== null && valid[i] === 0) || (keep !== null && keep[r * g.width + x0] === 0)) continue;
    const x = values[i] as number;
    count++;
    if (x < min) min = x;
    if (x > max) max = x;
    sum += x;
    sq += x * x;
    if (++pending === SMALL_INT_FLUSH) {
      expansionAdd(s.sum, sum); expansionAdd(s.sumSq, sq);
      sum = 0; sq = 0; pending = 0;
    }
  }
  if (sum !== 0) expansionAdd(s.sum, sum);
  if (sq !== 0) expansionAdd(s.sumSq, sq);
  s.count += count; s.min = min; s.max = max;
}

const F32 = new Float32Array(1);
const F32_BITS = new Uint32Array(F32.buffer);
/** x² outside [2^-100, 2^100] is not split into two float32 parts (they would leave float32's range): added exactly the slow way. */
const SQ_LOW = 2 ** -100;
const SQ_HIGH = 2 ** 100;

/**
 * Float32 bands, exactly: a float32 of exponent e is an integer multiple of 2^(e-150) below 2^(e-126), so up to 2^29 of
 * them with the same exponent add up exactly in a double. Each value goes to its exponent's bin (its bits give the
 * exponent); x² (exact in a double) is split into two float32s, hi = fround(x²) and lo = x² − hi, binned alike. The 256
 * bins then join the expansions: the state is the one reduceAdd would build, at one addition per part. Chunks hold at
 * most 2^28 pixels, under the 2^29 bound.
 */
function reduceFloat32Band(s: ReduceState, values: Float32Array, valid: Uint8Array | null, keep: Uint8Array | null, g: BandRegion): void {
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  const sums = new Float64Array(256);
  const squares = new Float64Array(256);
  let count = 0; let min = s.min; let max = s.max;
  for (let r = 0; r < g.rows; r++) for (let x0 = 0; x0 < g.width; x0++) {
    const i = g.start + r * g.stride + x0;
    if ((valid !== null && valid[i] === 0) || (keep !== null && keep[r * g.width + x0] === 0)) continue;
    const x = values[i] as number;
    const e = ((bits[i] as number) >>> 23) & 255;
    if (e === 255) { s.count += 1; if (x < min) min = x; if (x > max) max = x; s.special += x; continue; }
    count++;
    if (x < min) min = x;
    if (x > max) max = x;
    sums[e] = (sums[e] as number) + x;
    const x2 = x * x;
    if (x2 === 0) continue;
    if (x2 < SQ_LOW || x2 > SQ_HIGH) { addSquare(s, x); continue; }
    const hi = Math.fround(x2);
    F32[0] = hi;
    const eh = ((F32_BITS[0] as number) >>> 23) & 255;
    squares[eh] = (squares[eh] as number) + hi;
    const lo = x2 - hi;
    if (lo !== 0) {
      F32[0] = lo;
      const el = ((F32_BITS[0] as number) >>> 23) & 255;
      squares[el] = (squares[el] as number) + lo;
    }
  }
  for (let e = 0; e < 256; e++) {
    if (sums[e] !== 0) expansionAdd(s.sum, sums[e] as number);
    if (squares[e] !== 0) expansionAdd(s.sumSq, squares[e] as number);
  }
  s.count += count; s.min = min; s.max = max;
}

/** x² added to the sum of squares exactly (the rounded square and its rounding error, by Dekker's product). */
function addSquare(s: ReduceState, x: number): void {
  const p = x * x;
  if (!Number.isFinite(p)) { s.special += Infinity; return; }
  const c = SPLIT * x;
  const h = c - (c - x);
  const l = x - h;
  const e = ((h * h - p) + 2 * h * l) + l * l;
  expansionAdd(s.sumSq, p);
  if (e !== 0) expansionAdd(s.sumSq, e);
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
