// Building columns and batches from JS values and typed arrays (literal data, tests, small results).
import type { DType, Field } from "@tessera/common";
import { ExecutionError, InternalError } from "@tessera/common";
import type { Batch, Column, NumArray, NumColumn, StrColumn } from "./column.js";
import { allocArray, arrayCtorOf, isBigIntType } from "./dtype-arrays.js";
import { strColumnFromStrings } from "./strings.js";

export type TypedArray = NumArray;

/** A num column; `valid` is normalized to null when it marks no nulls. */
export function makeNumColumn(type: DType, values: NumArray, valid: Uint8Array | null = null): NumColumn {
  return { kind: "num", type, length: values.length, values, valid: valid !== null && noNulls(valid) ? null : valid };
}

/** True when a validity byte array has no zero. */
export function noNulls(valid: Uint8Array): boolean {
  return valid.indexOf(0) < 0;
}

/** Number of null rows of a column. */
export function nullCount(col: Column): number {
  const v = col.valid;
  if (v === null) return 0;
  let z = 0;
  for (let i = 0; i < v.length; i++) z += 1 - (v[i] as number);
  return z;
}

/** A column of `n` rows, all null, of the given type (utf8 gives an empty-bytes StrColumn). */
export function nullColumn(type: DType, n: number): Column {
  const valid = new Uint8Array(n);
  if (type === "utf8") return { kind: "str", type: "utf8", length: n, offsets: new Int32Array(n + 1), bytes: new Uint8Array(0), valid };
  return { kind: "num", type, length: n, values: allocArray(type, n), valid };
}

/** A zero-row column of the given type. */
export function emptyColumn(type: DType): Column {
  if (type === "utf8") return { kind: "str", type: "utf8", length: 0, offsets: new Int32Array(1), bytes: new Uint8Array(0), valid: null };
  return { kind: "num", type, length: 0, values: allocArray(type, 0), valid: null };
}

/** A zero-row batch with the given fields. */
export function emptyBatch(fields: readonly Field[]): Batch {
  return { fields: [...fields], columns: fields.map((f) => emptyColumn(f.type)), length: 0 };
}

/** Builds a batch from fields and columns, checking that lengths agree. */
export function makeBatch(fields: readonly Field[], columns: readonly Column[], length?: number): Batch {
  const n = length ?? columns[0]?.length ?? 0;
  if (fields.length !== columns.length) throw new InternalError("BATCH_SHAPE", `${fields.length} fields but ${columns.length} columns`);
  for (let i = 0; i < columns.length; i++) {
    if ((columns[i] as Column).length !== n) {
      throw new InternalError("BATCH_SHAPE", `column "${(fields[i] as Field).name}" has ${(columns[i] as Column).length} rows, expected ${n}`);
    }
  }
  return { fields, columns, length: n };
}

const MS_PER_DAY = 86_400_000;

function toBigInt(v: unknown, type: DType): bigint {
  if (typeof v === "bigint") return v;
  if (v instanceof Date) {
    const ms = v.getTime();
    switch (type) {
      case "timestamp[s]": return BigInt(Math.floor(ms / 1000));
      case "timestamp[us]": return BigInt(ms) * 1000n;
      case "timestamp[ns]": return BigInt(ms) * 1_000_000n;
      default: return BigInt(ms);
    }
  }
  if (typeof v === "number") return BigInt(Math.trunc(v));
  if (typeof v === "boolean") return v ? 1n : 0n;
  throw new ExecutionError("BAD_VALUE", `cannot store ${String(v)} in a ${type} column`);
}

function toNumber(v: unknown, type: DType): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v instanceof Date) return type === "date32" ? Math.floor(v.getTime() / MS_PER_DAY) : v.getTime();
  throw new ExecutionError("BAD_VALUE", `cannot store ${String(v)} in a ${type} column`);
}

/** A column of `type` from JS values (null/undefined are nulls). Dates convert to the type's unit. Not for hot paths. */
export function columnFromValues(type: DType, values: readonly unknown[]): Column {
  const n = values.length;
  if (type === "utf8") return strColumnFromStrings(values.map((v) => (v === null || v === undefined ? null : String(v))));
  if (type === "null") return nullColumn("null", n);
  const out = allocArray(type, n);
  let valid: Uint8Array | null = null;
  const big = isBigIntType(type);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      if (valid === null) valid = new Uint8Array(n).fill(1);
      valid[i] = 0;
    } else if (big) {
      (out as BigInt64Array)[i] = toBigInt(v, type);
    } else {
      (out as Float64Array)[i] = toNumber(v, type);
    }
  }
  return makeNumColumn(type, out, valid);
}

/** The DType a typed array stores naturally. */
export function dtypeOfArray(a: TypedArray): DType {
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Uint16Array) return "uint16";
  if (a instanceof Uint8Array) return "uint8";
  if (a instanceof BigInt64Array) return "int64";
  return "uint64";
}

/** Infers a DType from JS values: numbers → float64, strings → utf8, booleans → bool, Date → timestamp[ms], bigint → int64; all null → "null". */
export function inferType(values: readonly unknown[]): DType {
  for (const v of values) {
    if (v === null || v === undefined) continue;
    switch (typeof v) {
      case "number": return "float64";
      case "string": return "utf8";
      case "boolean": return "bool";
      case "bigint": return "int64";
      default: if (v instanceof Date) return "timestamp[ms]";
    }
    throw new ExecutionError("BAD_VALUE", `cannot infer a column type from ${String(v)}`);
  }
  return "null";
}

/**
 * A batch from `{ name: values }` (small literal data). Typed arrays are used as-is (zero-copy) with their natural type
 * unless `types` names one; JS arrays are typed by `types[name]` or inferred (see inferType).
 */
export function batchFromColumns(obj: Record<string, readonly unknown[] | TypedArray>, types: Record<string, DType> = {}): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const [name, vals] of Object.entries(obj)) {
    let col: Column;
    if (ArrayBuffer.isView(vals)) {
      const t = types[name] ?? dtypeOfArray(vals);
      const zeroCopy = t !== "utf8" && vals instanceof arrayCtorOf(t);
      col = zeroCopy ? makeNumColumn(t, vals) : columnFromValues(t, Array.from(vals as ArrayLike<unknown>));
    } else {
      col = columnFromValues(types[name] ?? inferType(vals), vals);
    }
    fields.push({ name, type: col.type, nullable: col.valid !== null });
    columns.push(col);
  }
  return makeBatch(fields, columns);
}

/** A plain StrColumn (re-exported convenience for tests). */
export function strColumn(values: readonly (string | null)[]): StrColumn {
  return strColumnFromStrings(values);
}
