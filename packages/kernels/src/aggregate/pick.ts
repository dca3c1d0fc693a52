// Row-choosing aggregates: min and max (nulls skipped), first and last (input order, nulls kept). State = the chosen value.
import type { DType } from "@tessera/common";
import type { Column, NumColumn } from "../column.js";
import { int64Words } from "../dtype-arrays.js";
import { compareWords } from "../int64-math.js";
import { compareBytes } from "../strings.js";
import { takeColumn } from "../take.js";
import { strAccess } from "../eval/str-access.js";
import type { AggCall } from "@tessera/expr";
import type { DecomposableKernel, Groups } from "./kernel.js";
import { f64Column } from "./kernel.js";
import { countValid } from "./accumulate.js";

/** Rank of each dictionary entry in byte order (equal strings share a rank). */
function dictRanks(col: Column): Int32Array {
  const a = strAccess(col);
  const order = Array.from({ length: a.entries }, (_, k) => k);
  const cmp = (x: number, y: number): number => compareBytes(a.bytes, a.offsets[x] as number, a.offsets[x + 1] as number, a.bytes, a.offsets[y] as number, a.offsets[y + 1] as number);
  order.sort(cmp);
  const rank = new Int32Array(a.entries);
  let r = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && cmp(order[k - 1] as number, order[k] as number) !== 0) r++;
    rank[order[k] as number] = r;
  }
  return rank;
}

/**
 * For each group, the row holding its minimum (sign -1) or maximum (sign 1) non-null value, or -1. Ties keep the
 * earliest row. Float NaN counts as larger than every number (like DuckDB).
 */
export function argExtreme(g: Groups, col: Column, sign: 1 | -1): Int32Array {
  const best = new Int32Array(g.count).fill(-1);
  const ids = g.ids;
  const n = ids.length;
  const valid = col.type === "null" ? new Uint8Array(n) : col.valid;
  if (col.kind === "dict") {
    const rank = dictRanks(col.dict);
    const idx = col.indices;
    const bestRank = new Int32Array(g.count);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      const r = rank[idx[i] as number] as number;
      if (best[gi] === -1 || (sign < 0 ? r < (bestRank[gi] as number) : r > (bestRank[gi] as number))) { best[gi] = i; bestRank[gi] = r; }
    }
    return best;
  }
  if (col.kind === "str") {
    const o = col.offsets;
    const b = col.bytes;
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      const k = best[gi] as number;
      if (k === -1 || sign * compareBytes(b, o[i] as number, o[i + 1] as number, b, o[k] as number, o[k + 1] as number) > 0) best[gi] = i;
    }
    return best;
  }
  const v = col.values;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      const k = best[gi] as number;
      if (k === -1 || sign * compareWords(w, i, w, k) > 0) best[gi] = i;
    }
    return best;
  }
  if (!(v instanceof Float64Array || v instanceof Float32Array)) return argExtremeInt(ids, v, valid, best, sign);
  const bestVal = new Float64Array(g.count);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const gi = ids[i] as number;
    const x = v[i] as number;
    const m = bestVal[gi] as number;
    const better = best[gi] === -1 ||
      (sign < 0 ? x < m || (m !== m && x === x) : x > m || (x !== x && m === m));
    if (better) { best[gi] = i; bestVal[gi] = x; }
  }
  return best;
}

/**
 * argExtreme over integers of at most 32 bits (no NaN), in a loop per direction. Each group's best value starts at
 * the far end of int32 (Float64 for uint32), so a row wins by one strict comparison (ties keep the earliest row), and
 * int32 bests take half the cache of doubles: with 10^5 groups the loop waits on their reads. A group whose values
 * all equal the start value won no row: its first valid row is taken after.
 */
function argExtremeInt(ids: Int32Array, v: ArrayLike<number>, valid: Uint8Array | null, best: Int32Array, sign: 1 | -1): Int32Array {
  const n = ids.length;
  const wide = v instanceof Uint32Array;
  const bestVal = wide ? new Float64Array(best.length).fill(sign < 0 ? Infinity : -Infinity)
    : new Int32Array(best.length).fill(sign < 0 ? 0x7fffffff : -0x80000000);
  if (sign > 0) {
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      const x = v[i] as number;
      if (x > (bestVal[gi] as number)) { bestVal[gi] = x; best[gi] = i; }
    }
  } else {
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      const x = v[i] as number;
      if (x < (bestVal[gi] as number)) { bestVal[gi] = x; best[gi] = i; }
    }
  }
  if (!wide && best.indexOf(-1) >= 0) {
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const gi = ids[i] as number;
      if (best[gi] === -1) best[gi] = i;
    }
  }
  return best;
}

/** The last row of each group. */
export function lastRows(g: Groups): Int32Array {
  const last = new Int32Array(g.count).fill(-1);
  const ids = g.ids;
  for (let i = 0; i < ids.length; i++) last[ids[i] as number] = i;
  return last;
}

/** State (descriptor): v, the chosen value. */
function pickKernel(choose: (g: Groups, col: Column) => Int32Array): DecomposableKernel {
  const run = (g: Groups, cols: readonly Column[]): Column[] => [takeColumn(cols[0] as Column, choose(g, cols[0] as Column))];
  return {
    partial: run,
    merge: run,
    finalize: (states: readonly Column[], _out: DType, _call: AggCall) => states[0] as Column,
  };
}

/**
 * first / last keep the row count beside the value: a global aggregate's state from an empty partition has a group
 * with no rows, whose null value must not win the merge.
 */
function positionalKernel(which: "first" | "last"): DecomposableKernel {
  const rowsOf = (g: Groups): Int32Array => (which === "first" ? g.firstRow : lastRows(g));
  return {
    partial: (g, cols) => {
      const n = new Float64Array(g.count);
      countValid(g.ids, null, n);
      return [takeColumn(cols[0] as Column, rowsOf(g)), f64Column(n)];
    },
    merge: (g, states) => {
      const counts = (states[1] as NumColumn).values as Float64Array;
      const chosen = new Int32Array(g.count).fill(-1);
      const n = new Float64Array(g.count);
      for (let i = 0; i < g.ids.length; i++) {
        const c = counts[i] as number;
        if (c === 0) continue;
        const k = g.ids[i] as number;
        if (which === "last" || chosen[k] === -1) chosen[k] = i;
        n[k] = (n[k] as number) + c;
      }
      return [takeColumn(states[0] as Column, chosen), f64Column(n)];
    },
    finalize: (states) => states[0] as Column,
  };
}

export const MIN: DecomposableKernel = pickKernel((g, c) => argExtreme(g, c, -1));
export const MAX: DecomposableKernel = pickKernel((g, c) => argExtreme(g, c, 1));
export const FIRST: DecomposableKernel = positionalKernel("first");
export const LAST: DecomposableKernel = positionalKernel("last");
