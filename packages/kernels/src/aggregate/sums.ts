// Sum-based aggregates: sum, mean, count, len. Float sums are double-double (hi, lo) so partitioning does not change results.
import type { DType } from "@tessera/common";
import type { Column, NumColumn } from "../column.js";
import { int64Words, scratchOf } from "../dtype-arrays.js";
import { scratchArray } from "../scratch.js";
import { numberToWords } from "../int64-math.js";
import { addCounts, countValid, ddMerge, ddSum, plainSum, sumAndCount } from "./accumulate.js";
import { ddDivNum } from "./dd.js";
import { numericInput, plainSumIsExact } from "./inputs.js";
import type { AggCall } from "@tessera/expr";
import type { DecomposableKernel, Groups } from "./kernel.js";
import { f64Column } from "./kernel.js";

function sumPartial(g: Groups, inputs: readonly Column[]): Column[] {
  const col = inputs[0] as Column;
  const { x, valid } = numericInput(col);
  const H = scratchArray(Float64Array, g.count, true);
  const L = scratchArray(Float64Array, g.count, true);
  const N = scratchArray(Float64Array, g.count, true);
  const exact = plainSumIsExact(col);
  if (valid === null) sumAndCount(g.ids, x, exact, H, L, N);
  else {
    if (exact) plainSum(g.ids, x, valid, H);
    else ddSum(g.ids, x, valid, H, L);
    countValid(g.ids, valid, N);
  }
  return [f64Column(H), f64Column(L), f64Column(N)];
}

function sumMerge(g: Groups, states: readonly Column[]): Column[] {
  const [hi, lo, n] = states.map((c) => (c as NumColumn).values as Float64Array);
  const H = scratchArray(Float64Array, g.count, true);
  const L = scratchArray(Float64Array, g.count, true);
  const N = scratchArray(Float64Array, g.count, true);
  ddMerge(g.ids, hi as Float64Array, lo as Float64Array, H, L);
  addCounts(g.ids, n as Float64Array, N);
  return [f64Column(H), f64Column(L), f64Column(N)];
}

function nullIfZero(N: Float64Array): Uint8Array | null {
  if (N.indexOf(0) < 0) return null;
  const valid = new Uint8Array(N.length);
  for (let i = 0; i < N.length; i++) valid[i] = (N[i] as number) > 0 ? 1 : 0;
  return valid;
}

/** hi + lo to the output type: float64 rounds once; int64 is exact (BigInt only past 2^53). */
function sumFinalize(states: readonly Column[], out: DType): Column {
  const [hi, lo, n] = states.map((c) => (c as NumColumn).values as Float64Array) as [Float64Array, Float64Array, Float64Array];
  const m = hi.length;
  const valid = nullIfZero(n);
  if (out !== "int64") {
    const values = scratchArray(Float64Array, m, false);
    for (let i = 0; i < m; i++) values[i] = (hi[i] as number) + (lo[i] as number);
    return { kind: "num", type: "float64", length: m, values, valid };
  }
  const values = scratchOf("int64", m, false) as BigInt64Array;
  const w = int64Words(values);
  for (let i = 0; i < m; i++) {
    const h = hi[i] as number;
    const l = lo[i] as number;
    if (Math.abs(h) < 2 ** 53 && Math.abs(h + l) < 2 ** 53) numberToWords(w, i, h + l);
    else values[i] = BigInt.asIntN(64, BigInt(h) + BigInt(l));
  }
  return { kind: "num", type: "int64", length: m, values, valid };
}

function meanFinalize(states: readonly Column[]): Column {
  const [hi, lo, n] = states.map((c) => (c as NumColumn).values as Float64Array) as [Float64Array, Float64Array, Float64Array];
  const m = hi.length;
  const values = scratchArray(Float64Array, m, true);
  for (let i = 0; i < m; i++) {
    const c = n[i] as number;
    if (c === 0) continue;
    const q = ddDivNum({ hi: hi[i] as number, lo: lo[i] as number }, c);
    values[i] = q.hi + q.lo;
  }
  return { kind: "num", type: "float64", length: m, values, valid: nullIfZero(n) };
}

function countsToInt64(states: readonly Column[]): Column {
  const n = (states[0] as NumColumn).values as Float64Array;
  const values = scratchArray(BigInt64Array, n.length, false);
  const w = int64Words(values);
  for (let i = 0; i < n.length; i++) numberToWords(w, i, n[i] as number);
  return { kind: "num", type: "int64", length: n.length, values, valid: null };
}

/** State (descriptor): hi, lo, n. */
export const SUM: DecomposableKernel = { partial: sumPartial, merge: sumMerge, finalize: sumFinalize };
export const MEAN: DecomposableKernel = { partial: sumPartial, merge: sumMerge, finalize: meanFinalize };

function countPartial(g: Groups, inputs: readonly Column[], call: AggCall): Column[] {
  const N = scratchArray(Float64Array, g.count, true);
  const col = inputs[0];
  const valid = call.fn === "len" || col === undefined ? null : col.type === "null" ? new Uint8Array(col.length) : col.valid;
  countValid(g.ids, valid, N);
  return [f64Column(N)];
}

function countMerge(g: Groups, states: readonly Column[]): Column[] {
  const N = scratchArray(Float64Array, g.count, true);
  addCounts(g.ids, (states[0] as NumColumn).values as Float64Array, N);
  return [f64Column(N)];
}

/** State (descriptor): n. */
export const COUNT: DecomposableKernel = { partial: countPartial, merge: countMerge, finalize: countsToInt64 };
export const LEN: DecomposableKernel = COUNT;
