// One TIFF tile of one band: pixels cut from the band (edges padded), the predictor applied, DEFLATE via node:zlib.
import { deflateSync } from "node:zlib";
import type { BandArray } from "../chunk/band-array.js";
import { BAND_ARRAYS, bytesPerPixel, dtypeOfBand } from "../chunk/band-array.js";

export type Predictor = 1 | 2 | 3;

/** Horizontal differencing in the band's own type (integers wrap, as TIFF predictor 2 expects). */
function horizontal(tile: BandArray, width: number): void {
  for (let r = 0; r < tile.length; r += width) for (let i = width - 1; i > 0; i--) tile[r + i] = (tile[r + i] as number) - (tile[r + i - 1] as number);
}

/** TIFF predictor 3: per row, bytes regrouped most significant first, then byte-wise differencing. */
function floatingPoint(tile: BandArray, width: number): Uint8Array {
  const bps = bytesPerPixel(dtypeOfBand(tile));
  const src = new Uint8Array(tile.buffer, tile.byteOffset, tile.byteLength);
  const out = new Uint8Array(src.length);
  const rowBytes = width * bps;
  for (let r = 0; r < src.length; r += rowBytes) {
    for (let i = 0; i < width; i++) for (let s = 0; s < bps; s++) out[r + s * width + i] = src[r + i * bps + (bps - 1 - s)] as number;
    for (let k = rowBytes - 1; k > 0; k--) out[r + k] = ((out[r + k] as number) - (out[r + k - 1] as number)) & 255;
  }
  return out;
}

/**
 * The encoded bytes of the tile at (tx, ty) of size `size`×`size`, cut from a `width`×`height` band whose invalid
 * pixels already hold `fill`; pixels past the band's edge are `fill` too. `level` is zlib's (1–9); null leaves the
 * tile uncompressed.
 */
export function encodeTile(band: BandArray, width: number, height: number, tx: number, ty: number, size: number, predictor: Predictor, fill: number, level: number | null): Uint8Array {
  const tile = new BAND_ARRAYS[dtypeOfBand(band)](size * size);
  const x0 = tx * size;
  const y0 = ty * size;
  const w = Math.min(size, width - x0);
  const h = Math.min(size, height - y0);
  if (w < size || h < size) tile.fill(fill);
  for (let r = 0; r < h; r++) {
    const from = (y0 + r) * width + x0;
    tile.set(band.subarray(from, from + w) as never, r * size);
  }
  let bytes: Uint8Array;
  if (predictor === 2) { horizontal(tile, size); bytes = new Uint8Array(tile.buffer); }
  else if (predictor === 3) bytes = floatingPoint(tile, size);
  else bytes = new Uint8Array(tile.buffer);
  if (level === null) return bytes;
  return new Uint8Array(deflateSync(bytes, { level }));
}
