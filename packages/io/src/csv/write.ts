// Batches to CSV bytes: a header, RFC 4180 quoting where needed, ISO dates and timestamps, empty for null.
import type { DType, Field } from "@tessera/common";
import { IoError } from "@tessera/common";
import type { Batch, Column, NumColumn, StrColumn } from "@tessera/kernels";
import { formatPythonFloat, formatPythonFloat32 } from "../text/python-float.js";
import { delimiterByte } from "./dialect.js";
import { formatDate, formatTimestamp } from "./format-value.js";
import { CR, NEWLINE, QUOTE } from "./scan.js";

/**
 * How numbers and booleans are spelled. "default": shortest round-trip text, whole floats as integers (`3`),
 * `true`/`false`, empty strings quoted (`""`) so they read back as strings. "python": as pandas' `to_csv` writes
 * them: floats in Python's float text (`3.0`, `1e-05`), NaN as an empty cell, `inf`/`-inf`, `True`/`False`, and
 * empty strings unquoted (quoted only when they are a record's only field, as Python's csv module does).
 */
export type NumberFormat = "default" | "python";

export interface WriteCsvOptions {
  /** One ASCII character; "," by default. */
  readonly delimiter?: string;
  /** Write a header line with the field names; true by default. */
  readonly header?: boolean;
  /** "default" or "python" (see NumberFormat). */
  readonly numberFormat?: NumberFormat;
}

/** A growable output buffer. */
class Out {
  buf = new Uint8Array(1 << 16);
  len = 0;
  reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }
  byte(c: number): void {
    this.reserve(1);
    this.buf[this.len++] = c;
  }
  /** Appends an ASCII string (numbers, dates: never anything else). */
  ascii(s: string): void {
    this.reserve(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
  }
  /** Appends an integer |n| < 2^53 in decimal, without making a string. */
  int(n: number): void {
    this.reserve(21);
    let v = n;
    if (v < 0) { this.buf[this.len++] = 45; v = -v; }
    let digits = 1;
    for (let p = 10; p <= v; p *= 10) digits++;
    let at = this.len + digits;
    this.len = at;
    do {
      const q = Math.floor(v / 10);
      this.buf[--at] = 48 + (v - q * 10);
      v = q;
    } while (v > 0);
  }

  /** Appends text bytes, quoted when they hold the delimiter, a quote or a line break (or are empty and `quoteEmpty`). */
  field(src: Uint8Array, s: number, e: number, delim: number, quoteEmpty = true): void {
    let quote = s === e && quoteEmpty;
    for (let i = s; i < e && !quote; i++) {
      const c = src[i];
      quote = c === delim || c === QUOTE || c === NEWLINE || c === CR;
    }
    if (!quote) {
      this.reserve(e - s);
      this.buf.set(src.subarray(s, e), this.len);
      this.len += e - s;
      return;
    }
    this.reserve(2 * (e - s) + 2);
    this.buf[this.len++] = QUOTE;
    for (let i = s; i < e; i++) {
      const c = src[i] as number;
      if (c === QUOTE) this.buf[this.len++] = QUOTE;
      this.buf[this.len++] = c;
    }
    this.buf[this.len++] = QUOTE;
  }
}

type Writer = (out: Out, row: number) => void;

const UNIT_DIGITS: Partial<Record<DType, number>> = { "timestamp[s]": 0, "timestamp[ms]": 3, "timestamp[us]": 6, "timestamp[ns]": 9 };

function strWriter(c: StrColumn, delim: number, quoteEmpty: boolean): (out: Out, i: number) => void {
  return (out, i) => out.field(c.bytes, c.offsets[i] as number, c.offsets[i + 1] as number, delim, quoteEmpty);
}

/** Python's spelling of floats and booleans; null for the other types, which print as in the default format. */
function pythonWriter(col: NumColumn): Writer | null {
  const v = col.values;
  if (col.type === "bool") return (out, row) => out.ascii(v[row] !== 0 ? "True" : "False");
  if (col.type === "float64" || col.type === "float32") {
    const text = col.type === "float64" ? formatPythonFloat : formatPythonFloat32;
    return (out, row) => {
      const x = v[row] as number;
      if (x === x) out.ascii(text(x)); // NaN is an empty cell, as pandas' na_rep
    };
  }
  return null;
}

/** The writer of one column's non-null values, chosen by kind and type. */
function writerOf(col: Column, delim: number, format: NumberFormat, quoteEmpty: boolean): Writer {
  if (col.kind === "str") return strWriter(col, delim, quoteEmpty);
  if (col.kind === "dict") {
    const w = strWriter(col.dict, delim, quoteEmpty);
    return (out, row) => w(out, col.indices[row] as number);
  }
  const python = format === "python" ? pythonWriter(col) : null;
  if (python !== null) return python;
  const v = col.values;
  const t = col.type;
  if (t === "null") return () => undefined;
  if (t === "bool") return (out, row) => out.ascii(v[row] !== 0 ? "true" : "false");
  if (t === "date32") return (out, row) => out.ascii(formatDate(v[row] as number));
  const digits = UNIT_DIGITS[t];
  if (digits !== undefined) {
    const per = 10n ** BigInt(digits);
    return (out, row) => {
      const x = v[row] as bigint;
      let secs = x / per, frac = x % per;
      if (frac < 0n) { secs -= 1n; frac += per; }
      out.ascii(formatTimestamp(Number(secs), Number(frac), digits));
    };
  }
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    // Read 64-bit values as two words: a double when exact, a bigint's text otherwise (no BigInt per value).
    const w = new Int32Array(v.buffer, v.byteOffset, 2 * v.length);
    const signed = v instanceof BigInt64Array;
    return (out, row) => {
      const hi = w[2 * row + 1] as number, lo = (w[2 * row] as number) >>> 0;
      const x = (signed ? hi : hi >>> 0) * 4294967296 + lo;
      if (Number.isSafeInteger(x)) out.int(x);
      else out.ascii(String(v[row]));
    };
  }
  // Whole floats and small ints print as digits; other floats print the shortest text that reads back the same.
  return (out, row) => {
    const x = v[row] as number;
    if (Number.isSafeInteger(x) && !Object.is(x, -0)) out.int(x);
    else out.ascii(String(x));
  };
}

/**
 * Encodes batches (each with `fields`' columns, by position) as UTF-8 CSV with "\n" line ends. Nulls are
 * empty fields; in the default format empty strings are written as "" so they read back as empty strings, not nulls.
 * Timestamps are ISO 8601 in UTC without a zone suffix (e.g. 2024-01-02T03:04:05.123).
 */
export function writeCsv(batches: readonly Batch[], fields: readonly Field[], opts: WriteCsvOptions = {}): Uint8Array {
  const delim = delimiterByte(opts.delimiter);
  const format = opts.numberFormat ?? "default";
  if (format !== "default" && format !== "python") throw new IoError("IO_BAD_OPTION", `numberFormat must be "default" or "python", got ${String(format)}`);
  // Python's csv module quotes an empty field only when it is the record's only field.
  const quoteEmpty = format === "default" || fields.length === 1;
  const out = new Out();
  const enc = new TextEncoder();
  if (opts.header ?? true) {
    fields.forEach((f, i) => {
      if (i > 0) out.byte(delim);
      const name = enc.encode(f.name);
      out.field(name, 0, name.length, delim);
    });
    out.byte(NEWLINE);
  }
  batches.forEach((b, bi) => {
    if (b.columns.length !== fields.length) {
      throw new IoError("IO_BAD_OPTION", `batch ${bi} has ${b.columns.length} columns, the schema has ${fields.length}`);
    }
    const writers = b.columns.map((c) => writerOf(c, delim, format, quoteEmpty));
    const valid = b.columns.map((c) => c.valid);
    const n = writers.length;
    const loneEmpty = format === "python" && n === 1;
    for (let row = 0; row < b.length; row++) {
      const start = out.len;
      for (let k = 0; k < n; k++) {
        if (k > 0) out.byte(delim);
        const vk = valid[k];
        if (vk === null || vk === undefined || vk[row] !== 0) (writers[k] as Writer)(out, row);
      }
      if (loneEmpty && out.len === start) { out.byte(QUOTE); out.byte(QUOTE); }
      out.byte(NEWLINE);
    }
  });
  return out.buf.slice(0, out.len);
}
