// Pixel types of raster bands and the typed arrays that hold them (in shared memory, so chunks cross threads uncopied).
import { ExecutionError } from "@tessera/common";

/** A band's pixel type: the fixed-width numeric DTypes a GeoTIFF can hold (64-bit integers excepted). */
export type RasterDType = "uint8" | "int8" | "uint16" | "int16" | "uint32" | "int32" | "float32" | "float64";

export type BandArray = Uint8Array | Int8Array | Uint16Array | Int16Array | Uint32Array | Int32Array | Float32Array | Float64Array;

type BandArrayCtor = { new (n: number): BandArray; new (buf: ArrayBufferLike, offset: number, length: number): BandArray; readonly BYTES_PER_ELEMENT: number };

/** One table from pixel type to its array constructor. */
export const BAND_ARRAYS: Readonly<Record<RasterDType, BandArrayCtor>> = {
  uint8: Uint8Array, int8: Int8Array, uint16: Uint16Array, int16: Int16Array,
  uint32: Uint32Array, int32: Int32Array, float32: Float32Array, float64: Float64Array,
};

export const RASTER_DTYPES = Object.keys(BAND_ARRAYS) as readonly RasterDType[];

export function isRasterDType(s: string): s is RasterDType {
  return Object.prototype.hasOwnProperty.call(BAND_ARRAYS, s);
}

/**
 * A zeroed band of `n` pixels over a SharedArrayBuffer: a worker's pool threads and its main thread then see the same
 * memory, so a chunk moves between them without a copy either way.
 */
export function allocBand(dtype: RasterDType, n: number): BandArray {
  const Ctor = BAND_ARRAYS[dtype];
  return new Ctor(new SharedArrayBuffer(n * Ctor.BYTES_PER_ELEMENT), 0, n);
}

/** A zeroed validity mask of `n` pixels, in shared memory like the bands. */
export function allocMask(n: number): Uint8Array {
  return new Uint8Array(new SharedArrayBuffer(n));
}

/** True when the array's memory is shared (it crosses threads without a copy). */
export function isShared(a: ArrayBufferView): boolean {
  return typeof SharedArrayBuffer !== "undefined" && a.buffer instanceof SharedArrayBuffer;
}

/** The array itself when it is in shared memory, else a copy in shared memory. */
export function shareArray<T extends BandArray>(a: T): T {
  if (isShared(a)) return a;
  const out = allocBand(dtypeOfBand(a), a.length) as T;
  out.set(a as never);
  return out;
}

export function bytesPerPixel(dtype: RasterDType): number {
  return BAND_ARRAYS[dtype].BYTES_PER_ELEMENT;
}

/** The pixel type an array holds. */
export function dtypeOfBand(a: BandArray): RasterDType {
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Uint8Array) return "uint8";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint16Array) return "uint16";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Int32Array) return "int32";
  throw new ExecutionError("RASTER_BAD_BAND", "a band must be a fixed-width numeric typed array");
}

export function isFloatDType(d: RasterDType): boolean {
  return d === "float32" || d === "float64";
}

/** Whether a value can be stored in the type without change (used to check nodata values against bands). */
export function fitsDType(d: RasterDType, v: number): boolean {
  if (isFloatDType(d)) return d === "float64" || Number.isNaN(v) || Math.fround(v) === v || !Number.isFinite(v);
  const a = new BAND_ARRAYS[d](1);
  a[0] = v;
  return a[0] === v;
}
