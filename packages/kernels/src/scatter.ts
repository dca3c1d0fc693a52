// Rows scattered to partitions by a counting sort: one sequential pass per column writes every partition's rows into
// that partition's own buffers (exact sizes, so a piece is accounted, moved and freed on its own; in a pool thread a
// large piece is scratch memory, copied to an exact-size shared buffer with the task's result).
import type { Column, DictColumn, NumArray, NumColumn, StrColumn } from "./column.js";
import { scratchOf } from "./dtype-arrays.js";
import { scratchArray } from "./scratch.js";
import { appendBytes, viewOf } from "./copy-bytes.js";

/** Where each partition's rows go: partition p gets starts[p + 1] - starts[p] rows, in input order. */
export interface PartitionLayout {
  /** The partition of each input row, in [0, n). */
  readonly parts: Uint32Array;
  /** n + 1 ascending row offsets: the pieces' sizes as a prefix sum. */
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

function sizes(l: PartitionLayout): number[] {
  const out: number[] = [];
  for (let p = 0; p + 1 < l.starts.length; p++) out.push((l.starts[p + 1] as number) - (l.starts[p] as number));
  return out;
}

// outs[p][next[p]++] = src[i] for each row i of partition p: one loop per element width, so each stays monomorphic.

function scatterInt32(src: Int32Array, outs: readonly Int32Array[], parts: Uint32Array): void {
  const next = new Int32Array(outs.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    (outs[p] as Int32Array)[d] = src[i] as number;
  }
}

function scatterUint16(src: Uint16Array, outs: readonly Uint16Array[], parts: Uint32Array): void {
  const next = new Int32Array(outs.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    (outs[p] as Uint16Array)[d] = src[i] as number;
  }
}

function scatterUint8(src: Uint8Array, outs: readonly Uint8Array[], parts: Uint32Array): void {
  const next = new Int32Array(outs.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 1;
    (outs[p] as Uint8Array)[d] = src[i] as number;
  }
}

/** 64-bit elements moved as two 32-bit words, so no value passes through a double or a BigInt (a NaN's payload survives). */
function scatterWords(src: Int32Array, outs: readonly Int32Array[], parts: Uint32Array): void {
  const next = new Int32Array(outs.length);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const d = next[p] as number;
    next[p] = d + 2;
    const o = outs[p] as Int32Array;
    o[d] = src[2 * i] as number;
    o[d + 1] = src[2 * i + 1] as number;
  }
}

/** The same bytes viewed as elements of `width` bytes (8 bytes as pairs of 32-bit words). */
function view(a: NumArray | Uint8Array, width: number): Int32Array | Uint16Array | Uint8Array {
  const words = a.byteLength / Math.min(width, 4);
  if (width >= 4) return new Int32Array(a.buffer, a.byteOffset, words);
  if (width === 2) return new Uint16Array(a.buffer, a.byteOffset, words);
  return new Uint8Array(a.buffer, a.byteOffset, words);
}

/** Scatters src (elements of `width` bytes) into the pieces `outs` (same element type, exact sizes). */
function scatterBytes(src: NumArray | Uint8Array, outs: readonly (NumArray | Uint8Array)[], width: number, parts: Uint32Array): void {
  const s = view(src, width);
  const o = outs.map((x) => view(x, width));
  if (width === 8) scatterWords(s as Int32Array, o as Int32Array[], parts);
  else if (width === 4) scatterInt32(s as Int32Array, o as Int32Array[], parts);
  else if (width === 2) scatterUint16(s as Uint16Array, o as Uint16Array[], parts);
  else scatterUint8(s as Uint8Array, o as Uint8Array[], parts);
}

function scatterValid(valid: Uint8Array | null, l: PartitionLayout, counts: readonly number[]): (Uint8Array | null)[] {
  if (valid === null) return counts.map(() => null);
  const outs = counts.map((c) => scratchArray(Uint8Array, c, false));
  scatterUint8(valid, outs, l.parts);
  return outs;
}

/** Strings: each piece's bytes sized from a first pass over the lengths, then one pass copies every row's bytes. */
function scatterStr(col: StrColumn, l: PartitionLayout, counts: readonly number[]): StrColumn[] {
  const n = counts.length;
  const off = col.offsets;
  const src = col.bytes;
  const parts = l.parts;
  const byteCounts = new Int32Array(n);
  for (let i = 0; i < col.length; i++) {
    const p = parts[i] as number;
    byteCounts[p] = (byteCounts[p] as number) + (off[i + 1] as number) - (off[i] as number);
  }
  const pieces: StrColumn[] = counts.map((c, p) => {
    const offsets = scratchArray(Int32Array, c + 1, false);
    offsets[0] = 0;
    return { kind: "str", type: "utf8", length: c, offsets, bytes: scratchArray(Uint8Array, byteCounts[p] as number, false), valid: null };
  });
  const next = new Int32Array(n);
  const at = new Int32Array(n);
  const srcView = viewOf(src);
  const views = pieces.map((piece) => viewOf(piece.bytes));
  for (let i = 0; i < col.length; i++) {
    const p = parts[i] as number;
    const piece = pieces[p] as StrColumn;
    const s = off[i] as number;
    const e = off[i + 1] as number;
    const b = (at[p] as number) + e - s;
    appendBytes(src, srcView, s, piece.bytes, views[p] as DataView, at[p] as number, e - s);
    at[p] = b;
    const d = (next[p] as number) + 1;
    next[p] = d;
    piece.offsets[d] = b;
  }
  return pieces;
}

/** The pieces of `col` for the partitions of `l`, each in buffers of its own. */
export function scatterColumn(col: Column, l: PartitionLayout): Column[] {
  const counts = sizes(l);
  const valid = scatterValid(col.valid, l, counts);
  switch (col.kind) {
    case "num": {
      const values = counts.map((c) => scratchOf(col.type, c, false));
      scatterBytes(col.values, values, col.values.BYTES_PER_ELEMENT, l.parts);
      return values.map((v, p): NumColumn => ({ kind: "num", type: col.type, length: counts[p] as number, values: v, valid: valid[p] ?? null }));
    }
    case "str":
      return scatterStr(col, l, counts).map((piece, p) => ({ ...piece, valid: valid[p] ?? null }));
    case "dict": {
      const indices = counts.map((c) => scratchArray(Int32Array, c, false));
      scatterInt32(col.indices, indices, l.parts);
      return indices.map((ix, p): DictColumn => ({ kind: "dict", type: "utf8", length: counts[p] as number, indices: ix, dict: col.dict, valid: valid[p] ?? null }));
    }
  }
}
