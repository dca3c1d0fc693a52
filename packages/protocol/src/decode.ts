// A strict MessagePack decoder for untrusted input: plain values only, bounded depth and lengths, no code paths.
import { ProtocolError } from "@tessera/common";

/**
 * Why not msgpackr's unpack for incoming bytes: it also understands its own extensions (records, whose readers
 * it compiles with `new Function`; Error, RegExp, Set, structured-clone references). Received bytes must only
 * ever become plain data (DESIGN principle 1), so this decoder accepts exactly: nil, booleans, numbers
 * (64-bit integers beyond 2^53 become bigint), strings, binary (Uint8Array), arrays, maps with string keys
 * (as plain objects; "__proto__" refused), msgpackr's `undefined` (fixext 0) and typed arrays (ext 0x74).
 */
export interface DecodeLimits {
  /** Deepest nesting of arrays and maps. */
  readonly maxDepth: number;
}

const DEFAULT_LIMITS: DecodeLimits = { maxDepth: 64 };
const TYPED_ARRAYS = [
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array,
] as const;
const utf8 = new TextDecoder("utf-8", { fatal: true });
/** Strings up to this many bytes are decoded by hand when they are ASCII. */
const SHORT_STRING = 48;
/** Node's Latin-1 copy of a byte range into a string (absent outside Node: then strings are built by hand). */
const latin1Slice = (globalThis as { Buffer?: { prototype: { latin1Slice?: (this: Uint8Array, start: number, end: number) => string } } })
  .Buffer?.prototype.latin1Slice;
/** Map keys up to this many bytes are kept in a direct-mapped cache of KEY_SLOTS entries (a process's field names). */
const KEY_BYTES = 24;
const KEY_SLOTS = 256;
const keyBytes: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(KEY_SLOTS).fill(undefined);
const keyStrings: string[] = new Array<string>(KEY_SLOTS).fill("");

function bad(message: string): never {
  throw new ProtocolError("PROTOCOL_BAD_FRAME", `malformed msgpack: ${message}`);
}

class Reader {
  pos = 0;
  private readonly view: DataView;
  constructor(private readonly bytes: Uint8Array, private readonly limits: DecodeLimits) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.bytes.byteLength) bad(`truncated at byte ${at} (needs ${n} more)`);
    this.pos = at + n;
    return at;
  }
  private u8(): number { return this.view.getUint8(this.need(1)); }
  private u16(): number { return this.view.getUint16(this.need(2)); }
  private u32(): number { return this.view.getUint32(this.need(4)); }

  private raw(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }
  private str(n: number): string {
    if (n <= SHORT_STRING) {
      // Keys, ops and ids are short ASCII: checked here and built by one Latin-1 copy, a fraction of a TextDecoder
      // call. The string comes out flat: adding a character at a time builds a chain of pieces past 12 characters,
      // which every hash of the string (a task key looked up in a map) must first flatten.
      const at = this.need(n);
      const b = this.bytes;
      for (let i = at; i < at + n; i++) if ((b[i] as number) >= 0x80) return this.utf8(at, n);
      if (n > 12 && latin1Slice !== undefined) return latin1Slice.call(b, at, at + n);
      let s = "";
      for (let i = at; i < at + n; i++) s += String.fromCharCode(b[i] as number);
      return s;
    }
    return this.utf8(this.need(n), n);
  }
  /** A map key: field names repeat in every message, so short ones come from a cache keyed by their bytes. */
  private key(depth: number): unknown {
    const b = this.bytes;
    const at = this.pos;
    const t = b[at];
    if (t === undefined || t < 0xa0 || t > 0xbf) return this.value(depth);
    const n = t & 0x1f;
    if (n > KEY_BYTES || at + 1 + n > b.byteLength) return this.value(depth);
    let h = n;
    for (let i = at + 1; i <= at + n; i++) h = Math.imul(h ^ (b[i] as number), 0x01000193);
    const slot = (h >>> 0) & (KEY_SLOTS - 1);
    const cached = keyBytes[slot];
    if (cached !== undefined && cached.length === n) {
      let same = true;
      for (let i = 0; i < n; i++) if (cached[i] !== b[at + 1 + i]) { same = false; break; }
      if (same) {
        this.pos = at + 1 + n;
        return keyStrings[slot];
      }
    }
    const k = this.value(depth);
    if (typeof k === "string") {
      keyBytes[slot] = b.slice(at + 1, at + 1 + n);
      keyStrings[slot] = k;
    }
    return k;
  }
  private utf8(at: number, n: number): string {
    try {
      return utf8.decode(this.bytes.subarray(at, at + n));
    } catch {
      return bad("invalid UTF-8 in a string");
    }
  }
  private bin(n: number): Uint8Array {
    return new Uint8Array(this.raw(n));
  }
  private int64(signed: boolean): number | bigint {
    const at = this.need(8);
    const v = signed ? this.view.getBigInt64(at) : this.view.getBigUint64(at);
    return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  /** Every element takes at least one byte: a count beyond the bytes left is a lie, refused before allocating. */
  private count(n: number): number {
    if (n > this.bytes.byteLength - this.pos) bad(`a length of ${n} exceeds the ${this.bytes.byteLength - this.pos} bytes left`);
    return n;
  }

  private array(n: number, depth: number): unknown[] {
    const out = new Array<unknown>(this.count(n));
    for (let i = 0; i < n; i++) out[i] = this.value(depth + 1);
    return out;
  }
  private map(n: number, depth: number): Record<string, unknown> {
    this.count(n);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < n; i++) {
      const k = this.key(depth + 1);
      if (typeof k !== "string") bad("a map key that is not a string");
      if (k === "__proto__") bad('a map key "__proto__"');
      out[k] = this.value(depth + 1);
    }
    return out;
  }
  private ext(n: number): unknown {
    const type = this.view.getInt8(this.need(1));
    const data = this.raw(n);
    if (type === 0 && n === 1) return undefined;
    if (type === 0x74 && n >= 1) {
      const Ctor = TYPED_ARRAYS[data[0] as number];
      if (Ctor === undefined) bad(`unknown typed-array code ${data[0]}`);
      const body = new Uint8Array(data.byteLength - 1); // a copy: aligned, and not a view of the frame
      body.set(data.subarray(1));
      if (body.byteLength % Ctor.BYTES_PER_ELEMENT !== 0) bad("a typed array of a partial element");
      return new Ctor(body.buffer);
    }
    return bad(`extension type ${type} is not accepted`);
  }

  value(depth: number): unknown {
    if (depth > this.limits.maxDepth) bad(`nested deeper than ${this.limits.maxDepth}`);
    const t = this.u8();
    if (t <= 0x7f) return t;
    if (t >= 0xe0) return t - 0x100;
    if (t >= 0x80 && t <= 0x8f) return this.map(t & 0x0f, depth);
    if (t >= 0x90 && t <= 0x9f) return this.array(t & 0x0f, depth);
    if (t >= 0xa0 && t <= 0xbf) return this.str(t & 0x1f);
    switch (t) {
      case 0xc0: return null;
      case 0xc2: return false;
      case 0xc3: return true;
      case 0xc4: return this.bin(this.u8());
      case 0xc5: return this.bin(this.u16());
      case 0xc6: return this.bin(this.u32());
      case 0xc7: return this.ext(this.u8());
      case 0xc8: return this.ext(this.u16());
      case 0xc9: return this.ext(this.u32());
      case 0xca: return this.view.getFloat32(this.need(4));
      case 0xcb: return this.view.getFloat64(this.need(8));
      case 0xcc: return this.u8();
      case 0xcd: return this.u16();
      case 0xce: return this.u32();
      case 0xcf: return this.int64(false);
      case 0xd0: return this.view.getInt8(this.need(1));
      case 0xd1: return this.view.getInt16(this.need(2));
      case 0xd2: return this.view.getInt32(this.need(4));
      case 0xd3: return this.int64(true);
      case 0xd4: return this.ext(1);
      case 0xd5: return this.ext(2);
      case 0xd6: return this.ext(4);
      case 0xd7: return this.ext(8);
      case 0xd8: return this.ext(16);
      case 0xd9: return this.str(this.u8());
      case 0xda: return this.str(this.u16());
      case 0xdb: return this.str(this.u32());
      case 0xdc: return this.array(this.u16(), depth);
      case 0xdd: return this.array(this.u32(), depth);
      case 0xde: return this.map(this.u16(), depth);
      case 0xdf: return this.map(this.u32(), depth);
      default: return bad(`unused type byte 0x${t.toString(16)}`);
    }
  }
}

/** Decodes exactly one value filling all of `bytes`; throws ProtocolError PROTOCOL_BAD_FRAME otherwise. */
export function decodeStrict(bytes: Uint8Array, limits: DecodeLimits = DEFAULT_LIMITS): unknown {
  const r = new Reader(bytes, limits);
  const v = r.value(0);
  if (r.pos !== bytes.byteLength) bad(`${bytes.byteLength - r.pos} trailing bytes`);
  return v;
}
