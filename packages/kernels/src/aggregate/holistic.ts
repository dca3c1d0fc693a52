// Holistic aggregates (need all of a group's rows at once): median, quantile (linear interpolation), nUnique.
import type { Column, NumColumn } from "../column.js";
import { groupIds } from "../group-ids.js";
import { int64Words } from "../dtype-arrays.js";
import { numberToWords } from "../int64-math.js";
import { numericInput } from "./inputs.js";
import { scratchArray } from "../scratch.js";
import type { HolisticKernel } from "./kernel.js";
import type { Groups } from "./kernel.js";
import { minOf, nansLast, selectKth, signedZeroAt } from "./select-kth.js";

/** Non-null values grouped contiguously (CSR): group g's values are values[start[g], start[g+1]). */
function valuesByGroup(g: Groups, col: Column): { start: Int32Array; values: Float64Array } {
  const { x, valid } = numericInput(col);
  const ids = g.ids;
  const n = ids.length;
  const start = new Int32Array(g.count + 1);
  for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) start[(ids[i] as number) + 1]! += 1;
  for (let k = 0; k < g.count; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const values = scratchArray(Float64Array, start[g.count] as number, false);
  const fill = start.slice(0, g.count);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const k = ids[i] as number;
    const p = fill[k] as number;
    values[p] = x[i] as number;
    fill[k] = p + 1;
  }
  return { start, values };
}

/**
 * The value a sort of a group's values v[s, e) puts at rank `at` (NaN last, -0 before 0), where v[s, real) are the
 * values that are not NaN. Ranks are asked in increasing order, at most two of them adjacent: the first is selected
 * (quickselect), the next is the smallest of what selection left above it.
 */
function rankValue(v: Float64Array, s: number, real: number, at: number, next: boolean): number {
  const k = s + at;
  if (k >= real) return NaN;
  const x = next ? minOf(v, k, real) : selectKth(v, s, real, k);
  return x === 0 ? signedZeroAt(v, s, real, k) : x;
}

/**
 * quantile_cont: the values at ranks floor(q (n - 1)) and ceil(q (n - 1)) of each group's sorted values (NaN last),
 * interpolated; null for empty groups. The ranks are selected (O(n) per group), not sorted for.
 */
function quantile(g: Groups, col: Column, q: number): NumColumn {
  const { start, values } = valuesByGroup(g, col);
  const out = new Float64Array(g.count);
  const valid = new Uint8Array(g.count);
  for (let k = 0; k < g.count; k++) {
    const s = start[k] as number;
    const e = start[k + 1] as number;
    if (e === s) continue;
    const real = nansLast(values, s, e);
    const pos = q * (e - s - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    const a = rankValue(values, s, real, lo, false);
    const b = lo === hi ? a : rankValue(values, s, real, hi, true);
    out[k] = lo === hi ? a : a + (pos - lo) * (b - a);
    valid[k] = 1;
  }
  return { kind: "num", type: "float64", length: g.count, values: out, valid: valid.indexOf(0) < 0 ? null : valid };
}

/** Distinct non-null values per group (equality as in grouping: dict and plain strings alike, NaN = NaN). */
function nUnique(g: Groups, col: Column): NumColumn {
  const n = g.ids.length;
  const gid: NumColumn = { kind: "num", type: "int32", length: n, values: g.ids, valid: null };
  const pairs = groupIds([gid, col], n);
  const counts = new Float64Array(g.count);
  const valid = col.type === "null" ? new Uint8Array(n) : col.valid;
  for (let p = 0; p < pairs.count; p++) {
    const row = pairs.firstRow[p] as number;
    if (valid !== null && valid[row] === 0) continue;
    const k = g.ids[row] as number;
    counts[k] = (counts[k] as number) + 1;
  }
  const values = new BigInt64Array(g.count);
  const w = int64Words(values);
  for (let k = 0; k < g.count; k++) numberToWords(w, k, counts[k] as number);
  return { kind: "num", type: "int64", length: g.count, values, valid: null };
}

export const MEDIAN: HolisticKernel = { full: (g, inputs) => quantile(g, inputs[0] as Column, 0.5) };
export const QUANTILE: HolisticKernel = { full: (g, inputs, call) => quantile(g, inputs[0] as Column, call.q ?? 0.5) };
export const N_UNIQUE: HolisticKernel = { full: (g, inputs) => nUnique(g, inputs[0] as Column) };
