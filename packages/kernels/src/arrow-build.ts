// Batch → Arrow: RecordBatches and Tables built with makeData over the batch's own buffers where layouts agree.
import * as arrow from "apache-arrow";
import type { DType, Field } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";
import { decodeDict, unifyDictionaries } from "./concat.js";
import { sameStrings, SMALL_DICTIONARY } from "./canonical-dict.js";

/** Packs bytes 0/1 into an LSB-first bitmap. */
export function packBits(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  const out = new Uint8Array((n + 7) >> 3);
  for (let i = 0; i < n; i++) if (bytes[i] !== 0) out[i >> 3] = (out[i >> 3] as number) | (1 << (i & 7));
  return out;
}

/** The arrow type of a DType (utf8 → Utf8; dict columns use dictionaryType). */
export function arrowTypeOf(t: DType): arrow.DataType {
  switch (t) {
    case "null": return new arrow.Null();
    case "bool": return new arrow.Bool();
    case "int8": return new arrow.Int8();
    case "int16": return new arrow.Int16();
    case "int32": return new arrow.Int32();
    case "int64": return new arrow.Int64();
    case "uint8": return new arrow.Uint8();
    case "uint16": return new arrow.Uint16();
    case "uint32": return new arrow.Uint32();
    case "uint64": return new arrow.Uint64();
    case "float32": return new arrow.Float32();
    case "float64": return new arrow.Float64();
    case "utf8": return new arrow.Utf8();
    case "date32": return new arrow.DateDay();
    case "timestamp[s]": return new arrow.TimestampSecond();
    case "timestamp[ms]": return new arrow.TimestampMillisecond();
    case "timestamp[us]": return new arrow.TimestampMicrosecond();
    case "timestamp[ns]": return new arrow.TimestampNanosecond();
    default: return assertNever(t, "dtype");
  }
}

function nullProps(c: Column): { nullCount: number; nullBitmap?: Uint8Array } {
  if (c.valid === null) return { nullCount: 0 };
  let z = 0;
  for (let i = 0; i < c.length; i++) z += c.valid[i] === 0 ? 1 : 0;
  return z === 0 ? { nullCount: 0 } : { nullCount: z, nullBitmap: packBits(c.valid) };
}

function strData(c: StrColumn): arrow.Data {
  const base = c.offsets[0] as number;
  const end = c.offsets[c.length] as number;
  // Rebase offsets to 0 so IPC writers see a self-contained buffer pair.
  const valueOffsets = base === 0 ? c.offsets : c.offsets.map((o) => o - base);
  return arrow.makeData({ type: new arrow.Utf8(), length: c.length, ...nullProps(c), valueOffsets, data: c.bytes.subarray(base, end) });
}

function dictData(c: DictColumn, type: arrow.Dictionary<arrow.Utf8, arrow.Int32>, dictVector: arrow.Vector<arrow.Utf8>): arrow.Data {
  return arrow.makeData({ type, length: c.length, ...nullProps(c), data: c.indices, dictionary: dictVector });
}

/** One column as arrow Data. `dictType` / `dictVector` let batches of one table share a dictionary type and vector. */
export function columnToArrowData(c: Column, dictType?: arrow.Dictionary<arrow.Utf8, arrow.Int32>, dictVector?: arrow.Vector<arrow.Utf8>): arrow.Data {
  switch (c.kind) {
    case "str": return strData(c);
    case "dict": {
      const t = dictType ?? new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
      return dictData(c, t, dictVector ?? arrow.makeVector(strData(c.dict)) as arrow.Vector<arrow.Utf8>);
    }
    case "num": {
      if (c.type === "null") return arrow.makeData({ type: new arrow.Null(), length: c.length });
      const type = arrowTypeOf(c.type);
      const data = c.type === "bool" ? packBits(c.values as Uint8Array) : c.values;
      // makeData is overloaded per type; the props shape is the same for every fixed-width type.
      return arrow.makeData({ type: type as arrow.Int, length: c.length, ...nullProps(c), data: data as Int32Array });
    }
  }
}

function structOf(fields: arrow.Field[], children: arrow.Data[], length: number): arrow.RecordBatch {
  const schema = new arrow.Schema(fields);
  const data = arrow.makeData({ type: new arrow.Struct(fields), length, nullCount: 0, children });
  return new arrow.RecordBatch(schema, data);
}

/** The batch as an arrow RecordBatch (DictColumn → Dictionary<Int32, Utf8>, timestamps with their unit). */
export function batchToArrow(b: Batch): arrow.RecordBatch {
  const children = b.columns.map((c) => columnToArrowData(c));
  const fields = b.fields.map((f, i) => new arrow.Field(f.name, (children[i] as arrow.Data).type, f.nullable || (b.columns[i] as Column).valid !== null));
  return structOf(fields, children, b.length);
}

/**
 * How a table's batches share a string field that every batch holds dictionary-encoded:
 * - "merge": one dictionary without duplicates (every batch's entries hashed, indices remapped): what readers of IPC
 *   streams without dictionary deltas need.
 * - "append": the batches' dictionaries one after another in one dictionary vector (a value may appear in it more than
 *   once), each batch's indices offset by where its dictionary starts; nothing is hashed, and IPC writes the later
 *   dictionaries as deltas (valid in streams and files). Equal small dictionaries (canonical ones, see
 *   canonicalDictionary) are appended once and shared.
 */
export type DictionaryJoin = "merge" | "append";

export interface TableFromBatchesOptions {
  /** Default "merge". */
  readonly dictionaries?: DictionaryJoin;
}

/** The batches' columns over one dictionary: merged by value, or appended (see DictionaryJoin). */
function sharedDictionary(cols: readonly DictColumn[], join: DictionaryJoin): { cols: DictColumn[]; dictionary: arrow.Vector<arrow.Utf8> } {
  if (join === "merge") {
    const unified = unifyDictionaries(cols);
    return { cols: unified, dictionary: arrow.makeVector(strData((unified[0] as DictColumn).dict)) as arrow.Vector<arrow.Utf8> };
  }
  const base = new Map<StrColumn, number>();
  const small: StrColumn[] = [];  // distinct small dictionaries appended so far: an equal one is shared, not appended
  const chunks: arrow.Data<arrow.Utf8>[] = [];
  let entries = 0;
  for (const c of cols) {
    if (base.has(c.dict)) continue;
    const equal = c.dict.length <= SMALL_DICTIONARY ? small.find((d) => sameStrings(d, c.dict)) : undefined;
    if (equal !== undefined) { base.set(c.dict, base.get(equal) as number); continue; }
    if (c.dict.length <= SMALL_DICTIONARY) small.push(c.dict);
    base.set(c.dict, entries);
    chunks.push(strData(c.dict) as arrow.Data<arrow.Utf8>);
    entries += c.dict.length;
  }
  const shifted = cols.map((c): DictColumn => {
    const shift = base.get(c.dict) as number;
    if (shift === 0) return c;
    const src = c.indices, indices = new Int32Array(c.length);
    for (let i = 0; i < src.length; i++) indices[i] = (src[i] as number) + shift;
    return { ...c, indices };
  });
  return { cols: shifted, dictionary: new arrow.Vector(chunks) };
}

/**
 * An arrow Table of the batches (all with `fields`' columns, by position). A string field that is dict-encoded in
 * every batch becomes one Dictionary field whose batches share one dictionary (merged or appended, see
 * DictionaryJoin), so IPC files stay valid; a field mixing encodings is written as plain Utf8.
 */
export function tableFromBatches(batches: readonly Batch[], fields?: readonly Field[], opts: TableFromBatchesOptions = {}): arrow.Table {
  const fs = fields ?? batches[0]?.fields ?? [];
  const nb = batches.length;
  const perBatch: arrow.Data[][] = batches.map(() => []);
  const arrowFields: arrow.Field[] = [];
  fs.forEach((f, k) => {
    const cols = batches.map((b) => b.columns[k] as Column);
    const nullable = f.nullable || cols.some((c) => c.valid !== null);
    if (nb > 0 && cols.every((c) => c.kind === "dict")) {
      const shared = sharedDictionary(cols as DictColumn[], opts.dictionaries ?? "merge");
      const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
      shared.cols.forEach((c, i) => (perBatch[i] as arrow.Data[]).push(dictData(c, type, shared.dictionary)));
      arrowFields.push(new arrow.Field(f.name, type, nullable));
      return;
    }
    const datas = cols.map((c) => columnToArrowData(c.kind === "dict" ? decodeDict(c) : c));
    datas.forEach((d, i) => (perBatch[i] as arrow.Data[]).push(d));
    arrowFields.push(new arrow.Field(f.name, datas[0]?.type ?? arrowTypeOf(f.type), nullable));
  });
  const schema = new arrow.Schema(arrowFields);
  if (nb === 0) return new arrow.Table(schema);
  const rbs = batches.map((b, i) => structOf(arrowFields, perBatch[i] as arrow.Data[], b.length));
  return new arrow.Table(schema, rbs);
}
