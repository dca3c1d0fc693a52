// Typed-array column builders filled from CSV field bytes, one class per storage kind, chosen by a table.
import type { DType } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { Column, NumArray } from "@tessera/kernels";
import { ESCAPED, fieldBytes } from "./scan.js";
import {
  parseBigIntBytes, parseBoolBytes, parseDateBytes, parseFloatBytes, parseIntBytes, parseTimestampBytes, type Instant,
} from "./parse-value.js";

/** Fills one column row by row. `push` returns false when the bytes are not a value of the type. */
export interface CsvColumnBuilder {
  push(buf: Uint8Array, start: number, end: number, flags: number, row: number): boolean;
  pushNull(row: number): void;
  finish(rows: number): Column;
}

abstract class Base {
  protected valid: Uint8Array | null = null;
  constructor(protected readonly capacity: number) {}

  pushNull(row: number): void {
    if (this.valid === null) {
      this.valid = new Uint8Array(this.capacity);
      this.valid.fill(1, 0, row);
    }
    this.valid[row] = 0;
  }

  protected markValid(row: number): void {
    if (this.valid !== null) this.valid[row] = 1;
  }

  protected validity(rows: number): Uint8Array | null {
    return this.valid === null ? null : this.valid.subarray(0, rows);
  }
}

type Parse = (buf: Uint8Array, s: number, e: number) => number;  // NaN = not a value

const INT_RANGE: Readonly<Record<string, readonly [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295],
};

/** Fixed-width types whose values fit in a double: ints up to 32 bits, bool, date32. */
class NumberBuilder extends Base implements CsvColumnBuilder {
  private readonly values: NumArray;
  constructor(private readonly type: DType, Ctor: new (n: number) => NumArray, private readonly parse: Parse, capacity: number) {
    super(capacity);
    this.values = new Ctor(capacity);
  }
  push(buf: Uint8Array, s: number, e: number, _flags: number, row: number): boolean {
    const v = this.parse(buf, s, e);
    if (Number.isNaN(v)) return false;
    (this.values as Float64Array)[row] = v;
    this.markValid(row);
    return true;
  }
  finish(rows: number): Column {
    return { kind: "num", type: this.type, length: rows, values: this.values.subarray(0, rows), valid: this.validity(rows) };
  }
}

/** 64-bit integers and timestamps, written as two int32 words so no BigInt is made per value on the fast path. */
class Int64Builder extends Base implements CsvColumnBuilder {
  private readonly values: BigInt64Array | BigUint64Array;
  private readonly words: Int32Array;
  private readonly instant: Instant = { seconds: 0, nanos: 0 };
  constructor(private readonly type: DType, capacity: number) {
    super(capacity);
    this.values = type === "uint64" ? new BigUint64Array(capacity) : new BigInt64Array(capacity);
    this.words = new Int32Array(this.values.buffer);
  }
  private setNumber(row: number, v: number): void {
    const hi = Math.floor(v / 4294967296);
    this.words[2 * row] = v - hi * 4294967296;
    this.words[2 * row + 1] = hi;
  }
  push(buf: Uint8Array, s: number, e: number, _flags: number, row: number): boolean {
    const t = this.type;
    if (t === "int64" || t === "uint64") {
      const v = parseIntBytes(buf, s, e);
      if (Number.isSafeInteger(v) && (t === "int64" || v >= 0)) this.setNumber(row, v);
      else {
        const big = parseBigIntBytes(buf, s, e);
        if (big === null) return false;
        const ok = t === "int64" ? big >= -(2n ** 63n) && big < 2n ** 63n : big >= 0n && big < 2n ** 64n;
        if (!ok) return false;
        this.values[row] = big;
      }
    } else {
      const it = this.instant;
      if (!parseTimestampBytes(buf, s, e, it)) return false;
      switch (t) {
        case "timestamp[s]": this.setNumber(row, it.seconds); break;
        case "timestamp[ms]": this.setNumber(row, it.seconds * 1000 + Math.floor(it.nanos / 1e6)); break;
        case "timestamp[us]": this.setNumber(row, it.seconds * 1e6 + Math.floor(it.nanos / 1e3)); break;
        default: this.values[row] = BigInt(it.seconds) * 1_000_000_000n + BigInt(it.nanos);  // ns overflow doubles
      }
    }
    this.markValid(row);
    return true;
  }
  finish(rows: number): Column {
    return { kind: "num", type: this.type, length: rows, values: this.values.subarray(0, rows), valid: this.validity(rows) };
  }
}

/** utf8: offsets into one growing byte buffer; "" pairs in quoted fields collapse to one quote. */
class Utf8Builder extends Base implements CsvColumnBuilder {
  private readonly offsets: Int32Array;
  private bytes: Uint8Array;
  private used = 0;
  constructor(capacity: number, bytesHint: number) {
    super(capacity);
    this.offsets = new Int32Array(capacity + 1);
    this.bytes = new Uint8Array(Math.max(64, bytesHint));
  }
  private append(src: Uint8Array, row: number): void {
    const need = this.used + src.length;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, this.bytes.length * 2));
      grown.set(this.bytes.subarray(0, this.used));
      this.bytes = grown;
    }
    this.bytes.set(src, this.used);
    this.used = need;
    this.offsets[row + 1] = need;
  }
  push(buf: Uint8Array, s: number, e: number, flags: number, row: number): boolean {
    this.append((flags & ESCAPED) !== 0 ? fieldBytes(buf, s, e, flags) : buf.subarray(s, e), row);
    this.markValid(row);
    return true;
  }
  override pushNull(row: number): void {
    super.pushNull(row);
    this.offsets[row + 1] = this.used;
  }
  finish(rows: number): Column {
    const bytes = this.bytes.slice(0, this.used);  // exact size: the builder's slack is not kept alive
    return { kind: "str", type: "utf8", length: rows, offsets: this.offsets.subarray(0, rows + 1), bytes, valid: this.validity(rows) };
  }
}

/** The null type: every row is null; any text is accepted and dropped. */
class NullBuilder extends Base implements CsvColumnBuilder {
  push(_b: Uint8Array, _s: number, _e: number, _f: number, row: number): boolean {
    this.pushNull(row);
    return true;
  }
  finish(rows: number): Column {
    const valid = new Uint8Array(rows);
    return { kind: "num", type: "null", length: rows, values: new Uint8Array(rows), valid };
  }
}

/** Floats distinguish "not a number" text (a failure) from a NaN value written as NaN. */
class FloatBuilder extends Base implements CsvColumnBuilder {
  private readonly values: Float32Array | Float64Array;
  constructor(private readonly type: DType, Ctor: new (n: number) => Float32Array | Float64Array, capacity: number) {
    super(capacity);
    this.values = new Ctor(capacity);
  }
  push(buf: Uint8Array, s: number, e: number, _flags: number, row: number): boolean {
    const v = parseFloatBytes(buf, s, e);
    if (v === undefined) return false;
    this.values[row] = v;
    this.markValid(row);
    return true;
  }
  finish(rows: number): Column {
    return { kind: "num", type: this.type, length: rows, values: this.values.subarray(0, rows), valid: this.validity(rows) };
  }
}

function intParser(type: DType): Parse {
  const [lo, hi] = INT_RANGE[type] as readonly [number, number];
  return (b, s, e) => {
    const v = parseIntBytes(b, s, e);
    return v >= lo && v <= hi ? v : Number.NaN;
  };
}
const parseBool: Parse = (b, s, e) => {
  const v = parseBoolBytes(b, s, e);
  return v === null ? Number.NaN : v ? 1 : 0;
};

/**
 * A builder for `capacity` rows of `type`. Floats accept NaN text, so a float field fails only on
 * non-numbers; `bytesHint` sizes a utf8 column's first byte buffer.
 */
export function makeCsvBuilder(type: DType, capacity: number, bytesHint: number): CsvColumnBuilder {
  switch (type) {
    case "null": return new NullBuilder(capacity);
    case "bool": return new NumberBuilder(type, Uint8Array, parseBool, capacity);
    case "int8": return new NumberBuilder(type, Int8Array, intParser(type), capacity);
    case "int16": return new NumberBuilder(type, Int16Array, intParser(type), capacity);
    case "int32": return new NumberBuilder(type, Int32Array, intParser(type), capacity);
    case "uint8": return new NumberBuilder(type, Uint8Array, intParser(type), capacity);
    case "uint16": return new NumberBuilder(type, Uint16Array, intParser(type), capacity);
    case "uint32": return new NumberBuilder(type, Uint32Array, intParser(type), capacity);
    case "float32": return new FloatBuilder(type, Float32Array, capacity);
    case "float64": return new FloatBuilder(type, Float64Array, capacity);
    case "date32": return new NumberBuilder(type, Int32Array, parseDateBytes, capacity);
    case "int64": case "uint64":
    case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]":
      return new Int64Builder(type, capacity);
    case "utf8": return new Utf8Builder(capacity, bytesHint);
    default: return assertNever(type, "dtype");
  }
}

