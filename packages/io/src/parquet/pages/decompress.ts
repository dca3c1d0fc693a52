// Page decompression by codec: zstd (WebAssembly), snappy, gzip and brotli; one table, one entry per codec.
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import snappy from "snappyjs";
import { ZSTDDecoder } from "zstddec";

/** parquet.thrift `CompressionCodec`. */
export const Codec = { UNCOMPRESSED: 0, SNAPPY: 1, GZIP: 2, LZO: 3, BROTLI: 4, LZ4: 5, ZSTD: 6, LZ4_RAW: 7 } as const;

type Decompress = (src: Uint8Array, size: number) => Uint8Array;

// One zstd instance per thread, made on first use (its WebAssembly compiles asynchronously).
const zstd = new ZSTDDecoder();
let zstdReady: Promise<void> | null = null;

const DECOMPRESSORS: Readonly<Partial<Record<number, Decompress>>> = {
  [Codec.UNCOMPRESSED]: (src) => src,
  [Codec.SNAPPY]: (src, size) => snappy.uncompress(src, size),
  [Codec.GZIP]: (src) => gunzipSync(src),
  [Codec.BROTLI]: (src) => brotliDecompressSync(src),
  [Codec.ZSTD]: (src, size) => zstd.decode(src, size),
};

/** Whether pages of this codec can be decompressed here. */
export function canDecompress(codec: number): boolean {
  return DECOMPRESSORS[codec] !== undefined;
}

/** Resolves once every codec is usable in this thread (zstd's WebAssembly is compiled on first call). */
export function decompressorsReady(codecs: Iterable<number>): Promise<void> | null {
  for (const c of codecs) if (c === Codec.ZSTD) return (zstdReady ??= zstd.init());
  return null;
}

/** The `size` bytes `src` decompresses to; throws when the codec is unknown or the output has another size. */
export function decompress(codec: number, src: Uint8Array, size: number): Uint8Array {
  const f = DECOMPRESSORS[codec];
  if (f === undefined) throw new Error(`compression codec ${codec} is not supported`);
  const out = f(src, size);
  // zstddec returns a short buffer on corrupt input rather than throwing; every codec is checked the same way.
  if (out.length !== size) throw new Error(`a page decompressed to ${out.length} bytes, its header says ${size}`);
  return out;
}
