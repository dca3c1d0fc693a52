// Arrow → Batch: zero-copy views over arrow Data buffers wherever the layouts agree.
import * as arrow from "apache-arrow";
import type { DType, Field } from "@tessera/common";
import { ExecutionError } from "@tessera/common";
import type { Batch, Column, DictColumn, NumArray, StrColumn } from "./column.js";
import { nullColumn } from "./build.js";
import { concatBatches, concatColumns } from "./concat.js";

/** Expands an arrow validity bitmap (bit `offset + i`) to one byte per row, or null when there are no nulls. */
export function expandValidity(data: arrow.Data): Uint8Array | null {
  if (data.nullCount === 0) return null;
  const bm = data.nullBitmap;
  const n = data.length;
  if (!bm || bm.length === 0) return null;
  return unpackBits(bm, data.offset, n);
}

/** Unpacks `n` bits starting at bit `offset` into bytes 0/1. */
export function unpackBits(bits: Uint8Array, offset: number, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const p = offset + i;
    out[i] = ((bits[p >> 3] as number) >> (p & 7)) & 1;
  }
  return out;
}

function intDType(t: arrow.Int): DType {
  switch (t.bitWidth) {
    case 8: return t.isSigned ? "int8" : "uint8";
    case 16: return t.isSigned ? "int16" : "uint16";
    case 32: return t.isSigned ? "int32" : "uint32";
    default: return t.isSigned ? "int64" : "uint64";
  }
}

const TS_UNITS: readonly DType[] = ["timestamp[s]", "timestamp[ms]", "timestamp[us]", "timestamp[ns]"];

/** The Tessera DType of an arrow type, or null when unsupported. Dictionary<int, utf8> maps to utf8. */
export function dtypeFromArrow(t: arrow.DataType): DType | null {
  switch (t.typeId) {
    case arrow.Type.Null: return "null";
    case arrow.Type.Bool: return "bool";
    case arrow.Type.Int: return intDType(t as arrow.Int);
    case arrow.Type.Float: {
      const p = (t as arrow.Float).precision;
      return p === arrow.Precision.DOUBLE ? "float64" : p === arrow.Precision.SINGLE ? "float32" : null;
    }
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: return "utf8";
    case arrow.Type.Date: return (t as arrow.Date_).unit === arrow.DateUnit.DAY ? "date32" : "timestamp[ms]";
    case arrow.Type.Timestamp: return TS_UNITS[(t as arrow.Timestamp).unit] ?? null;
    case arrow.Type.Dictionary: {
      const d = t as arrow.Dictionary;
      return d.dictionary.typeId === arrow.Type.Utf8 || d.dictionary.typeId === arrow.Type.LargeUtf8 ? "utf8" : null;
    }
    default: return null;
  }
}

function unsupported(t: arrow.DataType, name: string): never {
  throw new ExecutionError("UNSUPPORTED_ARROW_TYPE", `column "${name}" has arrow type ${String(t)}, which Tessera does not support`, { column: name, type: String(t) });
}

function int32Offsets(o: Int32Array | BigInt64Array, n: number, name: string): Int32Array {
  if (o instanceof Int32Array) return o.subarray(0, n + 1);
  const out = new Int32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    const v = Number(o[i] as bigint);
    if (v > 0x7fffffff) throw new ExecutionError("STRING_TOO_LARGE", `column "${name}": LargeUtf8 data past 2 GiB is not supported`, { column: name });
    out[i] = v;
  }
  return out;
}

function strFromData(data: arrow.Data, name: string): StrColumn {
  const n = data.length;
  const offsets = int32Offsets(data.valueOffsets as Int32Array | BigInt64Array, n, name);
  const bytes = (data.values as Uint8Array | undefined) ?? new Uint8Array(0);
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid: expandValidity(data) };
}

function strFromVector(v: arrow.Vector, name: string): StrColumn {
  const parts = v.data.map((d) => strFromData(d, name));
  if (parts.length === 1) return parts[0] as StrColumn;
  return concatColumns(parts, "utf8") as StrColumn;
}

/** Per-conversion cache so batches of one table that share an arrow dictionary share one StrColumn. */
type DictCache = WeakMap<object, StrColumn>;

function dictFromData(data: arrow.Data, name: string, cache: DictCache): DictColumn {
  const n = data.length;
  const dv = data.dictionary;
  if (!dv) throw new ExecutionError("BAD_ARROW_DATA", `column "${name}": dictionary data without a dictionary`);
  let dict = cache.get(dv);
  if (dict === undefined) {
    dict = strFromVector(dv, name);
    cache.set(dv, dict);
  }
  const raw = data.values as NumArray;
  let indices: Int32Array;
  if (raw instanceof Int32Array) indices = raw.subarray(0, n);
  else {
    indices = new Int32Array(n);
    if (raw instanceof BigInt64Array || raw instanceof BigUint64Array) for (let i = 0; i < n; i++) indices[i] = Number(raw[i] as bigint);
    else for (let i = 0; i < n; i++) indices[i] = raw[i] as number;
  }
  let valid = expandValidity(data);
  if (dict.valid !== null) {
    // Arrow allows null dictionary entries; Tessera's contract does not, so rows pointing at them become null rows.
    const dvld = dict.valid;
    const v = valid ?? new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) v[i] = (v[i] as number) & (dvld[indices[i] as number] as number);
    valid = v;
    dict = { ...dict, valid: null };
  }
  return { kind: "dict", type: "utf8", length: n, indices, dict, valid };
}

function bigWords(values: NumArray, n: number): BigInt64Array {
  if (values instanceof BigInt64Array) return values.subarray(0, n);
  if (values instanceof Int32Array) return new BigInt64Array(values.buffer, values.byteOffset, n);
  throw new ExecutionError("BAD_ARROW_DATA", "unexpected buffer for a 64-bit column");
}

/** Converts one arrow Data (a column chunk) to a Column. */
export function columnFromArrowData(data: arrow.Data, name: string, cache: DictCache = new WeakMap()): Column {
  const t = data.type as arrow.DataType;
  const type = dtypeFromArrow(t);
  if (type === null) unsupported(t, name);
  const n = data.length;
  switch (t.typeId) {
    case arrow.Type.Null: return nullColumn("null", n);
    case arrow.Type.Bool: {
      const values = unpackBits(data.values as Uint8Array, data.offset, n);
      return { kind: "num", type, length: n, values, valid: expandValidity(data) };
    }
    case arrow.Type.Utf8: case arrow.Type.LargeUtf8: return strFromData(data, name);
    case arrow.Type.Dictionary: return dictFromData(data, name, cache);
    case arrow.Type.Timestamp: case arrow.Type.Date: {
      const values = type === "date32" ? (data.values as Int32Array).subarray(0, n) : bigWords(data.values as NumArray, n);
      return { kind: "num", type, length: n, values, valid: expandValidity(data) };
    }
    default: {
      const values = (data.values as NumArray).subarray(0, n);
      return { kind: "num", type, length: n, values, valid: expandValidity(data) };
    }
  }
}

/** The Tessera fields of an arrow schema (unsupported types throw UNSUPPORTED_ARROW_TYPE). */
export function fieldsFromArrow(schema: arrow.Schema): Field[] {
  return schema.fields.map((f) => {
    const type = dtypeFromArrow(f.type as arrow.DataType);
    if (type === null) unsupported(f.type as arrow.DataType, f.name);
    return { name: f.name, type, nullable: f.nullable };
  });
}

function fromRecordBatch(rb: arrow.RecordBatch, fields: Field[], cache: DictCache): Batch {
  const columns = rb.data.children.map((d, i) => columnFromArrowData(d as arrow.Data, (fields[i] as Field).name, cache));
  return { fields, columns, length: rb.numRows };
}

/**
 * A Batch over an arrow RecordBatch or Table (a Table's batches are concatenated). Zero-copy for fixed-width and
 * string buffers; bitmaps are expanded to bytes. Dictionaries shared by a table's batches stay shared.
 */
export function batchFromArrow(x: arrow.RecordBatch | arrow.Table): Batch {
  const fields = fieldsFromArrow(x.schema);
  const cache: DictCache = new WeakMap();
  if (arrow.isArrowRecordBatch(x)) return fromRecordBatch(x, fields, cache);
  const parts = x.batches.map((rb) => fromRecordBatch(rb, fields, cache));
  if (parts.length === 1) return parts[0] as Batch;
  return concatBatches(parts, fields);
}
