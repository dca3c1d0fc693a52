// Decoders geotiff.js runs for Tessera where Node does better than its bundled JavaScript: DEFLATE through node:zlib
// (native, several times faster than pako on large tiles).
import { inflateSync } from "node:zlib";
import { BaseDecoder, addDecoder } from "geotiff";

/** DEFLATE-compressed bytes inflated by node:zlib, as an ArrayBuffer of exactly the output (copied only when pooled). */
export function inflateBlock(bytes: Uint8Array): ArrayBuffer {
  const out = inflateSync(bytes);
  return (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength)) as ArrayBuffer;
}

class ZlibDeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    return inflateBlock(new Uint8Array(buffer));
  }
}

let registered = false;

/** Registers the node:zlib DEFLATE decoder with geotiff.js once per thread (called before any decode). */
export function useNodeCodecs(): void {
  if (registered) return;
  registered = true;
  addDecoder([8, 32946], async () => ZlibDeflateDecoder);
}
