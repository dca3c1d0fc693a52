// Dense codes of a string column too large for one cache-resident hash table (a dictionary of many entries), coded
// partition by partition.
import type { StrColumn } from "./column.js";
import { hashBytes } from "./hash-fns.js";
import { encodeColumn, expectedDistinct, newKeyTable, wordAt } from "./key-table.js";
import { scratchArray } from "./scratch.js";

/**
 * Distinct values a partition's table is sized for: 8,192 codes take some 12,000 slots of 32 bytes (384 KiB), which
 * stay in a core's 2 MiB second-level cache while the partition's records stream through.
 */
export const PARTITION_CODES = 8192;
/** Columns with fewer rows than this are coded in one table (their table is about cache-sized already). */
export const PARTITIONED_MIN_ROWS = 1 << 16;

export interface PartitionedCodes {
  /** Code of each row, in [0, count): equal values share one. Not in first-appearance order. */
  readonly codes: Int32Array;
  readonly count: number;
}

/** Words per record: row, hash, length, the first 12 bytes as 3 little-endian words. */
const REC = 6;
/** Words per slot: code + 1, hash, length, 3 words of bytes, the row holding the value, unused. */
const SLOT = 8;
const MAX_LOAD = 0.75;

/** Whether rows a and b (equal in hash, length and first 12 bytes) are equal past byte 12. */
function sameTail(off: Int32Array, b: Uint8Array, a: number, c: number, len: number): boolean {
  const sa = (off[a] as number) + 12;
  const sc = (off[c] as number) + 12;
  for (let k = 0; k < len - 12; k++) if (b[sa + k] !== b[sc + k]) return false;
  return true;
}

/** Mask of the bytes of a little-endian word that belong to a value with `k` bytes left from the word's start. */
function bytesMask(k: number): number {
  return k >= 4 ? -1 : k <= 0 ? 0 : (1 << (8 * k)) - 1;
}

/**
 * Word `w` (0..2) of the value of `len` bytes at `s`, the bytes past its end zero: one unaligned read where the
 * value's first 12 bytes lie inside the buffer (`inside`), else byte by byte (wordAt), which gives the same word.
 */
function valueWord(view: DataView, b: Uint8Array, s: number, len: number, w: number, inside: boolean): number {
  return inside ? view.getInt32(s + 4 * w, true) & bytesMask(len - 4 * w) : wordAt(b, s + 4 * w, s + len);
}

/**
 * Hash of a value of at most 12 bytes from its three words (bytes past its end zero) and its length: a few multiplies
 * where hashing byte by byte takes a load and a shift per byte. Only this module compares these hashes.
 */
function shortHash(w0: number, w1: number, w2: number, len: number): number {
  let h = Math.imul(w0 ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 15) ^ w1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 13) ^ w2, 0x27d4eb2f);
  h = Math.imul(h ^ (h >>> 16) ^ len, 0x165667b1);
  return h ^ (h >>> 15);
}

/**
 * Dense codes of the rows of a null-free string column, radix-partitioned. A table of all its values misses the cache
 * on most probes once it outgrows the processor's caches (100,000 values: 4.5 MiB of slots), at 60-70 ns a miss
 * here. Instead, rows are hashed once, copied as records (hash, length, first 12 bytes) into partitions by the hash's
 * low bits, about `codesPerPartition` distinct values each, and each partition is coded in a table that stays cached,
 * emptied and reused for the next. Partition p's codes follow those of the partitions before it. Values longer than
 * 12 bytes compare the rest of their bytes in the column. A column of at most `codesPerPartition` values (by the
 * sample's estimate) goes straight into one key table.
 */
export function partitionedStrCodes(col: StrColumn, codesPerPartition = PARTITION_CODES): PartitionedCodes {
  const n = col.length;
  const off = col.offsets;
  const b = col.bytes;
  const est = expectedDistinct(col);
  const parts = 2 ** Math.max(0, Math.ceil(Math.log2(est / codesPerPartition)));
  if (parts === 1) {
    // Few values: their one table stays in cache as it is, so the rows go straight to it, with no records.
    const t = newKeyTable("str", est);
    return { codes: encodeColumn(t, col, true), count: t.count };
  }
  const bits = Math.log2(parts);
  const mask = parts - 1;
  // A value's first 12 bytes are read as three unaligned words when they lie inside the buffer (the bytes past a
  // shorter value's end masked off); values near the buffer's end go byte by byte.
  const view = new DataView(b.buffer, b.byteOffset, b.length);
  const wordsInside = b.length - 12;
  // Each row's hash, and how many rows each partition gets. Values of up to 12 bytes hash their words; longer ones
  // hash every byte.
  const hashes = scratchArray(Int32Array, n, false);
  const start = new Int32Array(parts + 1);
  for (let i = 0; i < n; i++) {
    const s = off[i] as number;
    const len = (off[i + 1] as number) - s;
    const inside = s <= wordsInside;
    const h = len > 12 ? hashBytes(b, s, s + len)
      : shortHash(valueWord(view, b, s, len, 0, inside), valueWord(view, b, s, len, 1, inside), valueWord(view, b, s, len, 2, inside), len);
    hashes[i] = h;
    start[(h & mask) + 1] = (start[(h & mask) + 1] as number) + 1;
  }
  let most = 0;
  for (let p = 0; p < parts; p++) {
    most = Math.max(most, start[p + 1] as number);
    start[p + 1] = (start[p + 1] as number) + (start[p] as number);
  }
  // Records, partition by partition: reading the rows in order, writing one stream per partition.
  const rec = scratchArray(Int32Array, REC * n, false);
  const fill = start.slice(0, parts);
  for (let i = 0; i < n; i++) {
    const h = hashes[i] as number;
    const p = h & mask;
    const r = REC * (fill[p] as number);
    fill[p] = (fill[p] as number) + 1;
    const s = off[i] as number;
    const e = off[i + 1] as number;
    const len = e - s;
    rec[r] = i;
    rec[r + 1] = h;
    rec[r + 2] = len;
    const inside = s <= wordsInside;
    rec[r + 3] = valueWord(view, b, s, len, 0, inside);
    rec[r + 4] = valueWord(view, b, s, len, 1, inside);
    rec[r + 5] = valueWord(view, b, s, len, 2, inside);
  }
  const codes = hashes; // a row's hash is in its record by now
  // One table for every partition, sized (a power of two) for a partition's share of the values; a partition with
  // more grows it. A slot comes from the hash's bits above those that chose the partition (all equal within it).
  let size = 16;
  while (size * MAX_LOAD < 1.25 * Math.min(most, Math.ceil(est / parts))) size *= 2;
  let smask = size - 1;
  let slots = scratchArray(Int32Array, SLOT * size, true);
  let base = 0;
  for (let p = 0; p < parts; p++) {
    const from = start[p] as number;
    const to = start[p + 1] as number;
    if (p > 0) slots.fill(0);
    let count = 0;
    for (let j = from; j < to; j++) {
      const r = REC * j;
      const row = rec[r] as number, h = rec[r + 1] as number, len = rec[r + 2] as number;
      const w0 = rec[r + 3] as number, w1 = rec[r + 4] as number, w2 = rec[r + 5] as number;
      let s = (h >>> bits) & smask;
      let code = -1;
      for (;;) {
        const q = SLOT * s;
        const c1 = slots[q] as number;
        if (c1 === 0) break;
        if (slots[q + 1] === h && slots[q + 2] === len && slots[q + 3] === w0 && slots[q + 4] === w1 && slots[q + 5] === w2 &&
          (len <= 12 || sameTail(off, b, slots[q + 6] as number, row, len))) { code = c1 - 1; break; }
        s = (s + 1) & smask;
      }
      if (code < 0) {
        if (count + 1 > MAX_LOAD * size) {
          // Grow: re-place the partition's slots by their stored hashes, then find this row's empty slot again.
          const old = slots;
          const oldSize = size;
          size *= 2;
          smask = size - 1;
          slots = scratchArray(Int32Array, SLOT * size, true);
          for (let o = 0; o < oldSize; o++) {
            if (old[SLOT * o] === 0) continue;
            let t = ((old[SLOT * o + 1] as number) >>> bits) & smask;
            while (slots[SLOT * t] !== 0) t = (t + 1) & smask;
            slots.set(old.subarray(SLOT * o, SLOT * o + SLOT), SLOT * t);
          }
          s = (h >>> bits) & smask;
          while (slots[SLOT * s] !== 0) s = (s + 1) & smask;
        }
        code = count++;
        const q = SLOT * s;
        slots[q] = code + 1;
        slots[q + 1] = h;
        slots[q + 2] = len;
        slots[q + 3] = w0;
        slots[q + 4] = w1;
        slots[q + 5] = w2;
        slots[q + 6] = row;
      }
      codes[row] = base + code;
    }
    base += count;
  }
  return { codes, count: base };
}
