// One group's rows as one object's bytes: CSV (optionally pivoted long to wide) or nested JSON.
import type { Field } from "@tessera/common";
import { IoError, isInteger } from "@tessera/common";
import type { Batch, Column, NumColumn } from "@tessera/kernels";
import { castColumn, columnToArray, getColumn, groupIds, int64Words, pivotBatch, selectColumns, takeColumn } from "@tessera/kernels";
import type { NumberFormat } from "../csv/write.js";
import { writeCsv } from "../csv/write.js";
import type { JsonValue } from "../json/format-json.js";
import { formatJson } from "../json/format-json.js";

/** A CSV object written wide: one row per `index` value, one column per distinct `on` value holding `values`. */
export interface CsvPivot {
  readonly index: string;
  readonly on: string;
  readonly values: string;
}

/**
 * The rows of `b` as CSV: `columns` in that order, or, with `pivot`, a row per distinct `index` value (first
 * appearance) and a column per distinct `on` value (first appearance; the header is the value's text), empty where
 * a pair has no row. With numberFormat "python", an integer column with an empty cell is written as floats (`3.0`),
 * as pandas' pivot does: it can only hold NaN in float columns.
 */
export function renderCsv(b: Batch, columns: readonly string[], numberFormat: NumberFormat, pivot: CsvPivot | null): Uint8Array {
  if (pivot === null) {
    const sel = selectColumns(b, columns);
    return writeCsv([sel], sel.fields, { numberFormat });
  }
  const on = getColumn(b, pivot.on);
  const g = groupIds([on], b.length);
  const onValues = columnToArray(takeColumn(on, g.firstRow)) as (string | number | boolean | null)[];
  const names = onValues.map((v) => (v === null ? "" : String(v)));
  const valueField = b.fields.find((f) => f.name === pivot.values) as Field;
  const indexField = b.fields.find((f) => f.name === pivot.index) as Field;
  const fields: Field[] = [indexField, ...names.map((name) => ({ name, type: valueField.type, nullable: true }))];
  const wide = pivotBatch(b, [pivot.index], pivot.on, [pivot.values], onValues.map((v) => (typeof v === "boolean" ? (v ? 1 : 0) : v)), fields);
  const cols = numberFormat === "python" && isInteger(valueField.type)
    ? wide.columns.map((c, i) => (i > 0 && c.valid !== null && c.valid.includes(0) ? castColumn(c, "float64") : c))
    : wide.columns;
  const outFields = wide.fields.map((f, i) => ({ ...f, type: (cols[i] as Column).type }));
  return writeCsv([{ fields: outFields, columns: cols, length: wide.length }], outFields, { numberFormat });
}

/** JSON values of a column: integers as bigints (they print as integers), NaN as null, text as strings. */
function jsonValues(col: Column): JsonValue[] {
  if (col.kind === "num" && isInteger(col.type)) {
    const n = col.length;
    const out: JsonValue[] = new Array(n);
    const v = (col as NumColumn).values;
    if (v instanceof BigInt64Array) {
      const w = int64Words(v);
      for (let i = 0; i < n; i++) {
        const x = (w[2 * i + 1] as number) * 4294967296 + ((w[2 * i] as number) >>> 0);
        out[i] = Number.isSafeInteger(x) ? BigInt(x) : (v[i] as bigint);
      }
    } else {
      for (let i = 0; i < n; i++) out[i] = BigInt(v[i] as number);
    }
    if (col.valid !== null) for (let i = 0; i < n; i++) if (col.valid[i] === 0) out[i] = null;
    return out;
  }
  return columnToArray(col).map((x) => (typeof x === "number" && Number.isNaN(x) ? null : (x as JsonValue)));
}

export interface JsonShape {
  /** Columns whose values become the keys of nested objects, outermost first. */
  readonly nest: readonly string[];
  /** Per nest level, keys every object at that level has (in this order, before others), or null. */
  readonly nestKeys: readonly (readonly string[] | null)[];
  /** "records": the leaves are lists of `{ column: value }`; "values": lists of the one column's values. */
  readonly leaf: "records" | "values";
}

/**
 * The rows of `b` as JSON (json.dumps' spelling with numberFormat "python"): with no `nest`, the list of leaves;
 * otherwise objects keyed by the nest columns' values (as text), with the leaves' lists at the bottom.
 */
export function renderJson(b: Batch, columns: readonly string[], numberFormat: NumberFormat, shape: JsonShape): Uint8Array {
  if (shape.leaf === "values" && columns.length !== 1) throw new IoError("IO_BAD_OPTION", `json leaf "values" writes one column, got ${columns.length}`);
  const values = columns.map((c) => jsonValues(getColumn(b, c)));
  const nests = shape.nest.map((c) => columnToArray(castColumn(getColumn(b, c), "utf8")) as (string | null)[]);
  const leafOf = (i: number): JsonValue => {
    if (shape.leaf === "values") return (values[0] as JsonValue[])[i] as JsonValue;
    const r: Record<string, JsonValue> = {};
    columns.forEach((c, k) => { r[c] = (values[k] as JsonValue[])[i] as JsonValue; });
    return r;
  };
  const make = (depth: number): Record<string, unknown> => {
    const o: Record<string, unknown> = {};
    for (const k of shape.nestKeys[depth] ?? []) o[k] = depth + 1 < shape.nest.length ? make(depth + 1) : [];
    return o;
  };
  if (shape.nest.length === 0) {
    const list: JsonValue[] = [];
    for (let i = 0; i < b.length; i++) list.push(leafOf(i));
    return new TextEncoder().encode(formatJson(list, { numberFormat }));
  }
  const root = make(0);
  for (let i = 0; i < b.length; i++) {
    let o = root;
    for (let d = 0; d < shape.nest.length; d++) {
      const key = (nests[d] as (string | null)[])[i] ?? "null";
      if (d + 1 === shape.nest.length) {
        (o[key] ??= []) as JsonValue[];
        (o[key] as JsonValue[]).push(leafOf(i));
      } else {
        o = (o[key] ??= make(d + 1)) as Record<string, unknown>;
      }
    }
  }
  return new TextEncoder().encode(formatJson(root as JsonValue, { numberFormat }));
}
