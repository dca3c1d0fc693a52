// Dictionary utf8 columns: row groups' dictionary pages appended as they come, PLAIN values interned once each.
import { IoError } from "@tessera/common";
import { appendBytes, canonicalDictionary, SMALL_DICTIONARY, viewOf, type Column, type StrColumn } from "@tessera/kernels";
import { BytesInterner } from "../bytes-interner.js";
import { allocArray, type ColumnMemory } from "./column-memory.js";
import { dictionaryScratch } from "./dictionary-scratch.js";
import { giveBuffer, takeBuffer } from "./scratch-buffers.js";
import { decodeRleLookup32 } from "./rle-hybrid.js";
import { SmallDictionary } from "./small-dictionary.js";
import { byteArrays } from "./value-targets.js";
import type { ValueTarget } from "./value-targets.js";

const bad = (why: string): Error => new Error(why);

/**
 * The batch's dictionary is every row group's dictionary page, appended in row-group order (a value in several row
 * groups' pages is in the dictionary several times, as the column contract allows). Values of PLAIN pages are
 * appended too once the column has had a dictionary page (they are where its dictionary overflowed: high cardinality,
 * little to share); before that, each distinct PLAIN value is interned once and follows all appended entries.
 * Appending costs a copy of each page's bytes; merging by value would cost a hash lookup per entry (for
 * high-cardinality columns, most of the read), which kernels that need unique values (grouping, joins) pay anyway,
 * once per dictionary entry they meet.
 *
 * Rows of appended entries hold their index directly; rows of interned PLAIN values hold -(j + 1) for the j-th
 * distinct one until `finish`, when the number of appended entries (their base) is known. A dictionary of at most
 * SMALL_DICTIONARY entries is then made canonical (each value once, in byte order; a sort of a few thousand entries),
 * so a low-cardinality column's batches hold equal dictionaries that Arrow output and concatenation share.
 *
 * Before that, while the dictionary pages' distinct values stay few (SmallDictionary), they are kept canonical as the
 * pages come and rows are decoded straight to canonical indices: no pass over the rows renumbers them at the end. A
 * page past that (too many values, a PLAIN page, values arriving late more than once) ends it: the canonical values
 * so far become the first appended entries, which the rows decoded so far index, and appending goes on from there.
 */
export class DictTarget implements ValueTarget {
  private readonly out: Int32Array;
  // The appended entries, in working buffers (taken from scratch-buffers, given back by finish, which copies them out).
  private offsets = int32s(takeBuffer(4 * 1025));
  private bytes = new Uint8Array(takeBuffer(16 * 1024));
  private bytesView = viewOf(this.bytes);
  private size = 0;
  /** The current row group's dictionary page: its claim on dictionaryScratch, whose integers map k to base + k. */
  private pageStamp = 0;
  private pageSize = 0;
  private readonly plainValues = new BytesInterner();
  private starts = new Int32Array(1024);
  private lens = new Int32Array(1024);
  /** The canonical values while the column's dictionary pages stay small; null before the first and once past them. */
  private small: SmallDictionary | null = null;
  private smallEnded = false;
  /** Rows decoded so far: [0, filled). */
  private filled = 0;

  constructor(total: number, private readonly memory: ColumnMemory) {
    this.out = allocArray(memory, Int32Array, total, false);  // every row's index is written (0 under nulls, by finish)
    this.offsets[0] = 0;
  }

  dictionary(buf: Uint8Array, pos: number, end: number, count: number): void {
    if (this.small === null && !this.smallEnded && this.size === 0 && this.plainValues.size === 0) this.small = new SmallDictionary();
    if (this.small !== null) {
      if (4 * count > end - pos) throw bad(`dictionary page of ${end - pos} bytes claims ${count} values`);
      const stamp = dictionaryScratch.claim(0, count);
      const outcome = this.small.addPage(buf, pos, end, count, dictionaryScratch.ints(stamp), this.filled > 0);
      if (outcome.kind !== "overflow") {
        if (outcome.kind === "renumbered") renumber(this.out, this.filled, outcome.remap);
        this.pageStamp = stamp;
        this.pageSize = count;
        return;
      }
      this.endSmall();
    }
    const base = this.append(buf, pos, end, count, "dictionary page");
    this.pageStamp = dictionaryScratch.claim(0, count);
    const page = dictionaryScratch.ints(this.pageStamp);
    for (let k = 0; k < count; k++) page[k] = base + k;
    this.pageSize = count;
  }

  /** Ends the small dictionary: its canonical values become the first appended entries (decoded rows index them). */
  private endSmall(): void {
    const v = (this.small as SmallDictionary).values;
    this.small = null;
    this.smallEnded = true;
    const n = v.length, used = v.offsets[n] as number;
    this.reserve(n, used);
    this.offsets.set(v.offsets.subarray(0, n + 1));
    this.bytes.set(v.bytes.subarray(0, used));
    this.size = n;
  }

  /** Appends `count` PLAIN values in buf[pos, end) as entries; returns the first one's index. */
  private append(buf: Uint8Array, pos: number, end: number, count: number, what: string): number {
    // Every value takes at least its 4-byte length: a count the page cannot hold is refused before allocating for it.
    if (4 * count > end - pos) throw bad(`${what} of ${end - pos} bytes claims ${count} values`);
    const base = this.size;
    this.reserve(count, end - pos - 4 * count);
    const offsets = this.offsets, bytes = this.bytes, bytesView = this.bytesView, src = viewOf(buf);
    let p = pos, u = offsets[base] as number;
    for (let j = 0; j < count; j++) {
      if (p + 4 > end) throw bad(`${what} ends after ${j} of ${count} values`);
      const len = src.getUint32(p, true);
      p += 4;
      if (p + len > end) throw bad(`a value overruns its ${what}`);
      appendBytes(buf, src, p, bytes, bytesView, u, len);
      u += len;
      p += len;
      offsets[base + j + 1] = u;
    }
    this.size = base + count;
    return base;
  }

  /** Room for `entries` more entries of at most `byteCount` bytes in all (the page's bytes bound them). */
  private reserve(entries: number, byteCount: number): void {
    if (this.size + entries + 1 > this.offsets.length) {
      const o = int32s(takeBuffer(4 * Math.max(this.size + entries + 1, 2 * this.offsets.length)));
      o.set(this.offsets.subarray(0, this.size + 1));
      giveBuffer(this.offsets.buffer as ArrayBuffer);
      this.offsets = o;
    }
    const used = this.offsets[this.size] as number, need = used + byteCount;
    if (need > 0x7fffffff) throw new IoError("IO_UNSUPPORTED_TYPE", "string dictionary over 2 GiB");
    if (need > this.bytes.length) {
      const grown = new Uint8Array(takeBuffer(Math.min(0x7fffffff, Math.max(need, 2 * this.bytes.length))));
      grown.set(this.bytes.subarray(0, used));
      giveBuffer(this.bytes.buffer as ArrayBuffer);
      this.bytes = grown;
      this.bytesView = viewOf(grown);
    }
  }

  plain(buf: Uint8Array, pos: number, end: number, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    if (this.small !== null) this.endSmall();
    this.filled = Math.max(this.filled, at + rows);
    if (this.size > 0) {
      // The column had dictionary pages, so these PLAIN pages are where its dictionary overflowed: values of high
      // cardinality, appended as entries without hashing, as dictionary pages are.
      const base = this.append(buf, pos, end, nonNull, "PLAIN page"), out = this.out;
      for (let j = 0; j < nonNull; j++) out[at + j] = base + j;
      if (valid !== null) spreadIndices(out, at, rows, nonNull, valid);
      return;
    }
    if (this.starts.length < nonNull) { this.starts = new Int32Array(nonNull * 1.5); this.lens = new Int32Array(nonNull * 1.5); }
    const starts = this.starts, lens = this.lens;
    byteArrays(buf, pos, end, nonNull, starts, lens);
    const out = this.out.subarray(at, at + nonNull);
    this.plainValues.internAll(buf, starts, lens, nonNull, out);
    for (let i = 0; i < nonNull; i++) out[i] = -(out[i] as number) - 1;
    if (valid !== null) spreadIndices(this.out, at, rows, nonNull, valid);
  }

  lookup(buf: Uint8Array, start: number, end: number, width: number, rows: number, at: number): boolean {
    this.filled = Math.max(this.filled, at + rows);
    decodeRleLookup32(buf, start, end, width, rows, dictionaryScratch.ints(this.pageStamp), this.pageSize, this.out, at);
    return true;
  }

  indices(idx: Int32Array, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    this.filled = Math.max(this.filled, at + rows);
    if (nonNull === 0) { if (valid !== null) spreadIndices(this.out, at, rows, 0, valid); return; }
    const page = dictionaryScratch.ints(this.pageStamp), size = this.pageSize, out = this.out;
    for (let i = 0; i < nonNull; i++) {
      const k = idx[i] as number;
      if (k >= size) throw bad(`dictionary index ${k} past the dictionary's ${size} entries`);
      out[at + i] = page[k] as number;
    }
    if (valid !== null) spreadIndices(out, at, rows, nonNull, valid);
  }

  finish(length: number, valid: Uint8Array | null): Column {
    const out = this.out, base = this.size;
    if (this.plainValues.size > 0) {
      for (let i = 0; i < length; i++) { const v = out[i] as number; if (v < 0) out[i] = base - v - 1; }
    }
    if (valid !== null) for (let i = 0; i < length; i++) if (valid[i] === 0) out[i] = 0;  // any in-range index under nulls
    if (this.small !== null) {
      // Rows hold canonical indices already.
      const v = this.small.values, n = v.length, used = v.offsets[n] as number;
      this.small = null;
      const offsets = allocArray(this.memory, Int32Array, n + 1), bytes = allocArray(this.memory, Uint8Array, used);
      offsets.set(v.offsets.subarray(0, n + 1));
      bytes.set(v.bytes.subarray(0, used));
      return this.finished(length, { kind: "str", type: "utf8", length: n, offsets, bytes, valid: null }, valid);
    }
    let dict = this.dictionaryColumn();
    if (dict.length <= SMALL_DICTIONARY) {
      // A small dictionary is made canonical: every batch of the column holding the same values then holds an equal one.
      const c = canonicalDictionary(dict);
      const remap = c.remap;
      for (let i = 0; i < length; i++) out[i] = remap[out[i] as number] as number;
      const n = c.dict.length, used = c.dict.offsets[n] as number;
      const offsets = allocArray(this.memory, Int32Array, n + 1), bytes = allocArray(this.memory, Uint8Array, used);
      offsets.set(c.dict.offsets);
      bytes.set(c.dict.bytes.subarray(0, used));
      dict = { kind: "str", type: "utf8", length: n, offsets, bytes, valid: null };
    }
    return this.finished(length, dict, valid);
  }

  /** Gives the working buffers back; the column over `dict`. */
  private finished(length: number, dict: StrColumn, valid: Uint8Array | null): Column {
    giveBuffer(this.offsets.buffer as ArrayBuffer);
    giveBuffer(this.bytes.buffer as ArrayBuffer);
    this.offsets = new Int32Array(0);
    this.bytes = new Uint8Array(0);
    this.bytesView = viewOf(this.bytes);
    return { kind: "dict", type: "utf8", length, indices: this.out.subarray(0, length), dict, valid };
  }

  /** The appended entries, then the PLAIN values, as one exact-size StrColumn. */
  private dictionaryColumn(): StrColumn {
    const plain = this.plainValues.finish();
    const n = this.size, used = this.offsets[n] as number;
    const extra = plain.offsets[plain.length] as number;
    const offsets = allocArray(this.memory, Int32Array, n + plain.length + 1);
    offsets.set(this.offsets.subarray(0, n + 1));
    for (let j = 1; j <= plain.length; j++) offsets[n + j] = used + (plain.offsets[j] as number);
    const bytes = allocArray(this.memory, Uint8Array, used + extra);
    bytes.set(this.bytes.subarray(0, used));
    bytes.set(plain.bytes, used);
    return { kind: "str", type: "utf8", length: n + plain.length, offsets, bytes, valid: null };
  }
}

/** The whole of a buffer as 32-bit integers. */
function int32s(b: ArrayBuffer): Int32Array {
  return new Int32Array(b, 0, b.byteLength >> 2);
}

/**
 * Renumbers the first `rows` indices by `remap` (a later page brought values that sort among earlier ones). A row
 * under a null may hold anything in range or not (finish sets it to 0 later): out-of-range ones become 0.
 */
function renumber(out: Int32Array, rows: number, remap: Int32Array): void {
  const n = remap.length;
  for (let i = 0; i < rows; i++) {
    const v = out[i] as number;
    out[i] = v >= 0 && v < n ? (remap[v] as number) : 0;
  }
}

/** Moves `nonNull` dense indices at `at` to their rows (backwards, in place). */
function spreadIndices(w: Int32Array, at: number, rows: number, nonNull: number, valid: Uint8Array): void {
  let k = nonNull - 1;
  for (let i = rows - 1; i >= 0 && k < i; i--) {
    if (valid[i] === 0) continue;
    w[at + i] = w[at + k] as number;
    k--;
  }
}
