// Row selection on single columns: slice (zero-copy), take by index (-1 = null row) and filter by byte mask.
import type { Column, DictColumn, NumArray, NumColumn, StrColumn } from "./column.js";
import { scratchOf } from "./dtype-arrays.js";
import { scratchArray } from "./scratch.js";
import { appendBytes, viewOf } from "./copy-bytes.js";

/** Rows [start, end) of a column, sharing its buffers. */
export function sliceColumn(col: Column, start: number, end: number): Column {
  const n = end - start;
  const valid = col.valid === null ? null : col.valid.subarray(start, end);
  switch (col.kind) {
    case "num": return { kind: "num", type: col.type, length: n, values: col.values.subarray(start, end), valid };
    case "str": return { kind: "str", type: "utf8", length: n, offsets: col.offsets.subarray(start, end + 1), bytes: col.bytes, valid };
    case "dict": return { kind: "dict", type: "utf8", length: n, indices: col.indices.subarray(start, end), dict: col.dict, valid };
  }
}

/** Whether `idx` holds a -1 (a null row): takes of several columns by one index array ask once. */
export function hasMissing(idx: Int32Array): boolean {
  for (let j = 0; j < idx.length; j++) if ((idx[j] as number) < 0) return true;
  return false;
}

function takeValid(valid: Uint8Array | null, idx: Int32Array, missing: boolean): Uint8Array | null {
  const m = idx.length;
  if (valid === null && !missing) return null;
  const out = scratchArray(Uint8Array, m, false);
  if (valid === null) {
    for (let j = 0; j < m; j++) out[j] = (idx[j] as number) < 0 ? 0 : 1;
  } else {
    for (let j = 0; j < m; j++) {
      const i = idx[j] as number;
      out[j] = i < 0 ? 0 : (valid[i] as number);
    }
  }
  return out;
}

function takeNumValues(values: NumArray, idx: Int32Array, type: NumColumn["type"]): NumArray {
  const m = idx.length;
  // Int64 rows taken from -1 (null) stay zero; other kinds write every row.
  const out = scratchOf(type, m, values instanceof BigInt64Array || values instanceof BigUint64Array);
  // Same-constructor arrays: the element assignment stays monomorphic per call site in practice.
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    const dst = new Int32Array(out.buffer, out.byteOffset, m * 2);
    for (let j = 0; j < m; j++) {
      const i = idx[j] as number;
      if (i >= 0) { dst[2 * j] = src[2 * i] as number; dst[2 * j + 1] = src[2 * i + 1] as number; }
    }
  } else {
    const o = out as Float64Array;
    const s = values as Float64Array;
    for (let j = 0; j < m; j++) {
      const i = idx[j] as number;
      o[j] = i >= 0 ? (s[i] as number) : 0;
    }
  }
  return out;
}

/**
 * Gathers strings in one pass over the rows: the byte buffer is sized from the source's mean string length and
 * grows (doubling) when the taken strings are longer, so each row's offsets are read once.
 */
function takeStr(col: StrColumn, idx: Int32Array, valid: Uint8Array | null): StrColumn {
  const m = idx.length;
  const off = col.offsets;
  const src = col.bytes;
  const offsets = scratchArray(Int32Array, m + 1, false);
  offsets[0] = 0;
  const mean = col.length === 0 ? 0 : ((off[col.length] as number) - (off[0] as number)) / col.length;
  let bytes = scratchArray(Uint8Array, Math.ceil(m * mean * 1.125) + 16, false);
  let bytesView = viewOf(bytes);
  const srcView = viewOf(src);
  let total = 0;
  for (let j = 0; j < m;) {
    const i = idx[j] as number;
    if (i < 0) {
      offsets[++j] = total;
      continue;
    }
    // A run of consecutive rows (a filter's or a join's probe side in order): their bytes are one stretch.
    let r = j + 1;
    if (r < m && idx[r] === i + 1) while (r < m && idx[r] === (idx[r - 1] as number) + 1) r++;
    const s = off[i] as number;
    const e = off[i + r - j] as number;
    const len = e - s;
    if (total + len > bytes.length) {
      const grown = scratchArray(Uint8Array, Math.max(2 * bytes.length, total + len), false);
      grown.set(bytes.subarray(0, total));
      bytes = grown;
      bytesView = viewOf(bytes);
    }
    appendBytes(src, srcView, s, bytes, bytesView, total, len);
    if (r === j + 1) {
      total += len;
      offsets[++j] = total;
      continue;
    }
    const shift = total - s;
    for (let k = i + 1; j < r; k++) offsets[++j] = (off[k] as number) + shift;
    total += len;
  }
  return { kind: "str", type: "utf8", length: m, offsets, bytes: total === bytes.length ? bytes : bytes.subarray(0, total), valid };
}

/** Whether `rows` is 0, 1, ..., n - 1: every row of n, once each, in order (a take that would copy its column). */
export function isIdentity(rows: Int32Array, n: number): boolean {
  if (rows.length !== n) return false;
  for (let j = 0; j < n; j++) if (rows[j] !== j) return false;
  return true;
}

/**
 * Gathers rows `idx` of a column; index -1 yields a null row (outer joins). `missing` says whether idx holds a -1
 * (hasMissing; callers taking several columns by one index array pass it). The new buffers are the thread's scratch
 * memory (scratch.ts), which a task's result leaves by copy.
 */
export function takeColumn(col: Column, idx: Int32Array, missing = hasMissing(idx)): Column {
  const m = idx.length;
  const valid = takeValid(col.valid, idx, missing);
  switch (col.kind) {
    case "num": return { kind: "num", type: col.type, length: m, values: takeNumValues(col.values, idx, col.type), valid };
    case "str": return takeStr(col, idx, valid);
    case "dict": {
      const indices = scratchArray(Int32Array, m, false);
      const src = col.indices;
      for (let j = 0; j < m; j++) {
        const i = idx[j] as number;
        indices[j] = i >= 0 ? (src[i] as number) : 0;
      }
      const out: DictColumn = { kind: "dict", type: "utf8", length: m, indices, dict: col.dict, valid };
      return out;
    }
  }
}

/**
 * The row indices where mask is non-zero (`kept`: how many there are, when the caller has counted them), in a scratch
 * array: indices for takes within the task.
 */
export function maskToIndices(mask: Uint8Array, kept = countMask(mask)): Int32Array {
  const out = scratchArray(Int32Array, kept, false);
  for (let i = 0, j = 0; i < mask.length && j < kept; i++) if (mask[i] !== 0) out[j++] = i;
  return out;
}

/** How many entries of a mask are non-zero. */
export function countMask(mask: Uint8Array): number {
  let k = 0;
  for (let i = 0; i < mask.length; i++) k += mask[i] !== 0 ? 1 : 0;
  return k;
}

/** Keeps the rows where mask is non-zero. */
export function filterColumn(col: Column, mask: Uint8Array): Column {
  return takeColumn(col, maskToIndices(mask));
}
