// Physical storage of each logical DType: which typed array holds a num column of that type.
import type { DType } from "@tessera/common";
import { InternalError, assertNever } from "@tessera/common";
import type { NumArray } from "./column.js";
import type { ScratchCtor } from "./scratch.js";
import { scratchArray } from "./scratch.js";

export type NumArrayCtor =
  | Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor
  | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor
  | Float32ArrayConstructor | Float64ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

/** The typed array constructor of a fixed-width type ("null" is stored as a Uint8Array of zeros, all invalid). */
export function arrayCtorOf(t: DType): NumArrayCtor {
  switch (t) {
    case "null": case "bool": case "uint8": return Uint8Array;
    case "int8": return Int8Array;
    case "int16": return Int16Array;
    case "int32": case "date32": return Int32Array;
    case "uint16": return Uint16Array;
    case "uint32": return Uint32Array;
    case "int64": case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]": return BigInt64Array;
    case "uint64": return BigUint64Array;
    case "float32": return Float32Array;
    case "float64": return Float64Array;
    case "utf8": throw new InternalError("NOT_FIXED_WIDTH", "utf8 has no fixed-width array");
    default: return assertNever(t, "dtype");
  }
}

/** A zeroed array of `n` elements for a fixed-width type. */
export function allocArray(t: DType, n: number): NumArray {
  const C = arrayCtorOf(t);
  return new C(n);
}

/** A scratch array (see scratch.ts) of `n` elements for a fixed-width type: zeroed only when asked. */
export function scratchOf(t: DType, n: number, zeroed: boolean): NumArray {
  return scratchArray<NumArray>(arrayCtorOf(t) as ScratchCtor<NumArray>, n, zeroed);
}

/** True when values of this type live in a BigInt64Array / BigUint64Array. */
export function isBigIntType(t: DType): boolean {
  return t === "int64" || t === "uint64" || t.startsWith("timestamp");
}

/** Whether the type is stored as a (signed or unsigned) integer: ints, bool, date32, timestamps. */
export function isIntegerLike(t: DType): boolean {
  switch (t) {
    case "bool": case "int8": case "int16": case "int32": case "int64": case "uint8": case "uint16": case "uint32": case "uint64":
    case "date32": case "timestamp[s]": case "timestamp[ms]": case "timestamp[us]": case "timestamp[ns]": return true;
    default: return false;
  }
}

/**
 * The values of a 64-bit integer array as 32-bit words (little-endian: word 2i is the low half, 2i+1 the high).
 * Zero-copy: lets hot loops read int64 data without materializing a BigInt per row.
 */
export function int64Words(a: BigInt64Array | BigUint64Array): Int32Array {
  return new Int32Array(a.buffer, a.byteOffset, a.length * 2);
}

/** The values of any num array converted to float64 (zero-copy when already Float64Array). int64 goes through its words. */
export function toFloat64(a: NumArray): Float64Array {
  if (a instanceof Float64Array) return a;
  const n = a.length;
  const out = new Float64Array(n);
  if (a instanceof BigInt64Array) {
    const w = int64Words(a);
    for (let i = 0; i < n; i++) out[i] = (w[2 * i + 1] as number) * 4294967296 + ((w[2 * i] as number) >>> 0);
  } else if (a instanceof BigUint64Array) {
    const w = int64Words(a);
    for (let i = 0; i < n; i++) out[i] = ((w[2 * i + 1] as number) >>> 0) * 4294967296 + ((w[2 * i] as number) >>> 0);
  } else {
    for (let i = 0; i < n; i++) out[i] = a[i] as number;
  }
  return out;
}

/** Writes float64 values (already integral) into a BigInt64Array through its words, without a BigInt per row. */
export function float64ToInt64(src: Float64Array, out: BigInt64Array): BigInt64Array {
  const w = int64Words(out);
  const n = src.length;
  for (let i = 0; i < n; i++) {
    const x = src[i] as number;
    if (x === x) {
      w[2 * i] = x % 4294967296 | 0;
      w[2 * i + 1] = Math.floor(x / 4294967296) | 0;
    } else {
      w[2 * i] = 0;
      w[2 * i + 1] = 0;
    }
  }
  return out;
}
