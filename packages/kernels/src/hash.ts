// Per-row hashes of key columns that depend on values only (not encodings, batches or threads).
import type { Column } from "./column.js";
import { int64Words } from "./dtype-arrays.js";
import { NULL_HASH, hashBytes, hashNumber, mixInt } from "./hash-fns.js";
import { scratchArray } from "./scratch.js";
import { int32Range } from "./int-range.js";

/** Int arrays read as numbers without conversion (the 32-bit and narrower ones but Uint32Array). */
type SmallIntArray = Int32Array | Int16Array | Int8Array | Uint16Array | Uint8Array;

/**
 * A column's values if they are integers of a narrow range: at most max(2^16, n / 2) values from `min`, so their
 * hashes are worth computing once per value of the range and gathering (a table lookup costs a fraction of mixInt).
 */
interface SmallRange {
  readonly v: SmallIntArray;
  readonly min: number;
  readonly range: number;
}

function smallRange(col: Column): SmallRange | null {
  if (col.kind !== "num") return null;
  const v = col.values;
  if (!(v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint16Array || v instanceof Uint8Array)) return null;
  const n = col.length;
  if (n < 4096) return null;
  const valid = col.valid;
  let min = Infinity, max = -Infinity;
  if (valid === null && v instanceof Int32Array) [min, max] = int32Range(v, n);
  else if (valid === null) {
    for (let i = 0; i < n; i++) { const x = v[i] as number; if (x < min) min = x; if (x > max) max = x; }
  } else {
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const x = v[i] as number;
      if (x < min) min = x;
      if (x > max) max = x;
    }
  }
  if (max < min) return null;
  const range = max - min + 1;
  return range <= Math.max(1 << 16, n / 2) ? { v, min, range } : null;
}

/** hashColumn of an int column whose values are min, min + 1, ...: the hash of min + k at k. */
function rangeHashes(min: number, range: number): Int32Array {
  const t = new Int32Array(range);
  for (let k = 0; k < range; k++) { const x = min + k; t[k] = mixInt(x, x < 0 ? -1 : 0); }
  return t;
}

/** Hash of each row of one column (nulls → NULL_HASH). */
export function hashColumn(col: Column): Int32Array {
  return hashColumnIn(col, smallRange(col));
}

/** hashColumn, given the column's smallRange (null: none). */
function hashColumnIn(col: Column, small: SmallRange | null): Int32Array {
  const n = col.length;
  const out = scratchArray(Int32Array, n, false);
  const valid = col.valid;
  if (small !== null) {
    const t = rangeHashes(small.min, small.range);
    const v = small.v;
    const min = small.min;
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? NULL_HASH : (t[(v[i] as number) - min] as number);
    return out;
  }
  switch (col.kind) {
    case "str": {
      const off = col.offsets;
      const b = col.bytes;
      for (let i = 0; i < n; i++) out[i] = hashBytes(b, off[i] as number, off[i + 1] as number);
      break;
    }
    case "dict": {
      const entry = hashColumn(col.dict);
      const idx = col.indices;
      for (let i = 0; i < n; i++) out[i] = entry[idx[i] as number] as number;
      break;
    }
    case "num": {
      const v = col.values;
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
        const w = int64Words(v);
        for (let i = 0; i < n; i++) out[i] = mixInt(w[2 * i] as number, w[2 * i + 1] as number);
      } else if (v instanceof Float64Array || v instanceof Float32Array) {
        for (let i = 0; i < n; i++) out[i] = hashNumber(v[i] as number);
      } else if (v instanceof Uint32Array) {
        for (let i = 0; i < n; i++) out[i] = mixInt((v[i] as number) | 0, 0);
      } else {
        for (let i = 0; i < n; i++) {
          const x = v[i] as number;
          out[i] = mixInt(x, x < 0 ? -1 : 0);
        }
      }
      break;
    }
  }
  if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = NULL_HASH;
  return out;
}

/**
 * A per-row hash over several key columns. Depends on values only: equal strings hash equally dict- or plain-encoded;
 * every integer type (and bool, date32, raw timestamp units) hashes like the same int64 value, and integral floats
 * like that integer. Different timestamp units are not reconciled: the planner casts shuffle/join keys to one type.
 */
export function hashColumns(cols: readonly Column[], n: number): Uint32Array {
  const out = scratchArray(Uint32Array, n, cols.length === 0);
  if (cols.length === 0) return out;
  // Each column's range is found once, for the tuple table or for its own hashes.
  const ranges = cols.map(smallRange);
  if (cols.length > 1 && tupleHashes(cols, ranges, n, out)) return out;
  const first = hashColumnIn(cols[0] as Column, ranges[0] ?? null);
  for (let i = 0; i < n; i++) out[i] = first[i] as number;
  for (let k = 1; k < cols.length; k++) {
    const h = hashColumnIn(cols[k] as Column, ranges[k] ?? null);
    for (let i = 0; i < n; i++) out[i] = mixInt(out[i] as number, h[i] as number);
  }
  return out;
}

/**
 * hashColumns of null-free int columns whose ranges multiply to a small number of tuples (two keys of 100 values:
 * 10,000): each tuple's hash is computed once, as the row formula would, and each row gathers its tuple's. Writes `out`
 * and returns true, or returns false when the columns do not qualify.
 */
function tupleHashes(cols: readonly Column[], found: readonly (SmallRange | null)[], n: number, out: Uint32Array): boolean {
  const ranges: SmallRange[] = [];
  let tuples = 1;
  for (let k = 0; k < cols.length; k++) {
    const r = found[k] ?? null;
    if ((cols[k] as Column).valid !== null || r === null) return false;
    tuples *= r.range;
    if (tuples > Math.max(1 << 16, n / 2)) return false;
    ranges.push(r);
  }
  // Tuple t = mixed-radix digits (first column most significant); its hash folds the columns' hashes in order.
  let table = Int32Array.from(rangeHashes((ranges[0] as SmallRange).min, (ranges[0] as SmallRange).range));
  for (let k = 1; k < ranges.length; k++) {
    const r = ranges[k] as SmallRange;
    const h = rangeHashes(r.min, r.range);
    const next = new Int32Array(table.length * r.range);
    for (let a = 0; a < table.length; a++) for (let b = 0; b < r.range; b++) next[a * r.range + b] = mixInt(table[a] as number, h[b] as number);
    table = next;
  }
  // Each row's tuple, digit by digit; the last digit's pass gathers the hashes.
  const codes = scratchArray(Int32Array, n, false);
  const r0 = ranges[0] as SmallRange;
  for (let i = 0; i < n; i++) codes[i] = (r0.v[i] as number) - r0.min;
  for (let k = 1; k < ranges.length - 1; k++) {
    const r = ranges[k] as SmallRange;
    const v = r.v, min = r.min, radix = r.range;
    for (let i = 0; i < n; i++) codes[i] = (codes[i] as number) * radix + ((v[i] as number) - min);
  }
  const last = ranges[ranges.length - 1] as SmallRange;
  const v = last.v, min = last.min, radix = last.range;
  for (let i = 0; i < n; i++) out[i] = table[(codes[i] as number) * radix + ((v[i] as number) - min)] as number;
  return true;
}
