// Rows scattered to partitions by a counting sort: one sequential pass per column writes every partition's rows, and
// each partition's piece is a consecutive range of one output buffer (a view, not a copy).
import type { Column, DictColumn, NumArray, NumColumn, StrColumn } from "./column.js";
import { allocArray } from "./dtype-arrays.js";

/** Where each partition's rows go: partition p holds output rows [starts[p], starts[p + 1]), in input order. */
export interface PartitionLayout {
  /** The partition of each input row, in [0, n). */
  readonly parts: Uint32Array;
  /** n + 1 ascending row offsets. */
  readonly starts: Int32Array;
}

export function partitionLayout(parts: Uint32Array, n: number): PartitionLayout {
  const starts = new Int32Array(n + 1);
  for (let i = 0; i < parts.length; i++) {
    const p = (parts[i] as number) + 1;
    starts[p] = (starts[p] as number) + 1;
  }
  for (let p = 0; p < n; p++) starts[p + 1] = (starts[p + 1] as number) + (starts[p] as number);
  return { parts, starts };
}

/** dst[next[p]++] = src[i] for each row i of partition p, 32-bit elements (int32 and float32 bits alike). */
function scatterInt32(src: Int32Array, dst: Int32Array, parts: Uint32Array, next: Int32Array): void {
  const n = parts.length;
  for (let i = 0; i < n; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    dst[d] = src[i] as number;
  }
}

/** The same for bytes (validity, bool and 8-bit values). Its own loop, so each stays monomorphic. */
function scatterUint8(src: Uint8Array, dst: Uint8Array, parts: Uint32Array, next: Int32Array): void {
  const n = parts.length;
  for (let i = 0; i < n; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    dst[d] = src[i] as number;
  }
}

/** The same for 16-bit elements. */
function scatterUint16(src: Uint16Array, dst: Uint16Array, parts: Uint32Array, next: Int32Array): void {
  const n = parts.length;
  for (let i = 0; i < n; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    dst[d] = src[i] as number;
  }
}

/** 64-bit elements moved as two 32-bit words, so no value passes through a double or a BigInt. */
function scatterWords(src: Int32Array, dst: Int32Array, parts: Uint32Array, next: Int32Array): void {
  const n = parts.length;
  for (let i = 0; i < n; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    dst[2 * d] = src[2 * i] as number;
    dst[2 * d + 1] = src[2 * i + 1] as number;
  }
}

function scatterNum(values: NumArray, type: NumColumn["type"], l: PartitionLayout): NumArray {
  const out = allocArray(type, values.length);
  const next = l.starts.slice(0, -1);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array || values instanceof Float64Array) {
    // Float64 goes as words too: a NaN's payload survives.
    const src = new Int32Array(values.buffer, values.byteOffset, values.length * 2);
    scatterWords(src, new Int32Array(out.buffer, out.byteOffset, values.length * 2), l.parts, next);
  } else {
    // Every narrower element type goes through the loop of its width, over the same bytes.
    const width = values.BYTES_PER_ELEMENT;
    const src = values.buffer;
    const at = values.byteOffset;
    if (width === 4) scatterInt32(new Int32Array(src, at, values.length), new Int32Array(out.buffer, out.byteOffset, values.length), l.parts, next);
    else if (width === 2) scatterUint16(new Uint16Array(src, at, values.length), new Uint16Array(out.buffer, out.byteOffset, values.length), l.parts, next);
    else scatterUint8(new Uint8Array(src, at, values.length), new Uint8Array(out.buffer, out.byteOffset, values.length), l.parts, next);
  }
  return out;
}

function scatterBytesOf(valid: Uint8Array | null, l: PartitionLayout): Uint8Array | null {
  if (valid === null) return null;
  const out = new Uint8Array(valid.length);
  scatterUint8(valid, out, l.parts, l.starts.slice(0, -1));
  return out;
}

/**
 * Strings: the partitions' byte ranges follow each other in partition order, like their rows, so one offsets array
 * over one byte buffer serves every piece (a piece's first offset is where its bytes begin).
 */
function scatterStr(col: StrColumn, l: PartitionLayout, n: number): { offsets: Int32Array; bytes: Uint8Array } {
  const rows = col.length;
  const off = col.offsets;
  const src = col.bytes;
  const parts = l.parts;
  const byteStart = new Int32Array(n + 1);
  for (let i = 0; i < rows; i++) {
    const p = (parts[i] as number) + 1;
    byteStart[p] = (byteStart[p] as number) + (off[i + 1] as number) - (off[i] as number);
  }
  for (let p = 0; p < n; p++) byteStart[p + 1] = (byteStart[p + 1] as number) + (byteStart[p] as number);
  const bytes = new Uint8Array(byteStart[n] as number);
  const offsets = new Int32Array(rows + 1);
  const next = l.starts.slice(0, -1);
  const at = byteStart.slice(0, -1);
  for (let i = 0; i < rows; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    const s = off[i] as number;
    const e = off[i + 1] as number;
    let b = at[p] as number;
    if (e - s > 16) { bytes.set(src.subarray(s, e), b); b += e - s; }
    else for (let k = s; k < e; k++) bytes[b++] = src[k] as number;
    at[p] = b;
    offsets[d + 1] = b;
  }
  // Rows before the first non-empty partition start at 0; every later piece's first offset was written by the row before it.
  return { offsets, bytes };
}

/** The pieces of `col` for the partitions of `l` (n of them), each a view of one scattered buffer. */
export function scatterColumn(col: Column, l: PartitionLayout): Column[] {
  const n = l.starts.length - 1;
  const valid = scatterBytesOf(col.valid, l);
  const s = l.starts;
  const validOf = (p: number): Uint8Array | null => (valid === null ? null : valid.subarray(s[p] as number, s[p + 1] as number));
  const pieces: Column[] = [];
  switch (col.kind) {
    case "num": {
      const values = scatterNum(col.values, col.type, l);
      for (let p = 0; p < n; p++) {
        pieces.push({ kind: "num", type: col.type, length: (s[p + 1] as number) - (s[p] as number), values: values.subarray(s[p] as number, s[p + 1] as number), valid: validOf(p) });
      }
      return pieces;
    }
    case "str": {
      const { offsets, bytes } = scatterStr(col, l, n);
      for (let p = 0; p < n; p++) {
        pieces.push({ kind: "str", type: "utf8", length: (s[p + 1] as number) - (s[p] as number), offsets: offsets.subarray(s[p] as number, (s[p + 1] as number) + 1), bytes, valid: validOf(p) });
      }
      return pieces;
    }
    case "dict": {
      const indices = new Int32Array(col.length);
      scatterInt32(col.indices, indices, l.parts, l.starts.slice(0, -1));
      for (let p = 0; p < n; p++) {
        const piece: DictColumn = { kind: "dict", type: "utf8", length: (s[p + 1] as number) - (s[p] as number), indices: indices.subarray(s[p] as number, s[p + 1] as number), dict: col.dict, valid: validOf(p) };
        pieces.push(piece);
      }
      return pieces;
    }
  }
}
