// Page decompression by codec: zstd (WebAssembly), snappy, gzip and brotli; one table, one entry per codec.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import snappy from "snappyjs";
import { ZSTDDecoder } from "zstddec";

/** parquet.thrift `CompressionCodec`. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 } as const;

type Decompress = (src: Uint8Array, size: number) => Uint8Array;

// zstd: zstddec's WebAssembly instance, one per thread, made on first use (it compiles asynchronously). Pages are
// decompressed into one reusable buffer in its memory and read through a view, so a page costs no allocation; its
// instance is taken through zstddec's public `_init` hook (a decoder that cannot hand it over copies each page out).
interface ZstdExports {
  readonly memory: { readonly buffer: ArrayBuffer };
  malloc(size: number): number;
  free(ptr: number): void;
  ZSTD_decompress(dst: number, dstCapacity: number, src: number, srcSize: number): number;
}
const zstdDecoder = new ZSTDDecoder();
let zstd: ZstdExports | null = null;
let zstdReady: Promise<void> | null = null;
let inPtr = 0, inCap = 0, outPtr = 0, outCap = 0;

function initZstd(): Promise<void> {
  zstdDecoder._init = (result: Parameters<ZSTDDecoder["_init"]>[0]): void => {
    zstd = (result as { instance: { exports: unknown } }).instance.exports as ZstdExports;
    ZSTDDecoder.prototype._init.call(zstdDecoder, result);
  };
  return zstdDecoder.init();
}

/** A buffer of at least `size` bytes in zstd's memory (grown by doubling, reused). */
function reserve(z: ZstdExports, ptr: number, cap: number, size: number): [number, number] {
  if (size <= cap && ptr !== 0) return [ptr, cap];
  if (ptr !== 0) z.free(ptr);
  const grown = Math.max(size, 2 * cap, 1 << 16);
  const p = z.malloc(grown);
  if (p === 0) throw new Error(`cannot allocate ${grown} bytes for zstd`);
  return [p, grown];
}

function unzstd(src: Uint8Array, size: number): Uint8Array {
  const z = zstd;
  if (z === null) return zstdDecoder.decode(src, size);
  [inPtr, inCap] = reserve(z, inPtr, inCap, src.length);
  [outPtr, outCap] = reserve(z, outPtr, outCap, size);
  new Uint8Array(z.memory.buffer).set(src, inPtr);
  const n = z.ZSTD_decompress(outPtr, size, inPtr, src.length);
  // Errors come back as (size_t)-code, which is never the expected size.
  if (n !== size) throw new Error(`a zstd page did not decompress to the ${size} bytes its header says`);
  return new Uint8Array(z.memory.buffer, outPtr, size);
}

const DECOMPRESSORS: Readonly<Partial<Record<number, Decompress>>> = {
  [Codec.UNCOMPRESSED]: (src) => src,
  [Codec.SNAPPY]: (src, size) => snappy.uncompress(src, size),
  [Codec.GZIP]: (src) => gunzipSync(src),
  [Codec.BROTLI]: (src) => brotliDecompressSync(src),
  [Codec.ZSTD]: unzstd,
};

/** Whether pages of this codec can be decompressed here. */
export function canDecompress(codec: number): boolean {
  return DECOMPRESSORS[codec] !== undefined;
}

/** Resolves once every codec is usable in this thread (zstd's WebAssembly is compiled on first call). */
export function decompressorsReady(codecs: Iterable<number>): Promise<void> | null {
  for (const c of codecs) if (c === Codec.ZSTD) return (zstdReady ??= initZstd());
  return null;
}

/**
 * The `size` bytes `src` decompresses to; throws when the codec is unknown or the output has another size.
 * The result may be a view of a reused buffer: it is valid until the next call in this thread, so whoever keeps
 * page bytes (a dictionary) copies them.
 */
export function decompress(codec: number, src: Uint8Array, size: number): Uint8Array {
  const f = DECOMPRESSORS[codec];
  if (f === undefined) throw new Error(`compression codec ${codec} is not supported`);
  const out = f(src, size);
  if (out.length !== size) throw new Error(`a page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}
