// Decoders geotiff.js runs for Tessera where Node does better than its bundled JavaScript: DEFLATE through node:zlib
// (native, several times faster than pako on large tiles).
import { inflateSync } from "node:zlib";
import { BaseDecoder, addDecoder } from "geotiff";

class ZlibDeflateDecoder extends BaseDecoder {
  override decodeBlock(buffer: ArrayBufferLike): ArrayBufferLike {
    const out = inflateSync(new Uint8Array(buffer));
    return out.byteOffset === 0 && out.byteLength === out.buffer.byteLength ? out.buffer : out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength);
  }
}

let registered = false;

/** Registers the node:zlib DEFLATE decoder with geotiff.js once per thread (called before any decode). */
export function useNodeCodecs(): void {
  if (registered) return;
  registered = true;
  addDecoder([8, 32946], async () => ZlibDeflateDecoder);
}
