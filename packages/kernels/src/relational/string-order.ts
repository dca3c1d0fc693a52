// Dense ranks of UTF-8 strings in byte order (= code-point order), without decoding.
import type { StrColumn } from "../column.js";
import { bytesEqual, compareBytes } from "../strings.js";
import { radixSortByKey } from "./radix.js";

const SMALL_RUN = 32; // runs shorter than this are finished by comparator

/**
 * Dense ascending ranks (byte order) of the rows listed in `rows`; other entries of the result are 0.
 * MSD radix: rows are radix-sorted by a 26-bit word per 3 bytes (the bytes, zero-padded, then min(remaining, 3)
 * so a shorter string orders before any extension of it); runs sharing a word that continue past it are refined
 * at the next 3 bytes, and short runs are finished by a byte comparator. A shared prefix ("key_...") costs
 * one linear round per 3 bytes rather than a comparator sort of the whole column.
 */
export function rankStrings(col: StrColumn, rows: Int32Array): { ranks: Uint32Array; count: number } {
  const { offsets, bytes } = col;
  const order = rows.slice();
  const word = new Uint32Array(col.length);
  const tmp = new Int32Array(rows.length);
  const stack: number[] = [0, rows.length, 0]; // (start, end, depth) triples of unfinished runs
  while (stack.length > 0) {
    const depth = stack.pop()!;
    const end = stack.pop()!;
    const start = stack.pop()!;
    if (end - start < SMALL_RUN) {
      insertionSortFrom(col, order, start, end, depth);
      continue;
    }
    const run = order.subarray(start, end);
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      const s = offsets[i]! + depth;
      const rem = offsets[i + 1]! - s;
      const b0 = rem > 0 ? bytes[s]! : 0;
      const b1 = rem > 1 ? bytes[s + 1]! : 0;
      const b2 = rem > 2 ? bytes[s + 2]! : 0;
      word[i] = ((b0 << 18) | (b1 << 10) | (b2 << 2) | (rem > 3 ? 3 : rem)) >>> 0;
    }
    const sorted = radixSortByKey(run, word, tmp.subarray(0, run.length));
    if (sorted !== run) run.set(sorted);
    let a = start;
    for (let k = start + 1; k <= end; k++) {
      if (k < end && word[order[k]!] === word[order[a]!]) continue;
      // word & 3 === 3: the strings go on past these 3 bytes (possibly by zero bytes), so refine deeper
      if (k - a > 1 && (word[order[a]!]! & 3) === 3) stack.push(a, k, depth + 3);
      a = k;
    }
  }
  const ranks = new Uint32Array(col.length);
  let r = -1;
  for (let k = 0; k < order.length; k++) {
    const i = order[k]!;
    if (k === 0) r = 0;
    else {
      const p = order[k - 1]!;
      if (!bytesEqual(bytes, offsets[p]!, offsets[p + 1]!, bytes, offsets[i]!, offsets[i + 1]!)) r++;
    }
    ranks[i] = r;
  }
  return { ranks, count: r + 1 };
}

/** Insertion sort of order[start, end) by the bytes of each row from offset `depth` on (all rows are that long). */
function insertionSortFrom(col: StrColumn, order: Int32Array, start: number, end: number, depth: number): void {
  const { offsets, bytes } = col;
  for (let k = start + 1; k < end; k++) {
    const i = order[k]!;
    const s = offsets[i]! + depth;
    const e = offsets[i + 1]!;
    let j = k - 1;
    while (j >= start) {
      const p = order[j]!;
      if (compareBytes(bytes, offsets[p]! + depth, offsets[p + 1]!, bytes, s, e) <= 0) break;
      order[j + 1] = p;
      j--;
    }
    order[j + 1] = i;
  }
}
