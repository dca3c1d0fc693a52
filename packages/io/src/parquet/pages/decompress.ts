// Page decompression by codec: zstd (WebAssembly), snappy, gzip and brotli; one table, one entry per codec.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import snappy from "snappyjs";
import { createRequire } from "node:module";

/** parquet.thrift `CompressionCodec`. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 } as const;

type Decompress = (src: Uint8Array, size: number) => Uint8Array;

// zstd: the zstd library compiled to WebAssembly at -O3 by @foxglove/wasm-zstd (2.4x the speed of zstddec's build on
// this file's pages), one instance per thread, made on first use (it compiles asynchronously). Its emscripten module
// is used directly, since the package's decompress() allocates and copies every page out: pages are decompressed
// into one reusable buffer in its memory and read through a view, so a page costs no allocation.
interface ZstdModule {
  /** The module's memory; replaced (the old buffer detached) when malloc grows it. */
  readonly HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  /** ZSTD_decompress: the decompressed size, or -1 on any error (never more than dstSize bytes written). */
  _decompress(dst: number, dstSize: number, src: number, srcSize: number): number;
}
const require = createRequire(import.meta.url);
let zstd: ZstdModule | null = null;
let zstdReady: Promise<void> | null = null;
let inPtr = 0, inCap = 0, outPtr = 0, outCap = 0;

async function initZstd(): Promise<void> {
  const factory = require("@foxglove/wasm-zstd/dist/wasm-zstd.js") as () => PromiseLike<ZstdModule>;
  zstd = await factory();
}

/** A buffer of at least `size` bytes in zstd's memory (grown by doubling, reused). */
function reserve(z: ZstdModule, ptr: number, cap: number, size: number): [number, number] {
  if (size <= cap && ptr !== 0) return [ptr, cap];
  if (ptr !== 0) z._free(ptr);
  const grown = Math.max(size, 2 * cap, 1 << 16);
  const p = z._malloc(grown);
  if (p === 0) throw new Error(`cannot allocate ${grown} bytes for zstd`);
  return [p, grown];
}

function unzstd(src: Uint8Array, size: number): Uint8Array {
  const z = zstd;
  if (z === null) throw new Error("zstd is not ready in this thread (decompressorsReady was not awaited)");
  [inPtr, inCap] = reserve(z, inPtr, inCap, src.length);
  [outPtr, outCap] = reserve(z, outPtr, outCap, size);
  z.HEAPU8.set(src, inPtr);
  const n = z._decompress(outPtr, size, inPtr, src.length);
  if (n !== size) throw new Error(`a zstd page did not decompress to the ${size} bytes its header says`);
  return z.HEAPU8.subarray(outPtr, outPtr + size);
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
