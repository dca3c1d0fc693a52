// Sinks that copy Arrow C-data chunks out of wasm memory into one Batch column each (one copy per value).
import type { DType } from "@tessera/common";
import { IoError } from "@tessera/common";
import type { Column, NumArray, StrColumn } from "@tessera/kernels";
import { BytesInterner } from "./bytes-interner.js";
import type { FfiArray, FfiSchema } from "./ffi.js";

type NumCtor = { new (length: number): NumArray; readonly BYTES_PER_ELEMENT: number };

/** Arrow C format string (without any ":timezone" suffix) → Tessera type and storage, for fixed-width columns. */
const NUMERIC: Readonly<Record<string, { type: DType; Ctor: NumCtor }>> = {
  c: { type: "int8", Ctor: Int8Array }, C: { type: "uint8", Ctor: Uint8Array },
  s: { type: "int16", Ctor: Int16Array }, S: { type: "uint16", Ctor: Uint16Array },
  i: { type: "int32", Ctor: Int32Array }, I: { type: "uint32", Ctor: Uint32Array },
  l: { type: "int64", Ctor: BigInt64Array }, L: { type: "uint64", Ctor: BigUint64Array },
  f: { type: "float32", Ctor: Float32Array }, g: { type: "float64", Ctor: Float64Array },
  tdD: { type: "date32", Ctor: Int32Array },
  tss: { type: "timestamp[s]", Ctor: BigInt64Array }, tsm: { type: "timestamp[ms]", Ctor: BigInt64Array },
  tsu: { type: "timestamp[us]", Ctor: BigInt64Array }, tsn: { type: "timestamp[ns]", Ctor: BigInt64Array },
};
const STRING_FORMATS = new Set(["u", "z", "U", "Z"]);
const INDEX_FORMATS = new Set(["c", "C", "s", "S", "i", "I", "l", "L"]);

/** Accumulates the chunks of one column; `append` must be called in row order. */
export interface ColumnSink {
  readonly type: DType;
  append(memory: ArrayBuffer, arr: FfiArray, at: number): void;
  finish(length: number): Column;
}

function baseFormat(format: string): string {
  const colon = format.indexOf(":");
  return colon < 0 ? format : format.slice(0, colon);
}

/** Tessera type of an Arrow C format (dictionary-aware), or null when this reader cannot convert it. */
export function dtypeOfFfi(schema: FfiSchema): DType | null {
  if (schema.dictionary !== null) {
    return INDEX_FORMATS.has(schema.format) && STRING_FORMATS.has(schema.dictionary.format) ? "utf8" : null;
  }
  const f = baseFormat(schema.format);
  if (f === "b") return "bool";
  if (f === "n") return "null";
  if (f === "tdm") return "date32";
  if (STRING_FORMATS.has(f)) return "utf8";
  return NUMERIC[f]?.type ?? null;
}

/** Validity bytes (1 = valid), allocated only once some chunk has nulls. */
class Validity {
  valid: Uint8Array | null = null;
  constructor(private readonly total: number) {}

  /** Marks rows [at, at+n) null (for the null type, which has no validity buffer). */
  markNull(at: number, n: number): void {
    if (this.valid === null) {
      this.valid = new Uint8Array(this.total);
      this.valid.fill(1, 0, at);
    }
    this.valid.fill(0, at, at + n);
  }

  append(memory: ArrayBuffer, arr: FfiArray, at: number): void {
    // The null type has no buffers; its rows are marked by NumSink.
    const bitmap = arr.buffers[0] ?? 0;
    if (bitmap === 0 || arr.nullCount === 0) {
      this.valid?.fill(1, at, at + arr.length);
      return;
    }
    if (this.valid === null) {
      this.valid = new Uint8Array(this.total);
      this.valid.fill(1, 0, at);
    }
    unpackBits(new Uint8Array(memory), bitmap, arr.offset, arr.length, this.valid, at);
  }

  finish(length: number): Uint8Array | null {
    return this.valid === null ? null : this.valid.subarray(0, length);
  }
}

function unpackBits(mem: Uint8Array, ptr: number, bitOffset: number, n: number, out: Uint8Array, at: number): void {
  for (let i = 0; i < n; i++) {
    const bit = bitOffset + i;
    out[at + i] = ((mem[ptr + (bit >>> 3)] as number) >>> (bit & 7)) & 1;
  }
}

/** String offsets of a chunk as int32, rebased nowhere: entry i is the start of row i in the data buffer. */
function chunkOffsets(memory: ArrayBuffer, arr: FfiArray, large: boolean): Int32Array {
  const ptr = arr.buffers[1] ?? 0;
  if (!large) return new Int32Array(memory, ptr + 4 * arr.offset, arr.length + 1);
  const words = new Int32Array(memory, ptr + 8 * arr.offset, 2 * (arr.length + 1));
  const out = new Int32Array(arr.length + 1);
  for (let i = 0; i <= arr.length; i++) {
    if (words[2 * i + 1] !== 0) throw new IoError("IO_UNSUPPORTED_TYPE", "string data over 2 GiB in one chunk");
    out[i] = words[2 * i] as number;
  }
  return out;
}

class NumSink implements ColumnSink {
  private readonly values: NumArray;
  private readonly validity: Validity;
  constructor(readonly type: DType, private readonly format: string, Ctor: NumCtor, total: number) {
    this.values = new Ctor(total);
    this.validity = new Validity(total);
  }

  append(memory: ArrayBuffer, arr: FfiArray, at: number): void {
    this.validity.append(memory, arr, at);
    const data = arr.buffers[1] ?? 0;
    const out = this.values;
    if (this.format === "n") {
      this.validity.markNull(at, arr.length);
    } else if (this.format === "b") {
      unpackBits(new Uint8Array(memory), data, arr.offset, arr.length, out as Uint8Array, at);
    } else if (this.format === "tdm") {
      // date64 (ms) to date32 (days): read each int64 as two int32 words, no BigInt per value.
      const words = new Int32Array(memory, data + 8 * arr.offset, 2 * arr.length);
      for (let i = 0; i < arr.length; i++) {
        const ms = (words[2 * i + 1] as number) * 4294967296 + ((words[2 * i] as number) >>> 0);
        out[at + i] = Math.floor(ms / 86_400_000);
      }
    } else {
      const w = out.BYTES_PER_ELEMENT;
      new Uint8Array(out.buffer, out.byteOffset + at * w, arr.length * w).set(new Uint8Array(memory, data + arr.offset * w, arr.length * w));
    }
  }

  finish(length: number): Column {
    return { kind: "num", type: this.type, length, values: this.values.subarray(0, length), valid: this.validity.finish(length) };
  }
}

/** Growable offsets+bytes, the storage of a StrColumn. */
class StrBuilder {
  offsets: Int32Array;
  bytes = new Uint8Array(0);
  used = 0;
  constructor(capacityRows: number, private readonly estimateRows: number) {
    this.offsets = new Int32Array(capacityRows + 1);
  }

  /** Copies rows [0, n) of a chunk (offsets `o`, data at `dataPtr`) to rows [at, at+n). */
  append(mem: ArrayBuffer, o: Int32Array, dataPtr: number, n: number, at: number): void {
    const b0 = o[0] as number, nb = (o[n] as number) - b0;
    this.reserve(nb, at + n);
    this.bytes.set(new Uint8Array(mem, dataPtr + b0, nb), this.used);
    const delta = this.used - b0, offs = this.offsets;
    for (let i = 0; i < n; i++) offs[at + i] = (o[i] as number) + delta;
    this.used += nb;
    offs[at + n] = this.used;
  }

  private reserve(extra: number, rowsAfter: number): void {
    const need = this.used + extra;
    if (need > 0x7fffffff) throw new IoError("IO_UNSUPPORTED_TYPE", "string column over 2 GiB");
    if (need <= this.bytes.length) return;
    // First growth sizes by the average row width so far, so one copy usually suffices for the whole column.
    const perRow = need / Math.max(1, rowsAfter);
    const estimate = Math.ceil(perRow * this.estimateRows * 1.05) + 1024;
    const cap = Math.min(0x7fffffff, Math.max(need, this.bytes.length === 0 ? estimate : Math.ceil(this.bytes.length * 1.5)));
    const grown = new Uint8Array(cap);
    grown.set(this.bytes.subarray(0, this.used));
    this.bytes = grown;
  }

  finish(length: number): StrColumn {
    // Drop a large unused tail rather than keep it alive for the column's lifetime.
    const bytes = this.used < this.bytes.length * 0.9 ? this.bytes.slice(0, this.used) : this.bytes.subarray(0, this.used);
    return { kind: "str", type: "utf8", length, offsets: this.offsets.subarray(0, length + 1), bytes, valid: null };
  }
}

class StrSink implements ColumnSink {
  readonly type = "utf8";
  private readonly b: StrBuilder;
  private readonly validity: Validity;
  constructor(private readonly large: boolean, total: number) {
    this.b = new StrBuilder(total, total);
    this.validity = new Validity(total);
  }
  append(memory: ArrayBuffer, arr: FfiArray, at: number): void {
    this.validity.append(memory, arr, at);
    this.b.append(memory, chunkOffsets(memory, arr, this.large), arr.buffers[2] ?? 0, arr.length, at);
  }
  finish(length: number): Column {
    return { ...this.b.finish(length), valid: this.validity.finish(length) };
  }
}

/** Dictionary chunks merged into one dictionary; chunks repeating the previous dictionary reuse its mapping. */
class DictSink implements ColumnSink {
  readonly type = "utf8";
  private readonly indices: Int32Array;
  private readonly validity: Validity;
  private readonly dict = new BytesInterner();
  private prev: { offsets: Buffer; bytes: Buffer; remap: Int32Array; identity: boolean } | null = null;

  constructor(private readonly indexFormat: string, private readonly largeDict: boolean, total: number) {
    this.indices = new Int32Array(total);
    this.validity = new Validity(total);
  }

  private remap(memory: ArrayBuffer, d: FfiArray): { remap: Int32Array; identity: boolean } {
    const o = chunkOffsets(memory, d, this.largeDict);
    const dataPtr = d.buffers[2] ?? 0;
    const b0 = o[0] as number, nb = (o[d.length] as number) - b0;
    const offsets = Buffer.from(o.buffer, o.byteOffset, o.byteLength);
    const bytes = Buffer.from(memory, dataPtr + b0, nb);
    const p = this.prev;
    if (p !== null && p.bytes.equals(bytes) && p.offsets.equals(offsets)) return p;
    const remap = new Int32Array(d.length);
    const mem = new Uint8Array(memory);
    let identity = true;
    for (let j = 0; j < d.length; j++) {
      const k = this.dict.intern(mem, dataPtr + (o[j] as number), dataPtr + (o[j + 1] as number));
      remap[j] = k;
      if (k !== j) identity = false;
    }
    this.prev = { offsets: Buffer.from(offsets), bytes: Buffer.from(bytes), remap, identity };
    return this.prev;
  }

  append(memory: ArrayBuffer, arr: FfiArray, at: number): void {
    this.validity.append(memory, arr, at);
    if (arr.dictionary === null) throw new IoError("IO_BAD_PARQUET", "dictionary column chunk without a dictionary");
    const { remap, identity } = this.remap(memory, arr.dictionary);
    const data = arr.buffers[1] ?? 0, n = arr.length, out = this.indices;
    const f = this.indexFormat;
    if (f === "i" && identity) {
      out.set(new Int32Array(memory, data + 4 * arr.offset, n), at);
      return;
    }
    const src: ArrayLike<number> =
      f === "c" ? new Int8Array(memory, data + arr.offset, n)
      : f === "C" ? new Uint8Array(memory, data + arr.offset, n)
      : f === "s" ? new Int16Array(memory, data + 2 * arr.offset, n)
      : f === "S" ? new Uint16Array(memory, data + 2 * arr.offset, n)
      : f === "i" || f === "I" ? new Int32Array(memory, data + 4 * arr.offset, n)
      : lowWords(memory, data + 8 * arr.offset, n);
    // Rows under nulls may hold any index; remap[] of an out-of-range index is undefined, stored as 0.
    for (let i = 0; i < n; i++) out[at + i] = remap[src[i] as number] as number;
  }

  finish(length: number): Column {
    const valid = this.validity.finish(length);
    return { kind: "dict", type: "utf8", length, indices: this.indices.subarray(0, length), dict: this.dict.finish(), valid };
  }
}

function lowWords(memory: ArrayBuffer, ptr: number, n: number): Int32Array {
  const words = new Int32Array(memory, ptr, 2 * n);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = words[2 * i] as number;
  return out;
}

/** A sink for a column of `schema`'s type holding up to `total` rows. Throws IO_UNSUPPORTED_TYPE naming `where`. */
export function makeColumnSink(schema: FfiSchema, total: number, where: string): ColumnSink {
  const f = baseFormat(schema.format);
  if (schema.dictionary !== null && dtypeOfFfi(schema) === "utf8") {
    return new DictSink(f, schema.dictionary.format === "U" || schema.dictionary.format === "Z", total);
  }
  if (STRING_FORMATS.has(f)) return new StrSink(f === "U" || f === "Z", total);
  if (f === "b") return new NumSink("bool", f, Uint8Array, total);
  if (f === "n") return new NumSink("null", f, Uint8Array, total);
  if (f === "tdm") return new NumSink("date32", f, Int32Array, total);
  const num = NUMERIC[f];
  if (num !== undefined) return new NumSink(num.type, f, num.Ctor, total);
  throw new IoError("IO_UNSUPPORTED_TYPE", `${where}: column ${schema.name} has Arrow type "${schema.format}", which Tessera cannot read`);
}
