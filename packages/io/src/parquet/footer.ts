// Parquet FileMetaData (the Thrift footer) decoded into typed plain objects; field ids from parquet.thrift.
import { CompactReader, ThriftError, type TStruct, type TValue } from "./thrift-compact.js";

/** Physical types (parquet.thrift `Type`). */
export const PhysicalType = { BOOLEAN: 0, INT32: 1, INT64: 2, INT96: 3, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6, FIXED_LEN_BYTE_ARRAY: 7 } as const;

export interface SchemaElement {
  readonly name: string;
  readonly type: number | undefined;
  readonly typeLength: number | undefined;
  /** 0 required, 1 optional, 2 repeated; undefined on the root. */
  readonly repetition: number | undefined;
  readonly numChildren: number;
  readonly convertedType: number | undefined;
  /** The LogicalType union: field id of the member that is set, and its struct. */
  readonly logical: { readonly kind: number; readonly value: TStruct } | undefined;
}

export interface RawStatistics {
  readonly max: Uint8Array | undefined;       // deprecated, signed-order only
  readonly min: Uint8Array | undefined;       // deprecated, signed-order only
  readonly nullCount: number | undefined;
  readonly maxValue: Uint8Array | undefined;
  readonly minValue: Uint8Array | undefined;
}

export interface ColumnChunkMeta {
  readonly path: readonly string[];
  readonly type: number;
  readonly codec: number;
  /** Encodings used by the chunk's pages (parquet.thrift `Encoding`), as the writer listed them. */
  readonly encodings: readonly number[];
  readonly numValues: number;
  readonly uncompressedSize: number;
  readonly compressedSize: number;
  readonly dataPageOffset: number;
  readonly dictionaryPageOffset: number | undefined;
  readonly statistics: RawStatistics | undefined;
}

export interface RowGroupMeta {
  readonly numRows: number;
  readonly totalByteSize: number;
  readonly columns: readonly ColumnChunkMeta[];
}

export interface Footer {
  readonly version: number;
  readonly schema: readonly SchemaElement[];
  readonly numRows: number;
  readonly rowGroups: readonly RowGroupMeta[];
  readonly keyValue: ReadonlyMap<string, string>;
  readonly createdBy: string | undefined;
}

const utf8 = new TextDecoder();

function optNum(s: TStruct, id: number): number | undefined {
  const v = s[id];
  if (v === undefined) return undefined;
  if (typeof v !== "number") throw new ThriftError(`field ${id}: expected a number`);
  return v;
}
function num(s: TStruct, id: number, what: string): number {
  const v = optNum(s, id);
  if (v === undefined) throw new ThriftError(`missing ${what}`);
  return v;
}
function optBin(s: TStruct, id: number): Uint8Array | undefined {
  const v = s[id];
  if (v === undefined) return undefined;
  if (!(v instanceof Uint8Array)) throw new ThriftError(`field ${id}: expected binary`);
  return v;
}
function optStr(s: TStruct, id: number): string | undefined {
  const b = optBin(s, id);
  return b === undefined ? undefined : utf8.decode(b);
}
function list(s: TStruct, id: number): TValue[] {
  const v = s[id];
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new ThriftError(`field ${id}: expected a list`);
  return v;
}
function isStruct(v: TValue | undefined): v is TStruct {
  return typeof v === "object" && !Array.isArray(v) && !(v instanceof Uint8Array);
}
function structs(s: TStruct, id: number): TStruct[] {
  return list(s, id).map((v) => {
    if (!isStruct(v)) throw new ThriftError(`field ${id}: expected a list of structs`);
    return v;
  });
}

function schemaElement(s: TStruct): SchemaElement {
  const lt = s[10];
  let logical: SchemaElement["logical"];
  if (isStruct(lt)) {
    const kind = Object.keys(lt).map(Number)[0];
    const value = kind === undefined ? undefined : lt[kind];
    if (kind !== undefined) logical = { kind, value: isStruct(value) ? value : {} };
  }
  return {
    name: optStr(s, 4) ?? "",
    type: optNum(s, 1),
    typeLength: optNum(s, 2),
    repetition: optNum(s, 3),
    numChildren: optNum(s, 5) ?? 0,
    convertedType: optNum(s, 6),
    logical,
  };
}

function statistics(s: TStruct): RawStatistics {
  return { max: optBin(s, 1), min: optBin(s, 2), nullCount: optNum(s, 3), maxValue: optBin(s, 5), minValue: optBin(s, 6) };
}

function columnChunk(s: TStruct): ColumnChunkMeta {
  const md = s[3];
  if (!isStruct(md)) throw new ThriftError("column chunk without meta_data");
  const st = md[12];
  return {
    path: list(md, 3).map((p) => (p instanceof Uint8Array ? utf8.decode(p) : "")),
    type: num(md, 1, "column type"),
    codec: num(md, 4, "column codec"),
    encodings: list(md, 2).filter((e): e is number => typeof e === "number"),
    numValues: num(md, 5, "column num_values"),
    uncompressedSize: num(md, 6, "column total_uncompressed_size"),
    compressedSize: num(md, 7, "column total_compressed_size"),
    dataPageOffset: num(md, 9, "column data_page_offset"),
    dictionaryPageOffset: optNum(md, 11),
    statistics: isStruct(st) ? statistics(st) : undefined,
  };
}

function rowGroup(s: TStruct): RowGroupMeta {
  return {
    numRows: num(s, 3, "row group num_rows"),
    totalByteSize: num(s, 2, "row group total_byte_size"),
    columns: structs(s, 1).map(columnChunk),
  };
}

/** Decodes the Thrift FileMetaData bytes of a footer. Throws ThriftError when they are malformed. */
export function decodeFooter(bytes: Uint8Array): Footer {
  const s = new CompactReader(bytes).struct();
  const keyValue = new Map<string, string>();
  for (const kv of structs(s, 5)) {
    const k = optStr(kv, 1);
    if (k !== undefined) keyValue.set(k, optStr(kv, 2) ?? "");
  }
  return {
    version: num(s, 1, "version"),
    schema: structs(s, 2).map(schemaElement),
    numRows: num(s, 3, "num_rows"),
    rowGroups: structs(s, 4).map(rowGroup),
    keyValue,
    createdBy: optStr(s, 6),
  };
}
