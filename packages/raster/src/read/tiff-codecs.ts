// TIFF compression schemes: which ones Tessera decodes (all lossless ones GDAL writes), and a coded error for others.
import { IoError } from "@tessera/common";

interface Codec { readonly name: string; readonly supported: boolean; readonly why?: string }

/** One table keyed by the TIFF Compression tag. geotiff.js decodes every supported one (ZSTD via zstddec, LERC via lerc). */
const CODECS: ReadonlyMap<number, Codec> = new Map([
  [1, { name: "NONE", supported: true }],
  [5, { name: "LZW", supported: true }],
  [8, { name: "DEFLATE", supported: true }],
  [32946, { name: "DEFLATE", supported: true }],
  [32773, { name: "PACKBITS", supported: true }],
  [34887, { name: "LERC", supported: true }],
  [50000, { name: "ZSTD", supported: true }],
  [6, { name: "OJPEG", supported: false, why: "old-style JPEG is lossy and obsolete" }],
  [7, { name: "JPEG", supported: false, why: "JPEG is lossy; Tessera reads only lossless encodings" }],
  [50001, { name: "WEBP", supported: false, why: "WebP decoding needs a browser; Tessera reads only lossless encodings it can decode in Node" }],
  [34925, { name: "LZMA", supported: false, why: "no maintained LZMA decoder is bundled" }],
  [50002, { name: "JXL", supported: false, why: "no JPEG-XL decoder is bundled" }],
]);

/** The codec's name; throws IO_UNSUPPORTED_CODEC naming the file and the codec when Tessera cannot decode it. */
export function checkCodec(url: string, compression: number): string {
  const c = CODECS.get(compression);
  if (c === undefined) {
    throw new IoError("IO_UNSUPPORTED_CODEC", `cannot read ${url}: unknown TIFF compression ${compression}`, { url, compression });
  }
  if (!c.supported) {
    throw new IoError("IO_UNSUPPORTED_CODEC", `cannot read ${url}: ${c.name} compression is not supported (${c.why ?? "unsupported"})`, { url, compression: c.name });
  }
  return c.name;
}
