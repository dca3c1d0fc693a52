// Distinct values of one key column mapped to dense codes: an open-addressing hash table per value family.
import { InternalError } from "@tessera/common";
import type { Column, NumColumn, StrColumn } from "./column.js";
import { int64Words, isIntegerLike, toFloat64 } from "./dtype-arrays.js";
import { hashBytes, hashNumber, mixInt, tableSize } from "./hash-fns.js";
import { takeColumn } from "./take.js";

/** How key values compare: ints (incl. bool, dates, timestamps) as 64-bit integers, floats as doubles, strings as bytes. */
export type KeyFamily = "int" | "float" | "str";

/**
 * A growable value → code table. Codes are dense, in insertion order. Representatives are copied in, so one table
 * can encode several columns (batches) and look up columns of another batch. Mutable: internal to kernels.
 */
export interface KeyTable {
  readonly family: KeyFamily;
  count: number;
  slots: Int32Array; // code + 1 per slot, 0 = empty
  hashes: Int32Array; // per code
  words: Int32Array; // int family: lo, hi per code
  floats: Float64Array; // float family: canonical value per code
  offsets: Int32Array; // str family: representative bytes of code c are bytes[offsets[c], offsets[c+1])
  bytes: Uint8Array;
}

export function familyOf(col: Column): KeyFamily {
  if (col.kind !== "num") return "str";
  return isIntegerLike(col.type) || col.type === "null" ? "int" : "float";
}

export function newKeyTable(family: KeyFamily, expected = 16): KeyTable {
  const cap = Math.max(8, expected);
  return {
    family, count: 0, slots: new Int32Array(tableSize(cap)), hashes: new Int32Array(cap),
    words: new Int32Array(family === "int" ? 2 * cap : 0), floats: new Float64Array(family === "float" ? cap : 0),
    offsets: new Int32Array(family === "str" ? cap + 1 : 1), bytes: new Uint8Array(family === "str" ? 8 * cap : 0),
  };
}

function grow(t: KeyTable): void {
  const cap = t.hashes.length * 2;
  const hashes = new Int32Array(cap);
  hashes.set(t.hashes);
  t.hashes = hashes;
  if (t.family === "int") { const w = new Int32Array(2 * cap); w.set(t.words); t.words = w; }
  if (t.family === "float") { const f = new Float64Array(cap); f.set(t.floats); t.floats = f; }
  if (t.family === "str") { const o = new Int32Array(cap + 1); o.set(t.offsets); t.offsets = o; }
  const slots = new Int32Array(tableSize(cap));
  const mask = slots.length - 1;
  for (let c = 0; c < t.count; c++) {
    let s = (hashes[c] as number) & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = c + 1;
  }
  t.slots = slots;
}

function newCode(t: KeyTable, slot: number, h: number): number {
  const c = t.count++;
  t.slots[slot] = c + 1;
  t.hashes[c] = h;
  return c;
}

/** Code of the int64 value (lo, hi), inserting it when `insert`; -1 when absent. */
function findInt(t: KeyTable, lo: number, hi: number, insert: boolean): number {
  if (t.count >= t.hashes.length) grow(t);
  const h = mixInt(lo, hi);
  const slots = t.slots;
  const mask = slots.length - 1;
  const w = t.words;
  let s = h & mask;
  for (;;) {
    const c1 = slots[s] as number;
    if (c1 === 0) break;
    const c = c1 - 1;
    if (w[2 * c] === lo && w[2 * c + 1] === hi) return c;
    s = (s + 1) & mask;
  }
  if (!insert) return -1;
  const c = newCode(t, s, h);
  t.words[2 * c] = lo;
  t.words[2 * c + 1] = hi;
  return c;
}

function findFloat(t: KeyTable, x: number, insert: boolean): number {
  if (t.count >= t.hashes.length) grow(t);
  const v = x + 0; // -0 → 0
  const h = hashNumber(v);
  const slots = t.slots;
  const mask = slots.length - 1;
  const f = t.floats;
  let s = h & mask;
  for (;;) {
    const c1 = slots[s] as number;
    if (c1 === 0) break;
    const y = f[c1 - 1] as number;
    if (y === v || (y !== y && v !== v)) return c1 - 1;
    s = (s + 1) & mask;
  }
  if (!insert) return -1;
  const c = newCode(t, s, h);
  t.floats[c] = v;
  return c;
}

function findStr(t: KeyTable, b: Uint8Array, bs: number, be: number, insert: boolean): number {
  if (t.count >= t.hashes.length) grow(t);
  const h = hashBytes(b, bs, be);
  const slots = t.slots;
  const mask = slots.length - 1;
  const len = be - bs;
  let s = h & mask;
  for (;;) {
    const c1 = slots[s] as number;
    if (c1 === 0) break;
    const c = c1 - 1;
    if (t.hashes[c] === h) {
      const os = t.offsets[c] as number;
      if ((t.offsets[c + 1] as number) - os === len) {
        const rb = t.bytes;
        let k = 0;
        while (k < len && rb[os + k] === b[bs + k]) k++;
        if (k === len) return c;
      }
    }
    s = (s + 1) & mask;
  }
  if (!insert) return -1;
  const c = newCode(t, s, h);
  const start = t.offsets[c] as number;
  if (start + len > t.bytes.length) {
    const nb = new Uint8Array(Math.max(2 * t.bytes.length, start + len + 64));
    nb.set(t.bytes.subarray(0, start));
    t.bytes = nb;
  }
  t.bytes.set(b.subarray(bs, be), start);
  t.offsets[c + 1] = start + len;
  return c;
}

function encodeStr(t: KeyTable, col: StrColumn, insert: boolean, out: Int32Array): void {
  const n = col.length;
  const off = col.offsets;
  const b = col.bytes;
  const valid = col.valid;
  for (let i = 0; i < n; i++) {
    out[i] = valid !== null && valid[i] === 0 ? -1 : findStr(t, b, off[i] as number, off[i + 1] as number, insert);
  }
}

function encodeIntFamily(t: KeyTable, col: NumColumn, insert: boolean, out: Int32Array): void {
  const n = col.length;
  const valid = col.valid;
  const v = col.values;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? -1 : findInt(t, w[2 * i] as number, w[2 * i + 1] as number, insert);
  } else if (v instanceof Float64Array || v instanceof Float32Array) {
    // Float values looked up in an int table: only exact integers can match.
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      const ok = (valid === null || valid[i] !== 0) && x === Math.floor(x) && Math.abs(x) <= 9007199254740992;
      out[i] = ok ? findInt(t, (x % 4294967296) | 0, Math.floor(x / 4294967296) | 0, insert) : -1;
    }
  } else if (v instanceof Uint32Array) {
    for (let i = 0; i < n; i++) out[i] = valid !== null && valid[i] === 0 ? -1 : findInt(t, (v[i] as number) | 0, 0, insert);
  } else {
    for (let i = 0; i < n; i++) {
      const x = v[i] as number;
      out[i] = valid !== null && valid[i] === 0 ? -1 : findInt(t, x, x < 0 ? -1 : 0, insert);
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
 * A table size hint for encoding `col`: distinct values in an evenly spaced sample of rows, scaled up when the
 * sample is mostly distinct (high cardinality), so big tables are allocated once instead of grown repeatedly.
 */
export function expectedDistinct(col: Column): number {
  const n = col.length;
  if (col.kind === "dict") return col.dict.length;
  if (n <= 4096) return n;
  const m = 2048;
  const idx = new Int32Array(m);
  for (let k = 0; k < m; k++) idx[k] = Math.floor((k * n) / m);
  const t = newKeyTable(familyOf(col), m);
  encodeColumn(t, takeColumn(col, idx), true);
  return t.count > m / 2 ? n : Math.min(n, t.count * 8);
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
  const out = new Int32Array(col.length);
  switch (col.kind) {
    case "str": encodeStr(t, col, insert, out); break;
    case "dict": {
      const entry = encodeColumn(t, col.dict, insert);
      const idx = col.indices;
      const valid = col.valid;
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
