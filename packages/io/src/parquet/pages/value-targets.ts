// Where decoded page values go: the target contract, fixed-width values and plain strings (dictionary strings: dict-target.ts).
import { IoError } from "@tessera/common";
import type { Column } from "@tessera/kernels";
import { PhysicalType as P } from "../footer.js";
import { allocArray, exactBytes, type ColumnMemory } from "./column-memory.js";
import { appendBytes, viewOf } from "@tessera/kernels";
import { dictionaryScratch } from "./dictionary-scratch.js";
import { decodeRleLookup32, decodeRleLookup64 } from "./rle-hybrid.js";

/**
 * A column under construction, written page by page at increasing row offsets. Values arrive dense (nulls
 * left out); `valid` (page-local, one byte per row, null when the page has no nulls) places them on rows.
 */
export interface ValueTarget {
  /** A row group's dictionary page: `count` PLAIN values in buf[pos, end). Replaces the previous dictionary. */
  dictionary(buf: Uint8Array, pos: number, end: number, count: number): void;
  /** `rows` rows at `at`, whose `nonNull` values are PLAIN-encoded in buf[pos, end). */
  plain(buf: Uint8Array, pos: number, end: number, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void;
  /** `rows` rows at `at`, whose `nonNull` values are indices idx[0, nonNull) into the current dictionary. */
  indices(idx: Int32Array, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void;
  /**
   * `rows` rows at `at` without nulls whose dictionary indices are in the hybrid encoding at buf[start, end) with
   * `width` bits each, looked up while decoding. Returns false when this target has no such path (the caller then
   * decodes the indices and calls `indices`).
   */
  lookup(buf: Uint8Array, start: number, end: number, width: number, rows: number, at: number): boolean;
  /** The column of `length` rows; `valid` is the whole column's validity (null: no nulls). */
  finish(length: number, valid: Uint8Array | null): Column;
}

const bad = (why: string): Error => new Error(why);
const NO_BYTES = new Uint8Array(0);

/** Bytes per value of each fixed-width physical type, and the typed array holding it. */
const FIXED: Readonly<Partial<Record<number, { bytes: number; make: (memory: ColumnMemory, n: number) => Int32Array | Float32Array | Float64Array | BigInt64Array }>>> = {
  [P.INT32]: { bytes: 4, make: (m, n) => allocArray(m, Int32Array, n) },
  [P.INT64]: { bytes: 8, make: (m, n) => allocArray(m, BigInt64Array, n) },
  [P.FLOAT]: { bytes: 4, make: (m, n) => allocArray(m, Float32Array, n) },
  [P.DOUBLE]: { bytes: 8, make: (m, n) => allocArray(m, Float64Array, n) },
};

/** Moves `nonNull` dense 32-bit words per value at `at` to their rows (backwards, in place). */
function spreadWords(w: Int32Array, words: number, at: number, rows: number, nonNull: number, valid: Uint8Array): void {
  let k = nonNull - 1;
  for (let i = rows - 1; i >= 0 && k < i; i--) {
    if (valid[i] === 0) continue;
    for (let j = 0; j < words; j++) w[(at + i) * words + j] = w[(at + k) * words + j] as number;
    k--;
  }
}

/** Fixed-width physical values (INT32, INT64, FLOAT, DOUBLE, BOOLEAN) into one typed array of the physical type. */
export class FixedTarget implements ValueTarget {
  private readonly values: Int32Array | Float32Array | Float64Array | BigInt64Array | Uint8Array;
  private readonly words: Int32Array;
  private readonly width: number;
  private dictStamp = 0;  // the dictionary page's claim on dictionaryScratch
  private dictSize = 0;

  constructor(private readonly physical: number, total: number, memory: ColumnMemory, private readonly convert: (values: FixedTarget["values"], length: number, valid: Uint8Array | null) => Column) {
    if (physical === P.BOOLEAN) {
      this.values = allocArray(memory, Uint8Array, total);
      this.width = 1;
      this.words = new Int32Array(0);
    } else {
      const f = FIXED[physical];
      if (f === undefined) throw new IoError("IO_UNSUPPORTED_TYPE", `physical type ${physical} has no fixed-width decoder`);
      this.values = f.make(memory, total);
      this.width = f.bytes;
      this.words = new Int32Array(this.values.buffer, 0, (total * f.bytes) >> 2);
    }
  }

  dictionary(buf: Uint8Array, pos: number, end: number, count: number): void {
    if (this.physical === P.BOOLEAN) throw bad("a boolean column with a dictionary page");
    const n = count * this.width;
    // Fixed-width values fill a page exactly: any other length means the footer's type or count is not the page's.
    if (end - pos !== n) throw bad(`dictionary page holds ${end - pos} bytes, ${count} values need ${n}`);
    // Page bytes live only until the next page is decompressed: copied into the thread's (aligned) dictionary scratch.
    this.dictStamp = dictionaryScratch.claim(n, 0);
    dictionaryScratch.bytes(this.dictStamp).set(buf.subarray(pos, pos + n));
    this.dictSize = count;
  }

  /** The chunk's dictionary as 32-bit words (two per value of 8 bytes). */
  private dict(): Int32Array {
    const b = dictionaryScratch.bytes(this.dictStamp);
    return new Int32Array(b.buffer, 0, (this.dictSize * this.width) >> 2);
  }

  plain(buf: Uint8Array, pos: number, end: number, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    if (this.physical === P.BOOLEAN) {
      if (end - pos !== (nonNull + 7) >> 3) throw bad(`boolean page holds ${end - pos} bytes, ${nonNull} values need ${(nonNull + 7) >> 3}`);
      const out = this.values as Uint8Array;
      for (let i = 0; i < nonNull; i++) out[at + i] = ((buf[pos + (i >> 3)] as number) >> (i & 7)) & 1;
      if (valid !== null) spreadBytes(out, at, rows, nonNull, valid);
      return;
    }
    const n = nonNull * this.width;
    if (end - pos !== n) throw bad(`page holds ${end - pos} bytes of values, ${nonNull} values need ${n}`);
    new Uint8Array(this.values.buffer, at * this.width, n).set(buf.subarray(pos, pos + n));
    if (valid !== null) spreadWords(this.words, this.width >> 2, at, rows, nonNull, valid);
  }

  /** Booleans stored with the RLE encoding (data page v2): already decoded to 0/1 by the caller. */
  bits(v: Int32Array, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    const out = this.values as Uint8Array;
    for (let i = 0; i < nonNull; i++) out[at + i] = v[i] as number;
    if (valid !== null) spreadBytes(out, at, rows, nonNull, valid);
  }

  lookup(buf: Uint8Array, start: number, end: number, width: number, rows: number, at: number): boolean {
    if (this.width === 4) decodeRleLookup32(buf, start, end, width, rows, this.dict(), this.dictSize, this.words, at);
    else if (this.physical === P.DOUBLE) {
      const d = this.dict();
      decodeRleLookup64(buf, start, end, width, rows, new Float64Array(d.buffer, d.byteOffset, this.dictSize), this.dictSize, this.values as Float64Array, at);
    } else return false;
    return true;
  }

  indices(idx: Int32Array, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    if (nonNull === 0) { if (valid !== null) spreadWords(this.words, this.width >> 2, at, rows, 0, valid); return; }
    const d = this.dict(), size = this.dictSize, out = this.words;
    if (this.width === 4) {
      for (let i = 0; i < nonNull; i++) {
        const k = idx[i] as number;
        if (k >= size) throw bad(`dictionary index ${k} past the dictionary's ${size} entries`);
        out[at + i] = d[k] as number;
      }
    } else if (this.physical === P.DOUBLE) {
      // Doubles move as doubles (one load and store each); a NaN's payload is all they might not keep.
      const df = new Float64Array(d.buffer, d.byteOffset, size), of = this.values as Float64Array;
      for (let i = 0; i < nonNull; i++) {
        const k = idx[i] as number;
        if (k >= size) throw bad(`dictionary index ${k} past the dictionary's ${size} entries`);
        of[at + i] = df[k] as number;
      }
    } else {
      for (let i = 0; i < nonNull; i++) {
        const k = idx[i] as number;
        if (k >= size) throw bad(`dictionary index ${k} past the dictionary's ${size} entries`);
        out[2 * (at + i)] = d[2 * k] as number;
        out[2 * (at + i) + 1] = d[2 * k + 1] as number;
      }
    }
    if (valid !== null) spreadWords(out, this.width >> 2, at, rows, nonNull, valid);
  }

  finish(length: number, valid: Uint8Array | null): Column {
    return this.convert(this.values, length, valid);
  }
}

function spreadBytes(out: Uint8Array, at: number, rows: number, nonNull: number, valid: Uint8Array): void {
  let k = nonNull - 1;
  for (let i = rows - 1; i >= 0 && k < i; i--) {
    if (valid[i] === 0) { out[at + i] = 0; continue; }
    out[at + i] = out[at + k] as number;
    k--;
  }
}

/** Offsets of `count` PLAIN BYTE_ARRAY values in buf[pos, end): value j is buf[starts[j], starts[j] + lens[j]). */
export function byteArrays(buf: Uint8Array, pos: number, end: number, count: number, starts: Int32Array, lens: Int32Array): void {
  let p = pos;
  for (let j = 0; j < count; j++) {
    if (p + 4 > end) throw bad(`string values end after ${j} of ${count}`);
    const len = ((buf[p] as number) | ((buf[p + 1] as number) << 8) | ((buf[p + 2] as number) << 16) | ((buf[p + 3] as number) << 24)) >>> 0;
    p += 4;
    if (p + len > end) throw bad("a string value overruns its page");
    starts[j] = p;
    lens[j] = len;
    p += len;
  }
}

/** Growable scratch arrays, reused across pages. */
class Scratch {
  a = new Int32Array(1024);
  b = new Int32Array(1024);
  ensure(n: number): void {
    if (this.a.length >= n) return;
    this.a = new Int32Array(n * 1.5);
    this.b = new Int32Array(n * 1.5);
  }
}

/** Plain utf8 columns: offsets and bytes; dictionary pages are kept per row group and gathered from. */
export class StrTarget implements ValueTarget {
  private readonly offsets: Int32Array;
  private bytes = new Uint8Array(0);
  private used = 0;
  private dictStamp = 0;  // the dictionary page's claim on dictionaryScratch: its bytes, then starts and lengths
  private dictCount = 0;
  private readonly scratch = new Scratch();

  constructor(private readonly total: number, private readonly memory: ColumnMemory) {
    this.offsets = allocArray(memory, Int32Array, total + 1);
  }

  dictionary(buf: Uint8Array, pos: number, end: number, count: number): void {
    // Every value takes at least its 4-byte length: a count the page cannot hold is refused before allocating for it.
    if (4 * count > end - pos) throw bad(`dictionary page of ${end - pos} bytes claims ${count} values`);
    // Page bytes live only until the next page is decompressed: kept as a copy in the thread's dictionary scratch.
    this.dictStamp = dictionaryScratch.claim(end - pos, 2 * count);
    this.dictCount = count;
    const bytes = dictionaryScratch.bytes(this.dictStamp), ints = dictionaryScratch.ints(this.dictStamp);
    bytes.set(buf.subarray(pos, end));
    byteArrays(bytes, 0, end - pos, count, ints.subarray(0, count), ints.subarray(count, 2 * count));
  }

  private reserve(extra: number, rowsDone: number): void {
    const need = this.used + extra;
    if (need <= this.bytes.length) return;
    if (need > 0x7fffffff) throw new IoError("IO_UNSUPPORTED_TYPE", "string column over 2 GiB");
    // Size by the average row width so far, so one growth usually suffices for the whole column.
    const estimate = Math.ceil((need / Math.max(1, rowsDone)) * this.total * 1.05) + 1024;
    const grown = allocArray(this.memory, Uint8Array, Math.min(0x7fffffff, Math.max(need, this.bytes.length === 0 ? estimate : Math.ceil(this.bytes.length * 1.5))));
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }

  /** Appends rows [at, at+rows): value j of (src, starts, lens) for each valid row, in order. */
  private write(src: Uint8Array, starts: Int32Array, lens: Int32Array, pick: Int32Array | null, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    let total = 0;
    for (let j = 0; j < nonNull; j++) total += lens[pick === null ? j : (pick[j] as number)] as number;
    this.reserve(total, at + rows);
    const out = this.bytes, outView = viewOf(out), srcView = viewOf(src), offs = this.offsets;
    let u = this.used, j = 0;
    for (let i = 0; i < rows; i++) {
      offs[at + i] = u;
      if (valid !== null && valid[i] === 0) continue;
      const v = pick === null ? j : (pick[j] as number);
      j++;
      const s = starts[v] as number, n = lens[v] as number;
      appendBytes(src, srcView, s, out, outView, u, n);
      u += n;
    }
    this.used = u;
    offs[at + rows] = u;
  }

  plain(buf: Uint8Array, pos: number, end: number, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    this.scratch.ensure(nonNull);
    byteArrays(buf, pos, end, nonNull, this.scratch.a, this.scratch.b);
    this.write(buf, this.scratch.a, this.scratch.b, null, rows, nonNull, valid, at);
  }

  lookup(): boolean {
    return false;
  }

  indices(idx: Int32Array, rows: number, nonNull: number, valid: Uint8Array | null, at: number): void {
    if (nonNull === 0) { this.write(NO_BYTES, this.scratch.a, this.scratch.b, idx, rows, 0, valid, at); return; }
    const size = this.dictCount, bytes = dictionaryScratch.bytes(this.dictStamp), ints = dictionaryScratch.ints(this.dictStamp);
    for (let i = 0; i < nonNull; i++) if ((idx[i] as number) >= size) throw bad(`dictionary index ${idx[i]} past the dictionary's ${size} entries`);
    this.write(bytes, ints.subarray(0, size), ints.subarray(size, 2 * size), idx, rows, nonNull, valid, at);
  }

  finish(length: number, valid: Uint8Array | null): Column {
    const bytes = this.used < this.bytes.length * 0.9 ? exactBytes(this.memory, this.bytes, this.used) : this.bytes.subarray(0, this.used);
    return { kind: "str", type: "utf8", length, offsets: this.offsets.subarray(0, length + 1), bytes, valid };
  }
}
