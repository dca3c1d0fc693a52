// Concatenation of columns and batches; dictionaries are shared, appended, merged (deduplicated) or decoded as needed.
import type { DType, Field } from "@tessera/common";
import { InternalError } from "@tessera/common";
import type { Batch, Column, DictColumn, NumColumn, StrColumn } from "./column.js";
import { scratchOf } from "./dtype-arrays.js";
import { scratchArray } from "./scratch.js";
import { encodeColumn, newKeyTable } from "./key-table.js";
import { emptyColumn } from "./build.js";
import { compactDict } from "./compact-dict.js";
import { sameStrings, SMALL_DICTIONARY } from "./canonical-dict.js";

function concatValid(cols: readonly Column[], n: number): Uint8Array | null {
  if (cols.every((c) => c.valid === null)) return null;
  const out = scratchArray(Uint8Array, n, false);
  let p = 0;
  for (const c of cols) {
    if (c.valid === null) out.fill(1, p, p + c.length);
    else out.set(c.valid, p);
    p += c.length;
  }
  return out;
}

function concatNum(cols: readonly NumColumn[], type: DType, n: number): NumColumn {
  // Null-typed pieces are left as zeros.
  const values = scratchOf(type, n, cols.some((c) => c.type === "null"));
  let p = 0;
  for (const c of cols) {
    if (c.values.constructor === values.constructor) (values as Float64Array).set(c.values as Float64Array, p);
    else if (c.type !== "null") throw new InternalError("CONCAT_TYPE", `cannot concatenate a ${c.type} column into ${type}`);
    p += c.length;
  }
  return { kind: "num", type, length: n, values, valid: concatValid(cols, n) };
}

/** Decodes a dict column to a plain StrColumn (one gather of byte ranges). */
export function decodeDict(c: DictColumn): StrColumn {
  const n = c.length;
  const d = c.dict;
  const doff = d.offsets;
  const idx = c.indices;
  const valid = c.valid;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (valid === null || valid[i] !== 0) {
      const k = idx[i] as number;
      total += (doff[k + 1] as number) - (doff[k] as number);
    }
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  const src = d.bytes;
  for (let i = 0; i < n; i++) {
    const s = offsets[i] as number;
    const e = offsets[i + 1] as number;
    if (e === s) continue;
    const k = idx[i] as number;
    const ds = doff[k] as number;
    for (let j = 0; j < e - s; j++) bytes[s + j] = src[ds + j] as number;
  }
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid };
}

function concatStr(cols: readonly StrColumn[], n: number): StrColumn {
  let total = 0;
  for (const c of cols) total += (c.offsets[c.length] as number) - (c.offsets[0] as number);
  const bytes = scratchArray(Uint8Array, total, false);
  const offsets = scratchArray(Int32Array, n + 1, false);
  offsets[0] = 0;
  let p = 0;
  let bp = 0;
  for (const c of cols) {
    const base = c.offsets[0] as number;
    const end = c.offsets[c.length] as number;
    bytes.set(c.bytes.subarray(base, end), bp);
    for (let i = 1; i <= c.length; i++) offsets[p + i] = (c.offsets[i] as number) - base + bp;
    p += c.length;
    bp += end - base;
  }
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid: concatValid(cols, n) };
}

/** A StrColumn over a key table's distinct strings (codes 0..count-1). */
function tableToStr(t: ReturnType<typeof newKeyTable>): StrColumn {
  const n = t.count;
  return { kind: "str", type: "utf8", length: n, offsets: t.offsets.slice(0, n + 1), bytes: t.bytes.slice(0, t.offsets[n] as number), valid: null };
}

/**
 * The same columns re-pointed at one shared dictionary: returned as-is when they already share one, else the
 * dictionaries are merged without duplicates (first-seen order) and each column's indices remapped.
 */
export function unifyDictionaries(cols: readonly DictColumn[]): DictColumn[] {
  const first = cols[0]?.dict;
  if (first === undefined || cols.every((c) => c.dict === first)) return [...cols];
  const t = newKeyTable("str", 1024, true);
  const remaps = new Map<StrColumn, Int32Array>();
  for (const c of cols) if (!remaps.has(c.dict)) remaps.set(c.dict, encodeColumn(t, c.dict, true));
  const dict = tableToStr(t);
  return cols.map((c) => {
    const remap = remaps.get(c.dict) as Int32Array;
    const src = c.indices;
    const indices = new Int32Array(c.length);
    for (let i = 0; i < c.length; i++) indices[i] = remap[src[i] as number] as number;
    return { kind: "dict", type: "utf8", length: c.length, indices, dict, valid: c.valid };
  });
}

/**
 * All-dict inputs: one shared dictionary is reused; different dictionaries are appended (each distinct one once, equal
 * small ones once, indices offset) without hashing, since whoever needs values to be unique (grouping, joins, Arrow output) hashes the
 * entries anyway. A dictionary much larger than its column's rows is compacted first, so the result's dictionary
 * stays within a small multiple of its rows.
 */
function concatDict(cols: readonly DictColumn[], n: number): DictColumn {
  const first = (cols[0] as DictColumn).dict;
  if (cols.every((c) => c.dict === first)) {
    const indices = scratchArray(Int32Array, n, false);
    let p = 0;
    for (const c of cols) { indices.set(c.indices, p); p += c.length; }
    return { kind: "dict", type: "utf8", length: n, indices, dict: first, valid: concatValid(cols, n) };
  }
  const parts = cols.map((c) => (c.dict.length > 2 * c.length + 64 ? compactDict(c, 1) : c));
  const base = new Map<StrColumn, number>();
  const appended: StrColumn[] = [];
  let entries = 0;
  for (const c of parts) {
    if (base.has(c.dict)) continue;
    // An equal small dictionary (canonical ones are equal when their values are, see canonicalDictionary) is shared.
    const equal = c.dict.length <= SMALL_DICTIONARY ? appended.find((d) => d.length <= SMALL_DICTIONARY && sameStrings(d, c.dict)) : undefined;
    if (equal !== undefined) { base.set(c.dict, base.get(equal) as number); continue; }
    base.set(c.dict, entries);
    appended.push(c.dict);
    entries += c.dict.length;
  }
  const indices = scratchArray(Int32Array, n, false);
  let p = 0;
  for (const c of parts) {
    const shift = base.get(c.dict) as number;
    const src = c.indices;
    if (shift === 0) indices.set(src.subarray(0, c.length), p);
    else for (let i = 0; i < c.length; i++) indices[p + i] = (src[i] as number) + shift;
    p += c.length;
  }
  const valid = concatValid(cols, n);
  if (appended.length === 1) return { kind: "dict", type: "utf8", length: n, indices, dict: appended[0] as StrColumn, valid };
  const dict = concatStr(appended, entries);
  return { kind: "dict", type: "utf8", length: n, indices, dict, valid };
}

/**
 * Concatenates columns of one logical type. Strings: all-dict inputs stay dict (one shared dict reused; different
 * dicts appended, see concatDict); any plain input makes the result plain (dicts are decoded).
 */
export function concatColumns(cols: readonly Column[], type: DType): Column {
  if (cols.length === 0) return emptyColumn(type);
  if (cols.length === 1) return cols[0] as Column;
  let n = 0;
  for (const c of cols) n += c.length;
  if (type !== "utf8") {
    if (cols.some((c) => c.kind !== "num")) throw new InternalError("CONCAT_TYPE", `string column in a ${type} concatenation`);
    return concatNum(cols as NumColumn[], type, n);
  }
  if (cols.every((c) => c.kind === "dict")) return concatDict(cols as DictColumn[], n);
  const strs = cols.map((c) => {
    if (c.kind === "dict") return decodeDict(c);
    if (c.kind === "str") return c;
    if (c.type === "null") return { kind: "str", type: "utf8", length: c.length, offsets: new Int32Array(c.length + 1), bytes: new Uint8Array(0), valid: new Uint8Array(c.length) } as StrColumn;
    throw new InternalError("CONCAT_TYPE", `a ${c.type} column in a utf8 concatenation`);
  });
  return concatStr(strs, n);
}

/** Concatenates batches with the same columns (by position). With no batches, an empty batch of `fields`. */
export function concatBatches(batches: readonly Batch[], fields?: readonly Field[]): Batch {
  const fs = fields ?? batches[0]?.fields;
  if (fs === undefined) throw new InternalError("CONCAT_EMPTY", "concatBatches of no batches needs fields");
  if (batches.length === 1 && fields === undefined) return batches[0] as Batch;
  let n = 0;
  for (const b of batches) {
    if (b.columns.length !== fs.length) throw new InternalError("CONCAT_SHAPE", `batch has ${b.columns.length} columns, expected ${fs.length}`);
    n += b.length;
  }
  const nonEmpty = batches.filter((b) => b.length > 0);
  const columns = fs.map((f, k) => concatColumns(nonEmpty.map((b) => b.columns[k] as Column), f.type));
  const outFields = fs.map((f, k) => (f.nullable || columns[k]?.valid === null ? f : { ...f, nullable: true }));
  return { fields: outFields, columns, length: n };
}
