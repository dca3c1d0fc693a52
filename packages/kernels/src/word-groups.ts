// Dense group ids of rows keyed by one or two packed 32-bit words: a direct map or one hash probe per row. Groups are
// numbered by first appearance, unless the caller takes any order (aggregation), when a word whose every value occurs
// is its own numbering.
import type { Word } from "./key-codes.js";
import { tableSize } from "./hash-fns.js";
import { PROBE_BLOCK, touchSlots } from "./probe-block.js";
import { scratchArray } from "./scratch.js";

export interface DenseGroups {
  readonly ids: Int32Array;
  readonly count: number;
  readonly firstRow: Int32Array;
}

/** A word with at most this many values (or 4 per row) is renumbered through a direct lookup array. */
const DIRECT_MIN = 1 << 18;

/** The ids of a word's rows, written over its keys: each row's key is read before its id is written. */
function idsOver(keys: Uint32Array): Int32Array {
  return new Int32Array(keys.buffer, keys.byteOffset, keys.length);
}

/**
 * The first row of each of the `count` values of `keys`, found by a scan that stops once every value has appeared;
 * null when some value never does. Small code ranges are usually all present within their first rows.
 */
export function firstRowsIfAllPresent(keys: Uint32Array | Int32Array, count: number): Int32Array | null {
  const n = keys.length;
  if (count >= n) return null;
  const first = new Int32Array(count).fill(-1);
  let seen = 0;
  for (let i = 0; i < n && seen < count; i++) {
    const k = keys[i] as number;
    if (first[k] === -1) { first[k] = i; seen++; }
  }
  return seen === count ? first : null;
}

function directGroups(keys: Uint32Array, count: number, anyOrder: boolean): DenseGroups {
  const n = keys.length;
  if (anyOrder) {
    // The keys are the group ids when every one of them occurs: no renumbering pass.
    const present = firstRowsIfAllPresent(keys, count);
    if (present !== null) return { ids: idsOver(keys), count, firstRow: present };
  }
  const map = scratchArray(Int32Array, count, false).fill(-1);
  const ids = idsOver(keys);
  const first = scratchArray(Int32Array, Math.min(count, n), false);
  let groups = 0;
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number;
    let g = map[k] as number;
    if (g < 0) { g = groups++; map[k] = g; first[g] = i; }
    ids[i] = g;
  }
  return { ids, count: groups, firstRow: first.slice(0, groups) };
}

/** Fibonacci hashing of one word to `bits` bits. */
function slotOf1(a: number, shift: number): number {
  return Math.imul(a, 0x9e3779b1) >>> shift;
}

function slotOf2(a: number, b: number, shift: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ b;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return Math.imul(h ^ (h >>> 13), 0x9e3779b1) >>> shift;
}

function log2(size: number): number {
  return 31 - Math.clz32(size);
}

/** Home slots of a block of rows (reused). */
const blockHome = new Int32Array(PROBE_BLOCK);

/** One word too wide for a direct array: open addressing, the word stored once per group. */
function hashGroups1(keys: Uint32Array, bound: number): DenseGroups {
  const n = keys.length;
  const size = tableSize(bound);
  const shift = 32 - log2(size);
  const mask = size - 1;
  const slots = scratchArray(Int32Array, size, true); // group + 1, 0 = empty
  const ka = scratchArray(Uint32Array, bound, false);
  const first = scratchArray(Int32Array, bound, false);
  const ids = idsOver(keys);
  const home = blockHome;
  let groups = 0;
  for (let start = 0; start < n; start += PROBE_BLOCK) {
    const end = Math.min(n, start + PROBE_BLOCK);
    for (let i = start; i < end; i++) home[i - start] = slotOf1(keys[i] as number, shift);
    touchSlots(slots, home, 1, end - start);
    for (let i = start; i < end; i++) {
      const a = keys[i] as number;
      let s = home[i - start] as number;
      let g: number;
      for (;;) {
        const c = slots[s] as number;
        if (c === 0) { g = groups++; slots[s] = g + 1; ka[g] = a; first[g] = i; break; }
        if (ka[c - 1] === a) { g = c - 1; break; }
        s = (s + 1) & mask;
      }
      ids[i] = g;
    }
  }
  return { ids, count: groups, firstRow: first.slice(0, groups) };
}

/** Two words: the same, with both words of a group side by side (one cache line to compare). */
function hashGroups2(wa: Uint32Array, wb: Uint32Array, bound: number): DenseGroups {
  const n = wa.length;
  const size = tableSize(bound);
  const shift = 32 - log2(size);
  const mask = size - 1;
  const slots = scratchArray(Int32Array, size, true);
  const kab = scratchArray(Uint32Array, 2 * bound, false); // group g's words at 2g, 2g + 1
  const first = scratchArray(Int32Array, bound, false);
  const ids = idsOver(wa);
  const home = blockHome;
  let groups = 0;
  for (let start = 0; start < n; start += PROBE_BLOCK) {
    const end = Math.min(n, start + PROBE_BLOCK);
    for (let i = start; i < end; i++) home[i - start] = slotOf2(wa[i] as number, wb[i] as number, shift);
    touchSlots(slots, home, 1, end - start);
    for (let i = start; i < end; i++) {
      const a = wa[i] as number;
      const b = wb[i] as number;
      let s = home[i - start] as number;
      let g: number;
      for (;;) {
        const c = slots[s] as number;
        if (c === 0) { g = groups++; slots[s] = g + 1; kab[2 * g] = a; kab[2 * g + 1] = b; first[g] = i; break; }
        if (kab[2 * c - 2] === a && kab[2 * c - 1] === b) { g = c - 1; break; }
        s = (s + 1) & mask;
      }
      ids[i] = g;
    }
  }
  return { ids, count: groups, firstRow: first.slice(0, groups) };
}

/**
 * Dense groups of rows keyed by the tuple of `words` (all of length n). Three or more words are reduced two at a
 * time: a pair becomes dense group ids (at most n values), which pack with the next word when the product fits.
 * Consumes the words: ids are written over the first word's keys, so the caller must own them (packCodes' words).
 * `anyOrder`: the groups may be numbered in any order (firstRow is still each group's first row).
 */
export function wordGroups(words: readonly Word[], n: number, anyOrder = false): DenseGroups {
  let rest = [...words];
  for (;;) {
    const w0 = rest[0] as Word;
    if (rest.length === 1) {
      if (w0.count <= Math.max(DIRECT_MIN, 4 * n)) return directGroups(w0.keys, w0.count, anyOrder);
      return hashGroups1(w0.keys, Math.min(n, w0.count));
    }
    const w1 = rest[1] as Word;
    const pair = hashGroups2(w0.keys, w1.keys, Math.min(n, w0.count * w1.count));
    if (rest.length === 2) return pair;
    const w2 = rest[2] as Word;
    const merged = { keys: new Uint32Array(pair.ids.buffer, pair.ids.byteOffset, n), count: Math.max(1, pair.count) };
    if (merged.count * w2.count <= 2 ** 32) {
      const k = merged.keys;
      const c = w2.keys;
      const radix = w2.count;
      for (let i = 0; i < n; i++) k[i] = (k[i] as number) * radix + (c[i] as number);
      rest = [{ keys: k, count: merged.count * radix }, ...rest.slice(3)];
    } else {
      rest = [merged, ...rest.slice(2)];
    }
  }
}
