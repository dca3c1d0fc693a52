// Second-moment aggregates: var and std (sample, ddof = 1) and corr (Pearson), from double-double Σx, Σx², Σxy.
import type { DType } from "@tessera/common";
import type { Column, NumColumn } from "../column.js";
import { addCounts, countValid, ddMerge, ddSum, ddSumProd, plainCoMoments, plainSum, plainSumProd, sumAndCount } from "./accumulate.js";
import type { NumberArray } from "./accumulate.js";
import { centred } from "./dd.js";
import { bothValid, integerMagnitude, numericInput, productSumIsExact } from "./inputs.js";
import type { AggCall } from "@tessera/expr";
import type { DecomposableKernel, Groups } from "./kernel.js";
import { f64Column } from "./kernel.js";

const f64 = (c: Column | undefined): Float64Array => (c as NumColumn).values as Float64Array;

/** Merges states laid out as [n, (hi, lo)*]: counts add, every (hi, lo) pair merges by TwoSum. */
function mergeMoments(g: Groups, states: readonly Column[]): Column[] {
  const out: Column[] = [];
  const N = new Float64Array(g.count);
  addCounts(g.ids, f64(states[0]), N);
  out.push(f64Column(N));
  for (let k = 1; k < states.length; k += 2) {
    const H = new Float64Array(g.count);
    const L = new Float64Array(g.count);
    ddMerge(g.ids, f64(states[k]), f64(states[k + 1]), H, L);
    out.push(f64Column(H), f64Column(L));
  }
  return out;
}

/**
 * Adds Σ u (v null) or Σ u·v per group into a new (hi, lo) pair: plainly when integer magnitudes `mu`, `mv` make the
 * sums exact (lo stays 0, as TwoSum and TwoProduct would leave it), else in double-double.
 */
function momentSum(g: Groups, u: NumberArray, mu: number, v: NumberArray | null, mv: number, valid: Uint8Array | null): Column[] {
  const H = new Float64Array(g.count);
  const L = new Float64Array(g.count);
  const exact = productSumIsExact(mu, v === null ? 1 : mv, g.ids.length);
  if (v === null && exact) plainSum(g.ids, u, valid, H);
  else if (v === null) ddSum(g.ids, u, valid, H, L);
  else if (exact) plainSumProd(g.ids, u, v, valid, H);
  else ddSumProd(g.ids, u, v, valid, H, L);
  return [f64Column(H), f64Column(L)];
}

function varPartial(g: Groups, inputs: readonly Column[]): Column[] {
  const { x, valid } = numericInput(inputs[0] as Column);
  const N = new Float64Array(g.count);
  const mx = integerMagnitude(x);
  let sums: Column[];
  if (valid === null) {
    // Σx and the counts in one pass (sumAndCount), as momentSum would add them.
    const H = new Float64Array(g.count);
    const L = new Float64Array(g.count);
    sumAndCount(g.ids, x, productSumIsExact(mx, 1, g.ids.length), H, L, N);
    sums = [f64Column(H), f64Column(L)];
  } else {
    countValid(g.ids, valid, N);
    sums = momentSum(g, x, mx, null, 1, valid);
  }
  return [f64Column(N), ...sums, ...momentSum(g, x, mx, x, mx, valid)];
}

function varFinalize(sqrt: boolean): (states: readonly Column[], out: DType, call: AggCall) => Column {
  return (states) => {
    const [n, sh, sl, qh, ql] = states.map(f64) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    const m = n.length;
    const values = new Float64Array(m);
    const valid = new Uint8Array(m);
    for (let i = 0; i < m; i++) {
      const c = n[i] as number;
      if (c < 2) continue;
      const s = { hi: sh[i] as number, lo: sl[i] as number };
      const m2 = Math.max(0, centred({ hi: qh[i] as number, lo: ql[i] as number }, s, s, c));
      const v = m2 / (c - 1);
      values[i] = sqrt ? Math.sqrt(v) : v;
      valid[i] = 1;
    }
    return { kind: "num", type: "float64", length: m, values, valid: valid.indexOf(0) < 0 ? null : valid };
  };
}

/** State (descriptor): n, s_hi, s_lo, q_hi, q_lo. */
export const VAR: DecomposableKernel = { partial: varPartial, merge: mergeMoments, finalize: varFinalize(false) };
export const STD: DecomposableKernel = { partial: varPartial, merge: mergeMoments, finalize: varFinalize(true) };

function corrPartial(g: Groups, inputs: readonly Column[]): Column[] {
  const a = inputs[0] as Column;
  const b = inputs[1] as Column;
  const valid = bothValid(a, b);
  const { x } = numericInput(a);
  const { x: y } = numericInput(b);
  const N = new Float64Array(g.count);
  const mx = integerMagnitude(x);
  const my = integerMagnitude(y);
  const rows = g.ids.length;
  if (productSumIsExact(mx, my, rows) && productSumIsExact(mx, mx, rows) && productSumIsExact(my, my, rows)) {
    // The pairs' counts come with the five sums, in their one pass.
    const S = new Float64Array(5 * g.count);
    plainCoMoments(g.ids, x, y, valid, S, N);
    const out: Column[] = [f64Column(N)];
    for (let k = 0; k < 5; k++) {
      const H = new Float64Array(g.count);
      for (let j = 0; j < g.count; j++) H[j] = S[5 * j + k] as number;
      out.push(f64Column(H), f64Column(new Float64Array(g.count)));
    }
    return out;
  }
  countValid(g.ids, valid, N);
  return [
    f64Column(N), ...momentSum(g, x, mx, null, 1, valid), ...momentSum(g, y, my, null, 1, valid),
    ...momentSum(g, x, mx, y, my, valid), ...momentSum(g, x, mx, x, mx, valid), ...momentSum(g, y, my, y, my, valid),
  ];
}

/** Pearson r = cov / (σx σy) over pairs where both are non-null; null without pairs, NaN when undefined (as DuckDB, Polars). */
function corrFinalize(states: readonly Column[]): Column {
  const s = states.map(f64);
  const n = s[0] as Float64Array;
  const dd = (k: number, i: number): { hi: number; lo: number } => ({ hi: (s[k] as Float64Array)[i] as number, lo: (s[k + 1] as Float64Array)[i] as number });
  const m = n.length;
  const values = new Float64Array(m);
  const valid = new Uint8Array(m);
  for (let i = 0; i < m; i++) {
    const c = n[i] as number;
    if (c < 1) continue;
    valid[i] = 1;
    if (c < 2) { values[i] = Number.NaN; continue; }
    const sx = dd(1, i);
    const sy = dd(3, i);
    const cov = centred(dd(5, i), sx, sy, c);
    const vx = centred(dd(7, i), sx, sx, c);
    const vy = centred(dd(9, i), sy, sy, c);
    values[i] = vx > 0 && vy > 0 ? cov / Math.sqrt(vx * vy) : Number.NaN;
  }
  return { kind: "num", type: "float64", length: m, values, valid: valid.indexOf(0) < 0 ? null : valid };
}

/** State (descriptor): n, then hi/lo pairs of the sums of x, y, xy, xx, yy. */
export const CORR: DecomposableKernel = { partial: corrPartial, merge: mergeMoments, finalize: corrFinalize };
