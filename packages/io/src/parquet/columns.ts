// What each top-level Parquet column is in Tessera's types, from the Parquet schema and the ARROW:schema hint.
import type { DType, Field } from "@tessera/common";
import * as arrow from "apache-arrow";
import { PhysicalType as P, type Footer, type SchemaElement } from "./footer.js";
import { tesseraTypes } from "./tessera-schema.js";

export type TimeUnit = "s" | "ms" | "us" | "ns";

/** One top-level column of a Parquet file: its Tessera field, or why it cannot be read. */
export interface ColumnDesc {
  readonly name: string;
  /** Index of this column's leaf among the file's leaf columns (the column-chunk index in a row group). */
  readonly leaf: number;
  /** Index of this column's element in the footer's flattened schema list. */
  readonly element: number;
  readonly field: Field | null;
  readonly unsupported: string | null;
  readonly physical: number;
  /** Unit the file stores timestamps in (may differ from the field's unit, e.g. Arrow seconds stored as ms). */
  readonly storedUnit: TimeUnit | null;
  readonly unsigned: boolean;
  /** True when the writer's Arrow schema declares Dictionary<int, utf8>: reads keep the dictionary. */
  readonly dictionary: boolean;
}

const LOGICAL = { STRING: 1, MAP: 2, LIST: 3, ENUM: 4, DECIMAL: 5, DATE: 6, TIME: 7, TIMESTAMP: 8, INTEGER: 10, UNKNOWN: 11, JSON: 12, BSON: 13, UUID: 14, FLOAT16: 15 } as const;
const CONVERTED = { UTF8: 0, ENUM: 4, DECIMAL: 5, DATE: 6, TIME_MILLIS: 7, TIME_MICROS: 8, TS_MILLIS: 9, TS_MICROS: 10, UINT_8: 11, UINT_16: 12, UINT_32: 13, UINT_64: 14, INT_8: 15, INT_16: 16, INT_32: 17, INT_64: 18, JSON: 19 } as const;

type Mapped = { type: DType; unit: TimeUnit | null; unsigned: boolean } | { unsupported: string };

function timestampUnit(unitStruct: unknown): TimeUnit {
  const keys = typeof unitStruct === "object" && unitStruct !== null ? Object.keys(unitStruct) : [];
  return keys[0] === "3" ? "ns" : keys[0] === "2" ? "us" : "ms";
}

function intType(bits: number, signed: boolean): DType | null {
  const t = `${signed ? "" : "u"}int${bits}`;
  return ["int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"].includes(t) ? (t as DType) : null;
}

/** The type arrow-rs (inside parquet-wasm) decodes a primitive Parquet column to, without an Arrow hint. */
function fromParquet(el: SchemaElement): Mapped {
  const lg = el.logical;
  const ct = el.convertedType;
  const ok = (type: DType, unit: TimeUnit | null = null, unsigned = false): Mapped => ({ type, unit, unsigned });
  if (lg?.kind === LOGICAL.DECIMAL || ct === CONVERTED.DECIMAL) return { unsupported: "decimal" };
  if (lg?.kind === LOGICAL.TIME || ct === CONVERTED.TIME_MILLIS || ct === CONVERTED.TIME_MICROS) return { unsupported: "time of day" };
  if (lg?.kind === LOGICAL.UNKNOWN) return ok("null");
  switch (el.type) {
    case P.BOOLEAN: return ok("bool");
    case P.INT32: {
      if (lg?.kind === LOGICAL.DATE || ct === CONVERTED.DATE) return ok("date32");
      if (lg?.kind === LOGICAL.INTEGER) {
        const bits = lg.value[1], signed = lg.value[2];
        const t = typeof bits === "number" ? intType(bits, signed !== false) : null;
        return t === null ? { unsupported: "integer width" } : ok(t, null, signed === false);
      }
      const byConverted: Partial<Record<number, DType>> = { 11: "uint8", 12: "uint16", 13: "uint32", 15: "int8", 16: "int16", 17: "int32" };
      const t = ct === undefined ? "int32" : byConverted[ct] ?? "int32";
      return ok(t, null, t.startsWith("u"));
    }
    case P.INT64: {
      if (lg?.kind === LOGICAL.TIMESTAMP) {
        const u = timestampUnit(lg.value[2]);
        return ok(`timestamp[${u}]` as DType, u);
      }
      if (ct === CONVERTED.TS_MILLIS) return ok("timestamp[ms]", "ms");
      if (ct === CONVERTED.TS_MICROS) return ok("timestamp[us]", "us");
      const unsigned = (lg?.kind === LOGICAL.INTEGER && lg.value[2] === false) || ct === CONVERTED.UINT_64;
      return ok(unsigned ? "uint64" : "int64", null, unsigned);
    }
    case P.INT96: return ok("timestamp[ns]", "ns");
    case P.FLOAT: return ok("float32");
    case P.DOUBLE: return ok("float64");
    case P.BYTE_ARRAY: return ok("utf8");  // STRING/ENUM/JSON, and plain binary read as bytes
    case P.FIXED_LEN_BYTE_ARRAY: return { unsupported: lg?.kind === LOGICAL.FLOAT16 ? "float16" : lg?.kind === LOGICAL.UUID ? "uuid" : "fixed-length binary" };
    default: return { unsupported: `physical type ${String(el.type)}` };
  }
}

/** Tessera type of an Arrow type as the reader converts it, or null when unsupported. */
export function dtypeOfArrow(t: arrow.DataType): { type: DType; dictionary: boolean } | null {
  if (arrow.DataType.isDictionary(t)) {
    const v = t.dictionary;
    if (arrow.DataType.isUtf8(v) || arrow.DataType.isLargeUtf8(v)) return { type: "utf8", dictionary: true };
    const inner = dtypeOfArrow(v);  // other dictionaries are read decoded (see arrow-hint.ts)
    return inner === null ? null : { type: inner.type, dictionary: false };
  }
  if (arrow.DataType.isBool(t)) return { type: "bool", dictionary: false };
  if (arrow.DataType.isNull(t)) return { type: "null", dictionary: false };
  if (arrow.DataType.isInt(t)) {
    const it = intType(t.bitWidth, t.isSigned);
    return it === null ? null : { type: it, dictionary: false };
  }
  if (arrow.DataType.isFloat(t)) {
    if (t.precision === arrow.Precision.SINGLE) return { type: "float32", dictionary: false };
    if (t.precision === arrow.Precision.DOUBLE) return { type: "float64", dictionary: false };
    return null;
  }
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t) || arrow.DataType.isBinary(t) || arrow.DataType.isLargeBinary(t)) {
    return { type: "utf8", dictionary: false };
  }
  if (arrow.DataType.isDate(t)) return { type: "date32", dictionary: false };
  if (arrow.DataType.isTimestamp(t)) {
    const unit = ["s", "ms", "us", "ns"][t.unit] ?? "ms";
    return { type: `timestamp[${unit}]` as DType, dictionary: false };
  }
  return null;
}

/** The Arrow schema the writer stored under ARROW:schema (base64 IPC schema message), or null. */
export function arrowSchemaHint(footer: Footer): arrow.Schema | null {
  const b64 = footer.keyValue.get("ARROW:schema");
  if (b64 === undefined) return null;
  try {
    const msg = Buffer.from(b64, "base64");
    const stream = new Uint8Array(msg.length + 8);
    stream.set(msg);
    stream.set([255, 255, 255, 255, 0, 0, 0, 0], msg.length);  // end-of-stream marker
    return arrow.tableFromIPC(stream).schema;
  } catch {
    return null;  // a hint we cannot parse is ignored: the Parquet schema alone still describes the file
  }
}

/** The file's top-level columns in order. Nested and repeated columns are listed as unsupported. */
export function describeColumns(footer: Footer): ColumnDesc[] {
  const hint = arrowSchemaHint(footer);
  const hinted = new Map((hint?.fields ?? []).map((f) => [f.name, f]));
  const written = tesseraTypes(footer.keyValue);
  const out: ColumnDesc[] = [];
  const els = footer.schema;
  const root = els[0];
  let i = 1, leaf = 0;
  for (let c = 0; c < (root?.numChildren ?? 0) && i < els.length; c++) {
    const el = els[i] as SchemaElement;
    // Skip the element's whole subtree, counting its leaves.
    let end = i + 1, pending = el.numChildren, leaves = el.numChildren === 0 ? 1 : 0;
    while (pending > 0 && end < els.length) {
      const sub = els[end] as SchemaElement;
      pending += sub.numChildren - 1;
      if (sub.numChildren === 0) leaves++;
      end++;
    }
    const base = { name: el.name, leaf, element: i, physical: el.type ?? -1 };
    const unsupported = (why: string): ColumnDesc => ({ ...base, field: null, unsupported: why, storedUnit: null, unsigned: false, dictionary: false });
    if (el.numChildren > 0) out.push(unsupported("nested type"));
    else if (el.repetition === 2) out.push(unsupported("repeated (list) type"));
    else {
      const m = fromParquet(el);
      if ("unsupported" in m) out.push(unsupported(m.unsupported));
      else {
        const h = hinted.get(el.name);
        const fromHint = h === undefined ? null : dtypeOfArrow(h.type);
        if (h !== undefined && fromHint === null) { out.push(unsupported(`Arrow type ${String(h.type)}`)); leaf += leaves; i = end; continue; }
        let type = fromHint?.type ?? m.type;
        // Seconds are stored as milliseconds (Parquet has no seconds unit); the reader converts back.
        if (type === "timestamp[ms]" && written.get(el.name) === "timestamp[s]") type = "timestamp[s]";
        out.push({
          ...base,
          field: { name: el.name, type, nullable: el.repetition !== 0 },
          unsupported: null,
          storedUnit: m.unit,
          unsigned: m.unsigned,
          dictionary: fromHint?.dictionary ?? false,
        });
      }
    }
    leaf += leaves;
    i = end;
  }
  return out;
}
