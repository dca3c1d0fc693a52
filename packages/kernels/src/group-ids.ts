// Dense group ids per row (first-appearance order) for one or more key columns; null is a group value of its own.
import type { Column, DictColumn, NumColumn } from "./column.js";
import { int64Words } from "./dtype-arrays.js";
import { encodeColumn, expectedDistinct, familyOf, newKeyTable } from "./key-table.js";
import { encodePairs, newPairTable } from "./pair-table.js";

export interface GroupIds {
  /** Group of each row, in [0, count). Groups are numbered in order of first appearance. */
  readonly ids: Int32Array;
  readonly count: number;
  /** firstRow[g]: the first row of group g. */
  readonly firstRow: Int32Array;
}

/** Codes per row with nulls as the extra code `count - 1` (when any); codes need not be in first-appearance order. */
interface Codes { codes: Int32Array; count: number }

function smallIntCodes(col: NumColumn): Codes | null {
  const n = col.length;
  const valid = col.valid;
  const v = col.values;
  let lows: ArrayLike<number>;
  let stride = 1;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      if (w[2 * i + 1] !== (w[2 * i] as number) >> 31) return null;
    }
    lows = w;
    stride = 2;
  } else if (v instanceof Float32Array || v instanceof Float64Array) {
    return null;
  } else {
    lows = v as ArrayLike<number>;
  }
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const x = lows[i * stride] as number;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  if (max < min) { min = 0; max = -1; }
  const range = max - min + 1;
  if (range > Math.max(2 * n, 1 << 16)) return null;
  const codes = new Int32Array(n);
  for (let i = 0; i < n; i++) codes[i] = valid !== null && valid[i] === 0 ? range : (lows[i * stride] as number) - min;
  return { codes, count: valid !== null ? range + 1 : range };
}

function columnCodes(col: Column): Codes {
  if (col.kind === "num" && familyOf(col) === "int") {
    const small = smallIntCodes(col);
    if (small !== null) return small;
  }
  const t = newKeyTable(familyOf(col), expectedDistinct(col));
  const codes = encodeColumn(t, col, true);
  if (col.valid === null) return { codes, count: t.count };
  const nullCode = t.count;
  for (let i = 0; i < codes.length; i++) if ((codes[i] as number) < 0) codes[i] = nullCode;
  return { codes, count: t.count + 1 };
}

/**
 * One column of dictionary strings: deduplicate the dictionary by value, then one pass over the indices that maps
 * each dictionary entry to its group the first time the entry is seen.
 */
function dictGroups(col: DictColumn): GroupIds {
  const t = newKeyTable("str", col.dict.length);
  const entry = encodeColumn(t, col.dict, true);
  const n = col.length;
  const byValue = new Int32Array(t.count + 1).fill(-1);
  const byEntry = new Int32Array(col.dict.length).fill(-1);
  const nullCode = t.count;
  const ids = new Int32Array(n);
  const first = new Int32Array(t.count + 1);
  const idx = col.indices;
  const valid = col.valid;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let g: number;
    if (valid !== null && valid[i] === 0) {
      g = byValue[nullCode] as number;
      if (g < 0) { g = count++; byValue[nullCode] = g; first[g] = i; }
    } else {
      const e = idx[i] as number;
      g = byEntry[e] as number;
      if (g < 0) {
        const k = entry[e] as number;
        g = byValue[k] as number;
        if (g < 0) { g = count++; byValue[k] = g; first[g] = i; }
        byEntry[e] = g;
      }
    }
    ids[i] = g;
  }
  return { ids, count, firstRow: first.slice(0, count) };
}

/** Renumbers codes in first-appearance order, computing each group's first row. */
function renumber(c: Codes): GroupIds {
  const n = c.codes.length;
  const map = new Int32Array(c.count).fill(-1);
  const ids = new Int32Array(n);
  const first = new Int32Array(c.count);
  let count = 0;
  const codes = c.codes;
  for (let i = 0; i < n; i++) {
    const k = codes[i] as number;
    let g = map[k] as number;
    if (g < 0) { g = count++; map[k] = g; first[g] = i; }
    ids[i] = g;
  }
  return { ids, count, firstRow: first.slice(0, count) };
}

/**
 * Dense group ids of the rows of `cols` (all of length `n`; `n` is needed only when `cols` is empty, which puts every
 * row in group 0). Equal values group together whatever their encoding (dict or plain strings; NaN with NaN; -0 with 0).
 */
export function groupIds(cols: readonly Column[], n = cols[0]?.length ?? 0): GroupIds {
  if (cols.length === 0) {
    return { ids: new Int32Array(n), count: n > 0 ? 1 : 0, firstRow: n > 0 ? Int32Array.of(0) : new Int32Array(0) };
  }
  const c0 = cols[0] as Column;
  if (cols.length === 1 && c0.kind === "dict") return dictGroups(c0);
  let acc = columnCodes(c0);
  for (let k = 1; k < cols.length; k++) {
    const next = columnCodes(cols[k] as Column);
    const pt = newPairTable(acc.count, next.count, n);
    acc = { codes: encodePairs(pt, acc.codes, next.codes, true), count: pt.count };
  }
  return renumber(acc);
}
