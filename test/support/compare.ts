// Compares result row sets: Arrow tables to plain rows, canonical ordering, float tolerance, readable diffs.
import * as arrow from "apache-arrow";
import { columnsOf, isoDateFromDays, isoDateFromMs, msFromTicks, rowsFromColumns, safeInteger } from "./plain.js";
import type { Row, Rows, TimeUnit } from "./plain.js";

export type { Row, Rows } from "./plain.js";

/** An Arrow table's rows in the plain-JS convention of plain.ts, with `columns` attached. */
export function tableRows(table: arrow.Table): Rows {
  const names = table.schema.fields.map((f) => f.name);
  const columns = table.schema.fields.map((_, i) => vectorValues(table.getChildAt(i) as arrow.Vector));
  return rowsFromColumns(names, columns, table.numRows);
}

/** One Arrow column (any number of chunks) in the plain-JS convention. */
export function vectorValues(vector: arrow.Vector): unknown[] {
  const out: unknown[] = [];
  for (const data of vector.data) appendData(out, data as arrow.Data);
  return out;
}

const UNIT: Record<number, TimeUnit> = {
  [arrow.TimeUnit.SECOND]: "s",
  [arrow.TimeUnit.MILLISECOND]: "ms",
  [arrow.TimeUnit.MICROSECOND]: "us",
  [arrow.TimeUnit.NANOSECOND]: "ns",
};

function appendData(out: unknown[], data: arrow.Data): void {
  const n = data.length;
  const type = data.type as arrow.DataType;
  const valid = data.nullCount > 0 ? (i: number) => data.getValid(i) : () => true;
  const push = (f: (i: number) => unknown) => {
    for (let i = 0; i < n; i++) out.push(valid(i) ? f(i) : null);
  };
  if (arrow.DataType.isDictionary(type)) {
    const dict = vectorValues(data.dictionary as arrow.Vector);
    const idx = data.values as ArrayLike<number | bigint>;
    push((i) => dict[Number(idx[i])]);
    return;
  }
  if (arrow.DataType.isInt(type)) {
    const values = data.values as ArrayLike<number | bigint>;
    if (type.bitWidth === 64) push((i) => safeInteger(BigInt(values[i] as bigint)));
    else push((i) => values[i]);
    return;
  }
  if (arrow.DataType.isFloat(type)) {
    if (type.precision === arrow.Precision.HALF) {
      const v = arrow.makeVector(data);
      push((i) => v.get(i));
    } else {
      const values = data.values as Float32Array | Float64Array;
      push((i) => values[i]);
    }
    return;
  }
  if (arrow.DataType.isTimestamp(type)) {
    const values = data.values as BigInt64Array;
    const unit = UNIT[type.unit] as TimeUnit;
    push((i) => msFromTicks(values[i] as bigint, unit));
    return;
  }
  if (arrow.DataType.isDate(type)) {
    const values = data.values as Int32Array | BigInt64Array;
    if (type.unit === arrow.DateUnit.DAY) push((i) => isoDateFromDays(Number(values[i])));
    else push((i) => isoDateFromMs(Number(values[i])));
    return;
  }
  if (arrow.DataType.isDecimal(type)) {
    const words = data.values as Uint32Array;
    const stride = type.bitWidth / 32;
    const scale = 10 ** type.scale;
    push((i) => Number(decimalBigInt(words, i * stride, stride)) / scale);
    return;
  }
  // Strings, booleans and anything rarer: Arrow's own getter, normalised.
  const v = arrow.makeVector(data);
  push((i) => normalise(v.get(i)));
}

/** Two's-complement little-endian 32-bit words → bigint. */
function decimalBigInt(words: Uint32Array, start: number, count: number): bigint {
  let x = 0n;
  for (let w = count - 1; w >= 0; w--) x = (x << 32n) | BigInt(words[start + w] as number);
  return BigInt.asIntN(count * 32, x);
}

function normalise(v: unknown): unknown {
  if (typeof v === "bigint") return safeInteger(v);
  if (v instanceof Date) return v.getTime();
  return v ?? null;
}

export interface CompareOptions {
  /** Compare row i with row i. Otherwise rows are matched up by `keys`, in any order. */
  orderMatters?: boolean;
  /** Relative tolerance for numbers that are not equal: |a-b| <= relTol * max(|a|,|b|). Default 1e-9. */
  relTol?: number;
  /** Absolute tolerance, for values that should be zero (e.g. a correlation of exactly 0). Default 0. */
  absTol?: number;
  /** Bit-for-bit numbers (Object.is, so NaN equals NaN and 0 differs from -0); overrides the tolerances. */
  exact?: boolean;
  /**
   * Columns that identify a row (compared exactly), used to align rows when order does not matter; missing and
   * unexpected rows are reported by key. Default: every column holding no fractional number.
   */
  keys?: string[];
  /** Compare column names as sets (values are still compared by name). Default false. */
  ignoreColumnOrder?: boolean;
  /** How many mismatches to print. Default 10. */
  maxReport?: number;
}

type Input = Rows | arrow.Table;

function asRows(x: Input): Rows {
  return x instanceof arrow.Table ? tableRows(x) : x;
}

/**
 * Throws a readable error listing the first mismatches unless `actual` and `expected` hold the same rows:
 * same column names, same row count, and equal values (null equals only null; NaN equals NaN;
 * numbers within tolerance; a number never equals a string, so type drift shows up).
 */
export function expectSameRows(actual: Input, expected: Input, opts: CompareOptions = {}): void {
  const problem = diffRows(asRows(actual), asRows(expected), opts);
  if (problem !== null) throw new Error(problem);
}

/** The mismatch report `expectSameRows` throws, or null when the row sets agree. */
export function diffRows(actual: Rows, expected: Rows, opts: CompareOptions = {}): string | null {
  const maxReport = opts.maxReport ?? 10;
  const aCols = columnsOf(actual);
  const eCols = columnsOf(expected);
  const sameCols = opts.ignoreColumnOrder === true
    ? aCols.length === eCols.length && [...aCols].sort().join("\u0000") === [...eCols].sort().join("\u0000")
    : aCols.join("\u0000") === eCols.join("\u0000");
  if (!sameCols) {
    return `column names differ\n  actual:   ${JSON.stringify(aCols)}\n  expected: ${JSON.stringify(eCols)}`;
  }
  const eq = valueEquality(opts);
  const header = `(${actual.length} actual rows, ${expected.length} expected rows)`;
  if (opts.orderMatters === true) {
    const lines: string[] = [];
    let bad = 0;
    const n = Math.max(actual.length, expected.length);
    for (let i = 0; i < n; i++) {
      const a = actual[i];
      const e = expected[i];
      const diff = a === undefined || e === undefined ? eCols : differingColumns(a, e, eCols, eq);
      if (diff.length === 0) continue;
      bad++;
      if (lines.length < maxReport) lines.push(describe(`row ${i}`, a, e, diff, eCols));
    }
    if (bad === 0) return null;
    return `${bad} rows differ in order-sensitive comparison ${header}\n${lines.join("\n")}`;
  }
  const keys = opts.keys ?? defaultKeys(actual, expected, eCols);
  const missing = keys.filter((k) => !eCols.includes(k));
  if (missing.length > 0) throw new Error(`expectSameRows: keys ${JSON.stringify(missing)} are not columns ${JSON.stringify(eCols)}`);
  // Align rows by their key values through a hash map (linear time, so million-row results stay cheap);
  // rows sharing a key pair up with an equal row when there is one.
  const buckets = new Map<string, Row[]>();
  for (const e of expected) {
    const k = keyString(e, keys);
    const bucket = buckets.get(k);
    if (bucket === undefined) buckets.set(k, [e]);
    else bucket.push(e);
  }
  const lines: string[] = [];
  let bad = 0;
  const note = (line: string) => {
    bad++;
    if (lines.length < maxReport) lines.push(line);
  };
  for (const a of actual) {
    const k = keyString(a, keys);
    const bucket = buckets.get(k);
    if (bucket === undefined || bucket.length === 0) {
      note(`unexpected row in actual: ${formatRow(a, eCols)}`);
      continue;
    }
    let at = bucket.length === 1 ? (rowEqual(a, bucket[0] as Row, eCols, eq) ? 0 : -1) : bucket.findIndex((e) => rowEqual(a, e, eCols, eq));
    if (at < 0) {
      at = 0;
      const e = bucket[0] as Row;
      note(describe(`key ${formatKey(e, keys)}`, a, e, differingColumns(a, e, eCols, eq), eCols));
    }
    bucket[at] = bucket[bucket.length - 1] as Row;
    bucket.pop();
  }
  for (const bucket of buckets.values()) {
    for (const e of bucket) note(`missing row in actual:    ${formatRow(e, eCols)}`);
  }
  if (bad === 0) return null;
  return `${bad} mismatches matching rows by ${JSON.stringify(keys)} ${header}\n${lines.join("\n")}`;
}

/** A row's key values as one exact string (type-tagged, so 1 and "1" differ). */
function keyString(row: Row, keys: string[]): string {
  let out = "";
  for (let i = 0; i < keys.length; i++) {
    const v = row[keys[i] as string];
    if (v === null || v === undefined) out += "\u0000";
    else if (typeof v === "string") out += "s" + v + "\u0001";
    else out += (typeof v === "number" ? "n" : typeof v === "bigint" ? "b" : "o") + String(v) + "\u0001";
  }
  return out;
}

function rowEqual(a: Row, e: Row, cols: string[], eq: Eq): boolean {
  for (let i = 0; i < cols.length; i++) {
    const c = cols[i] as string;
    if (!eq(a[c], e[c])) return false;
  }
  return true;
}

type Eq = (a: unknown, b: unknown) => boolean;

function valueEquality(opts: CompareOptions): Eq {
  const relTol = opts.relTol ?? 1e-9;
  const absTol = opts.absTol ?? 0;
  const exact = opts.exact === true;
  return (a, b) => {
    if (a === null || a === undefined || b === null || b === undefined) return (a ?? null) === (b ?? null);
    if (typeof a === "bigint" || typeof b === "bigint") {
      if (typeof a === "bigint" && typeof b === "bigint") return a === b;
      if (typeof a === "string" || typeof b === "string") return false;
      return Number(a) === Number(b);
    }
    if (typeof a === "number" && typeof b === "number") {
      if (exact) return Object.is(a, b);
      if (a === b) return true;
      if (Number.isNaN(a) && Number.isNaN(b)) return true;
      if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
      const d = Math.abs(a - b);
      return d <= absTol || d <= relTol * Math.max(Math.abs(a), Math.abs(b));
    }
    return typeof a === typeof b && a === b;
  };
}

function differingColumns(a: Row | undefined, e: Row | undefined, cols: string[], eq: Eq): string[] {
  if (a === undefined || e === undefined) return cols;
  return cols.filter((c) => !eq(a[c], e[c]));
}

/** Key columns by default: those holding no fractional number. */
function defaultKeys(actual: Rows, expected: Rows, cols: string[]): string[] {
  const fractional = new Set<string>();
  for (const rows of [actual, expected]) {
    for (const row of rows) {
      for (const c of cols) {
        const v = row[c];
        if (typeof v === "number" && !Number.isInteger(v)) fractional.add(c);
      }
    }
  }
  return cols.filter((c) => !fractional.has(c));
}

/** A total order on plain values: null < boolean < number (NaN last) < bigint-as-number < string. */
export function compareValues(a: unknown, b: unknown): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  switch (ra) {
    case 0: return 0;
    case 1: return Number(a) - Number(b);
    case 2: {
      const x = Number(a);
      const y = Number(b);
      if (Number.isNaN(x) || Number.isNaN(y)) return Number(Number.isNaN(x)) - Number(Number.isNaN(y));
      return x < y ? -1 : x > y ? 1 : 0;
    }
    case 3: return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
    default: return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
  }
}

function rank(v: unknown): number {
  if (v === null || v === undefined) return 0;
  switch (typeof v) {
    case "boolean": return 1;
    case "number": case "bigint": return 2;
    case "string": return 3;
    default: return 4;
  }
}

function compareRowsBy(a: Row, b: Row, cols: string[]): number {
  for (const c of cols) {
    const d = compareValues(a[c], b[c]);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Sorts rows by `keys` (ascending, nulls first), ties broken by the remaining columns in order, so equal
 * row multisets always sort the same. Returns a new array with `columns` kept.
 */
export function sortRows(rows: Rows, keys: string[] = []): Rows {
  const order = [...keys, ...columnsOf(rows).filter((c) => !keys.includes(c))];
  const sorted = [...rows].sort((a, b) => compareRowsBy(a, b, order));
  Object.defineProperty(sorted, "columns", { value: columnsOf(rows), enumerable: false });
  return sorted;
}

function formatValue(v: unknown): string {
  if (v === undefined) return "(absent)";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "bigint") return `${v}n`;
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  return String(v);
}

function formatRow(row: Row, cols: string[]): string {
  return `{ ${cols.map((c) => `${c}: ${formatValue(row[c])}`).join(", ")} }`;
}

function formatKey(row: Row, keys: string[]): string {
  return keys.length === 0 ? "(no keys)" : keys.map((k) => `${k}=${formatValue(row[k])}`).join(" ");
}

function describe(where: string, a: Row | undefined, e: Row | undefined, diff: string[], cols: string[]): string {
  if (a === undefined) return `${where}: missing in actual; expected ${formatRow(e as Row, cols)}`;
  if (e === undefined) return `${where}: unexpected in actual: ${formatRow(a, cols)}`;
  const parts = diff.map((c) => `${c}: actual ${formatValue(a[c])} (${typeof a[c]}) vs expected ${formatValue(e[c])} (${typeof e[c]})`);
  return `${where}: ${parts.join("; ")}\n    actual:   ${formatRow(a, cols)}\n    expected: ${formatRow(e, cols)}`;
}
