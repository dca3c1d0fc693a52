// The Thrift compact protocol: a reader for Parquet footers (values or field spans) and a writer to rewrite them.

/** A decoded Thrift value. Structs are objects keyed by field id; i64 decodes to a number (exact below 2^53). */
export type TValue = boolean | number | Uint8Array | TValue[] | TStruct;
export interface TStruct { [fieldId: number]: TValue | undefined }

export const enum T {
  Stop = 0, True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12,
}

/** Thrown for malformed input; callers wrap it into an IoError naming the file. */
export class ThriftError extends Error {}

const MAX_DEPTH = 64;

/** One field of an encoded struct: its id, wire type and the bytes of its value (empty for booleans). */
export interface FieldSpan {
  readonly id: number;
  readonly type: number;
  readonly start: number;
  readonly end: number;
}

/** Decodes Thrift compact bytes. `pos` advances as values are read; bounds are checked on every read. */
export class CompactReader {
  pos: number;
  private readonly view: DataView;

  constructor(private readonly buf: Uint8Array, pos = 0) {
    this.pos = pos;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }

  private byte(): number {
    if (this.pos >= this.buf.length) throw new ThriftError(`unexpected end of data at byte ${this.pos}`);
    return this.buf[this.pos++] as number;
  }

  /** An unsigned varint as a number (exact up to 2^53). */
  varint(): number {
    let result = 0, mul = 1;
    for (let i = 0; i < 10; i++) {
      const b = this.byte();
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
    throw new ThriftError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  zigzag(): number {
    const n = this.varint();
    return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
  }

  binary(): Uint8Array {
    const len = this.varint();
    if (this.pos + len > this.buf.length) throw new ThriftError(`binary of ${len} bytes overruns the data at byte ${this.pos}`);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  /** Reads one struct (up to and including its STOP byte). */
  struct(depth = 0): TStruct {
    if (depth > MAX_DEPTH) throw new ThriftError("structs nested too deeply");
    const out: TStruct = {};
    let last = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === T.Stop) return out;
      const delta = head >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      out[id] = type === T.True ? true : type === T.False ? false : this.value(type, depth);
    }
  }

  /** Reads one struct like `struct()`, returning where each field's value lies instead of its value. */
  spans(): FieldSpan[] {
    const out: FieldSpan[] = [];
    let last = 0;
    for (;;) {
      const head = this.byte();
      const type = head & 0x0f;
      if (type === T.Stop) return out;
      const delta = head >> 4;
      const id = delta === 0 ? this.zigzag() : last + delta;
      last = id;
      const start = this.pos;
      if (type !== T.True && type !== T.False) this.value(type, 0);
      out.push({ id, type, start, end: this.pos });
    }
  }

  /** Reads a list header: element count and element type. */
  listHeader(): { size: number; type: number } {
    const head = this.byte();
    return { size: (head >> 4) === 15 ? this.varint() : head >> 4, type: head & 0x0f };
  }

  private value(type: number, depth: number): TValue {
    switch (type) {
      case T.True: return true;
      case T.False: return false;
      case T.Byte: { const b = this.byte(); return b > 127 ? b - 256 : b; }
      case T.I16: case T.I32: case T.I64: return this.zigzag();
      case T.Double: {
        if (this.pos + 8 > this.buf.length) throw new ThriftError("double overruns the data");
        const d = this.view.getFloat64(this.pos, true);
        this.pos += 8;
        return d;
      }
      case T.Binary: return this.binary();
      case T.List: case T.Set: return this.list(depth);
      case T.Map: return this.map(depth);
      case T.Struct: return this.struct(depth + 1);
      default: throw new ThriftError(`unknown compact type ${type} at byte ${this.pos}`);
    }
  }

  /** An element of a list, set or map: booleans there are one byte each (1 = true), unlike struct fields. */
  private element(type: number, depth: number): TValue {
    return type === T.True || type === T.False ? this.byte() === 1 : this.value(type, depth);
  }

  // Every element takes at least one byte, so a count larger than the bytes left is a lie: refused before any
  // allocation or loop (a 2^40-entry map of booleans must not spin or grow an array without reading).
  private list(depth: number): TValue[] {
    if (depth > MAX_DEPTH) throw new ThriftError("lists nested too deeply");
    const head = this.byte();
    const size = (head >> 4) === 15 ? this.varint() : head >> 4;
    const type = head & 0x0f;
    if (size > this.buf.length - this.pos) throw new ThriftError(`list of ${size} elements overruns the data`);
    const out: TValue[] = new Array(size);
    for (let i = 0; i < size; i++) out[i] = this.element(type, depth + 1);
    return out;
  }

  /** Maps do not occur in Parquet footers; read as a flat list [k0, v0, k1, v1, ...] so they can be skipped. */
  private map(depth: number): TValue[] {
    if (depth > MAX_DEPTH) throw new ThriftError("maps nested too deeply");
    const size = this.varint();
    if (size === 0) return [];
    const kv = this.byte();
    if (size * 2 > this.buf.length - this.pos) throw new ThriftError(`map of ${size} entries overruns the data`);
    const out: TValue[] = [];
    for (let i = 0; i < size; i++) out.push(this.element(kv >> 4, depth + 1), this.element(kv & 0x0f, depth + 1));
    return out;
  }
}

/** Encodes Thrift compact bytes; fields must be written in increasing id order within each struct. */
export class CompactWriter {
  private buf = new Uint8Array(1024);
  private len = 0;
  private readonly lastIds: number[] = [0];

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = new Uint8Array(Math.max(this.len + n, this.buf.length * 2));
    grown.set(this.buf.subarray(0, this.len));
    this.buf = grown;
  }

  private byte(b: number): void {
    this.reserve(1);
    this.buf[this.len++] = b;
  }

  varint(n: number): void {
    let v = n;
    while (v >= 128) {
      this.byte((v % 128) | 128);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }

  /** A field header; for booleans pass T.True or T.False as the type (the value is the type). */
  field(id: number, type: number): void {
    const last = this.lastIds[this.lastIds.length - 1] as number;
    const delta = id - last;
    if (delta > 0 && delta <= 15) this.byte((delta << 4) | type);
    else {
      this.byte(type);
      this.varint(id < 0 ? -2 * id - 1 : 2 * id);
    }
    this.lastIds[this.lastIds.length - 1] = id;
  }

  /** i16, i32 or i64 value (zigzag varint); exact below 2^53. */
  int(n: number): void {
    this.varint(n < 0 ? -2 * n - 1 : 2 * n);
  }

  binary(b: Uint8Array): void {
    this.varint(b.length);
    this.raw(b);
  }

  listHeader(size: number, elemType: number): void {
    if (size < 15) this.byte((size << 4) | elemType);
    else {
      this.byte(0xf0 | elemType);
      this.varint(size);
    }
  }

  /** Starts a struct value (after its field header or as a list element). */
  beginStruct(): void {
    this.lastIds.push(0);
  }

  endStruct(): void {
    this.byte(0);
    this.lastIds.pop();
  }

  /** Copies already-encoded value bytes. */
  raw(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}
