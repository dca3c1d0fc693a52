// Distinct values of one key column mapped to dense codes: an open-addressing hash table per value family.
import { InternalError } from "@tessera/common";
import type { Column, NumColumn, StrColumn } from "./column.js";
import { int64Words, isIntegerLike, toFloat64 } from "./dtype-arrays.js";
import { hashBytes, hashNumber, mixInt } from "./hash-fns.js";
import { isIdentity, takeColumn } from "./take.js";
import { PROBE_BLOCK, touchSlots } from "./probe-block.js";
import { scratchArray } from "./scratch.js";

/** How key values compare: ints (incl. bool, dates, timestamps) as 64-bit integers, floats as doubles, strings as bytes. */
export type KeyFamily = "int" | "float" | "str";

/**
 * A growable value → code table. Codes are dense, in insertion order. Representatives are copied in, so one table
 * can encode several columns (batches) and look up columns of another batch. Mutable: internal to kernels. Its
 * arrays are scratch memory (scratch.ts): a table is used within the task that builds it.
 *
 * Each slot holds the code and an inline copy of the key, so a probe usually touches one cache line:
 * int family [code + 1, lo, hi, hash]; float family [code + 1, hash] with the value in `floats`; str family
 * [code + 1, hash, length, the first 12 bytes as 3 little-endian words, 0, 0] (longer strings compare the rest
 * against their representative in `bytes`).
 */
export interface KeyTable {
  readonly family: KeyFamily;
  count: number;
  /** Codes the arrays hold before the table grows (doubling). */
  cap: number;
  slots: Int32Array;
  /** Number of slots: any size (see slotOf), so the table is as small as its load factor allows. */
  size: number;
  floats: Float64Array; // float family: canonical value per code
  offsets: Int32Array; // str family: representative bytes of code c are bytes[offsets[c], offsets[c+1])
  bytes: Uint8Array;
  /**
   * Str family: whether every representative's bytes are kept. A table that only codes keys keeps the bytes of
   * strings longer than 12 alone (the slot holds shorter ones whole), so inserting a short key copies nothing.
   */
  readonly keepsValues: boolean;
}

const STRIDE: Readonly<Record<KeyFamily, number>> = { int: 4, float: 2, str: 8 };
const HASH_AT: Readonly<Record<KeyFamily, number>> = { int: 3, float: 1, str: 1 };

export function familyOf(col: Column): KeyFamily {
  if (col.kind !== "num") return "str";
  return isIntegerLike(col.type) || col.type === "null" ? "int" : "float";
}

/**
 * Codes a table holds before it grows: a fraction of its slots. Most probes of grouping and joins are hits, which a
 * full table serves as fast from less memory: 100,000 strings (900,000 dictionary entries) encode in 51-54 ns an
 * entry from 131,072 slots, 75-90 ns from 262,144 (two threads at once).
 */
const MAX_LOAD = 0.8;
/** Slots per expected code: a load of about 0.7 once they are all in, short of MAX_LOAD by the estimate's error. */
const SLOTS_PER_CODE = 1.4;

/**
 * Slot of hash h in a table of `size` slots: the high bits of h × size (multiply-shift), exact in doubles, so any
 * size spreads the hashes evenly and the table need not be a power of two.
 */
export function slotOf(h: number, size: number): number {
  const x = h >>> 0;
  return Math.floor(((x >>> 16) * size + Math.floor(((x & 0xffff) * size) / 65536)) / 65536);
}

function slotCount(cap: number): number {
  return Math.max(16, Math.ceil(cap / MAX_LOAD));
}

/**
 * An empty table sized for `expected` distinct keys. `keepsValues`: keep every string key's bytes, for callers that
 * read the distinct values back (`offsets`, `bytes`); tables that only code keys leave it off.
 */
export function newKeyTable(family: KeyFamily, expected = 16, keepsValues = false): KeyTable {
  const size = Math.max(16, Math.ceil(Math.max(8, expected) * SLOTS_PER_CODE));
  const cap = Math.floor(size * MAX_LOAD);
  const str = family === "str";
  const offsets = str ? scratchArray(Int32Array, cap + 1, false) : new Int32Array(1);
  offsets[0] = 0;
  return {
    family, count: 0, cap, slots: scratchArray(Int32Array, size * STRIDE[family], true), size,
    floats: family === "float" ? scratchArray(Float64Array, cap, false) : new Float64Array(0),
    offsets, bytes: new Uint8Array(str && keepsValues ? 8 * cap : 0), keepsValues,
  };
}

/** Doubles the code capacity and re-places every slot by its stored hash. */
function grow(t: KeyTable): void {
  const cap = t.cap * 2;
  if (t.family === "float") { const f = scratchArray(Float64Array, cap, false); f.set(t.floats.subarray(0, t.count)); t.floats = f; }
  if (t.family === "str") { const o = scratchArray(Int32Array, cap + 1, false); o.set(t.offsets.subarray(0, t.count + 1)); t.offsets = o; }
  const stride = STRIDE[t.family];
  const hashAt = HASH_AT[t.family];
  const old = t.slots;
  const size = slotCount(cap);
  const slots = scratchArray(Int32Array, size * stride, true);
  for (let p = 0; p < old.length; p += stride) {
    if (old[p] === 0) continue;
    let s = slotOf(old[p + hashAt] as number, size);
    while (slots[s * stride] !== 0) s = s + 1 === size ? 0 : s + 1;
    slots.set(old.subarray(p, p + stride), s * stride);
  }
  t.cap = cap;
  t.slots = slots;
  t.size = size;
}

function findFloat(t: KeyTable, x: number, insert: boolean): number {
  const v = x + 0; // -0 → 0
  const h = hashNumber(v);
  const slots = t.slots;
  const size = t.size;
  const f = t.floats;
  let s = slotOf(h, size);
  for (;;) {
    const c1 = slots[2 * s] as number;
    if (c1 === 0) break;
    const y = f[c1 - 1] as number;
    if (y === v || (y !== y && v !== v)) return c1 - 1;
    s = s + 1 === size ? 0 : s + 1;
  }
  if (!insert) return -1;
  if (t.count >= t.cap) { grow(t); return findFloat(t, x, true); }
  const c = t.count++;
  slots[2 * s] = c + 1;
  slots[2 * s + 1] = h;
  t.floats[c] = v;
  return c;
}

/** Grows the table, then the empty slot where a new key of hash h goes (slots of `stride` words). */
function emptySlotAfterGrowth(t: KeyTable, h: number, stride: number): number {
  grow(t);
  const slots = t.slots;
  const size = t.size;
  let s = slotOf(h, size);
  while (slots[s * stride] !== 0) s = s + 1 === size ? 0 : s + 1;
  return s;
}

/** Appends the bytes of a new representative for code c (the table's byte buffer grows by doubling). */
function appendBytes(t: KeyTable, c: number, b: Uint8Array, bs: number, len: number): void {
  const start = t.offsets[c] as number;
  if (start + len > t.bytes.length) {
    const nb = new Uint8Array(Math.max(2 * t.bytes.length, start + len + 64));
    nb.set(t.bytes.subarray(0, start));
    t.bytes = nb;
  }
  const tb = t.bytes;
  if (len > 16) tb.set(b.subarray(bs, bs + len), start);
  else for (let k = 0; k < len; k++) tb[start + k] = b[bs + k] as number;
  t.offsets[c + 1] = start + len;
}

/** Bytes [at, at + 4) of b[.., end) as a little-endian word, zero past `end`. */
export function wordAt(b: Uint8Array, at: number, end: number): number {
  if (at + 4 <= end) return (b[at] as number) | ((b[at + 1] as number) << 8) | ((b[at + 2] as number) << 16) | ((b[at + 3] as number) << 24);
  let w = 0;
  for (let k = 0; at + k < end; k++) w |= (b[at + k] as number) << (8 * k);
  return w;
}

/** Hashes and home slots of a block of rows (reused; see probe-block.ts). */
const blockHash = new Int32Array(PROBE_BLOCK);
const blockHome = new Int32Array(PROBE_BLOCK);

/**
 * Codes of every row of a string column. Rows go in blocks: first every row's hash and home slot, in one sequential
 * pass; then the probes, whose first addresses are thus known before each probe starts, so the processor overlaps
 * their cache misses instead of waiting on each one after hashing its string (100,000 strings, 900,000 rows:
 * 53-59 ns a row against 81-90 ns when each row is hashed just before its probe). A probe compares hash, length and
 * the first 12 bytes held in the slot, and reads the representative's bytes only for longer strings that match that
 * far.
 */
function encodeStr(t: KeyTable, col: StrColumn, insert: boolean, out: Int32Array): void {
  const n = col.length;
  const off = col.offsets;
  const b = col.bytes;
  const valid = col.valid;
  const hs = blockHash;
  const home = blockHome;
  for (let start = 0; start < n; start += PROBE_BLOCK) {
    const end = Math.min(n, start + PROBE_BLOCK);
    const homeSize = t.size;
    for (let i = start; i < end; i++) {
      const h = hashBytes(b, off[i] as number, off[i + 1] as number);
      hs[i - start] = h;
      home[i - start] = slotOf(h, homeSize);
    }
    for (let i = start; i < end; i++) {
      if (valid !== null && valid[i] === 0) { out[i] = -1; continue; }
      const bs = off[i] as number;
      const be = off[i + 1] as number;
      const len = be - bs;
      const h = hs[i - start] as number;
      const w0 = wordAt(b, bs, be);
      const w1 = wordAt(b, bs + 4, be);
      const w2 = wordAt(b, bs + 8, be);
      let slots = t.slots;
      let size = t.size;
      // A table grown inside this block has new home slots.
      let s = size === homeSize ? (home[i - start] as number) : slotOf(h, size);
      let code = -1;
      for (;;) {
        const p = s << 3;
        const c1 = slots[p] as number;
        if (c1 === 0) break;
        if (slots[p + 1] === h && slots[p + 2] === len && slots[p + 3] === w0 && slots[p + 4] === w1 && slots[p + 5] === w2) {
          if (len <= 12) { code = c1 - 1; break; }
          const os = (t.offsets[c1 - 1] as number) + 12;
          const rb = t.bytes;
          let k = 12;
          while (k < len && rb[os + k - 12] === b[bs + k]) k++;
          if (k === len) { code = c1 - 1; break; }
        }
        s = s + 1 === size ? 0 : s + 1;
      }
      if (code < 0 && insert) {
        if (t.count >= t.cap) {
          s = emptySlotAfterGrowth(t, h, 8);
          slots = t.slots;
          size = t.size;
        }
        code = t.count++;
        const p = s << 3;
        slots[p] = code + 1;
        slots[p + 1] = h;
        slots[p + 2] = len;
        slots[p + 3] = w0;
        slots[p + 4] = w1;
        slots[p + 5] = w2;
        if (len > 12 || t.keepsValues) appendBytes(t, code, b, bs, len);
        else t.offsets[code + 1] = t.offsets[code] as number;
      }
      out[i] = code;
    }
  }
}

/** A block's int keys as int64 words, with each row's hash, for the probe loop of encodeIntFamily. */
const blockLo = new Int32Array(PROBE_BLOCK);
const blockHi = new Int32Array(PROBE_BLOCK);
/** 1 where the row has a key to look up: not null and, for float columns, an exact integer. */
const blockOk = new Uint8Array(PROBE_BLOCK);

/**
 * Reads rows [start, end) of an int-family column into the block arrays as int64 words (lo, hi), with their hashes
 * and home slots in a table of `size` slots. One loop per element kind, each monomorphic.
 */
function intBlock(col: NumColumn, start: number, end: number, size: number): void {
  const valid = col.valid;
  const v = col.values;
  const lo = blockLo, hi = blockHi, ok = blockOk;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = start; i < end; i++) { lo[i - start] = w[2 * i] as number; hi[i - start] = w[2 * i + 1] as number; ok[i - start] = 1; }
  } else if (v instanceof Float64Array || v instanceof Float32Array) {
    // Float values looked up in an int table: only exact integers can match.
    for (let i = start; i < end; i++) {
      const x = v[i] as number;
      const exact = x === Math.floor(x) && Math.abs(x) <= 9007199254740992;
      lo[i - start] = exact ? (x % 4294967296) | 0 : 0;
      hi[i - start] = exact ? Math.floor(x / 4294967296) | 0 : 0;
      ok[i - start] = exact ? 1 : 0;
    }
  } else if (v instanceof Uint32Array) {
    for (let i = start; i < end; i++) { lo[i - start] = (v[i] as number) | 0; hi[i - start] = 0; ok[i - start] = 1; }
  } else {
    for (let i = start; i < end; i++) { const x = v[i] as number; lo[i - start] = x; hi[i - start] = x < 0 ? -1 : 0; ok[i - start] = 1; }
  }
  if (valid !== null) for (let i = start; i < end; i++) if (valid[i] === 0) ok[i - start] = 0;
  for (let j = 0; j < end - start; j++) {
    const h = mixInt(lo[j] as number, hi[j] as number);
    blockHash[j] = h;
    blockHome[j] = slotOf(h, size);
  }
}

/**
 * Codes of every row of an int-family column, a block of rows at a time like encodeStr: the block's words, hashes
 * and home slots first, then each probe's first slot loaded (touchSlots), then the probes. A million distinct keys
 * insert in 48-70 ns a row and are looked up in 59-77, against 90-100 and 90-98 probing each row as it is read.
 */
function encodeIntFamily(t: KeyTable, col: NumColumn, insert: boolean, out: Int32Array): void {
  const n = col.length;
  const lo = blockLo, hi = blockHi, ok = blockOk, hs = blockHash, home = blockHome;
  for (let start = 0; start < n; start += PROBE_BLOCK) {
    const end = Math.min(n, start + PROBE_BLOCK);
    const homeSize = t.size;
    intBlock(col, start, end, homeSize);
    touchSlots(t.slots, blockHome, 4, end - start);
    for (let i = start; i < end; i++) {
      const j = i - start;
      if (ok[j] === 0) { out[i] = -1; continue; }
      const l = lo[j] as number;
      const u = hi[j] as number;
      let slots = t.slots;
      let size = t.size;
      let s = size === homeSize ? (home[j] as number) : slotOf(hs[j] as number, size);
      let code = -1;
      for (;;) {
        const p = s << 2;
        const c1 = slots[p] as number;
        if (c1 === 0) break;
        if (slots[p + 1] === l && slots[p + 2] === u) { code = c1 - 1; break; }
        s = s + 1 === size ? 0 : s + 1;
      }
      if (code < 0 && insert) {
        if (t.count >= t.cap) {
          s = emptySlotAfterGrowth(t, hs[j] as number, 4);
          slots = t.slots;
          size = t.size;
        }
        code = t.count++;
        const p = s << 2;
        slots[p] = code + 1;
        slots[p + 1] = l;
        slots[p + 2] = u;
        slots[p + 3] = hs[j] as number;
      }
      out[i] = code;
    }
  }
}

function encodeFloatFamily(t: KeyTable, col: NumColumn, insert: boolean, out: Int32Array): void {
  const n = col.length;
  const valid = col.valid;
  const v = toFloat64(col.values);
  for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? -1 : findFloat(t, v[i] as number, insert);
}

/**
 * A table size hint for encoding `col`: the distinct values an evenly spaced sample of rows shows, extrapolated by
 * the uniform model (a sample of m rows from G values shows G (1 - e^(-m/G)) distinct), so big tables are
 * allocated once instead of grown repeatedly, and a few repeated values in a big column do not allocate for n.
 */
export function expectedDistinct(col: Column): number {
  const n = col.length;
  if (col.kind === "dict") return expectedDistinct(col.dict);
  if (n <= 4096) return n;
  // Rows sampled: 2048, or 8192 from large columns (at most 1/32 of them), where a table sized short doubles while
  // encoding. With G values the estimate rests on about m²/2G repeats: some 20 for 2048 rows of 10^5 values (±22%),
  // some 330 for 8192 (±6%). The estimate is padded by a tenth, and a table takes 12% past it before it grows.
  const m = n >= 1 << 18 ? 8192 : 2048;
  const idx = new Int32Array(m);
  for (let k = 0; k < m; k++) idx[k] = Math.floor((k * n) / m);
  const t = newKeyTable(familyOf(col), m);
  encodeColumn(t, takeColumn(col, idx), true);
  const d = t.count;
  if (d >= m) return n;
  // Solve G (1 - e^(-m/G)) = d by bisection on G in [d, n].
  let lo = d;
  let hi = n;
  for (let k = 0; k < 50 && hi - lo > 1; k++) {
    const g = (lo + hi) / 2;
    if (g * -Math.expm1(-m / g) < d) lo = g;
    else hi = g;
  }
  return Math.min(n, Math.ceil(hi * 1.1));
}

/**
 * Codes of each row of `col` in table `t` (inserting new values when `insert`); -1 for null rows and, when not
 * inserting, for values absent from the table. Dict columns encode their dictionary once and gather.
 * Inserting requires the column's family to be the table's; lookups also accept int↔float columns.
 */
export function encodeColumn(t: KeyTable, col: Column, insert: boolean): Int32Array {
  const fam = familyOf(col);
  if (insert && fam !== t.family) throw new InternalError("KEY_FAMILY", `cannot insert ${fam} keys into a ${t.family} key table`);
  if ((fam === "str") !== (t.family === "str")) {
    throw new InternalError("KEY_TYPE_MISMATCH", `cannot match ${fam} keys against ${t.family} keys; cast join keys to a common type`);
  }
  const out = scratchArray(Int32Array, col.length, false);
  switch (col.kind) {
    case "str": encodeStr(t, col, insert, out); break;
    case "dict": {
      const entry = encodeColumn(t, col.dict, insert);
      const idx = col.indices;
      const valid = col.valid;
      // A dictionary of distinct values inserted into a fresh table (a canonical one, say) gets codes 0, 1, 2...: each
      // row's code is its index, copied at memory speed instead of gathered.
      if (valid === null && isIdentity(entry, entry.length)) { out.set(idx.subarray(0, col.length)); break; }
      for (let i = 0; i < col.length; i++) out[i] = valid !== null && valid[i] === 0 ? -1 : (entry[idx[i] as number] as number);
      break;
    }
    case "num":
      if (t.family === "int") encodeIntFamily(t, col, insert, out);
      else encodeFloatFamily(t, col, insert, out);
      break;
  }
  return out;
}
