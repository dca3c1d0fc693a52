// Encoding a rendered tile: raw little-endian float32 (NaN for nodata), or a PNG through a colormap with nodata
// transparent (fast-png encodes).
import { PlanError } from "@tessera/common";
import { encode } from "fast-png";
import type { RasterChunk } from "../chunk/raster-chunk.js";

/** Colour stops: values ascending, colours [r, g, b] or [r, g, b, a] (0–255); colours between stops are interpolated. */
export interface Colormap {
  readonly stops: readonly (readonly [number, readonly number[]])[];
}

/** Band `band` of a tile as little-endian float32 bytes, row-major; invalid pixels are NaN. */
export function encodeTileF32(c: RasterChunk, band = 0): Uint8Array {
  const src = c.data[band];
  if (src === undefined) throw new PlanError("RASTER_UNKNOWN_BAND", `tile has no band ${band}`);
  const valid = c.valid[band] ?? null;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = valid !== null && valid[i] === 0 ? Number.NaN : (src[i] as number);
  const bytes = new Uint8Array(out.buffer);
  // Typed arrays use the platform's byte order; every platform Node runs on here is little-endian, checked once.
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) throw new PlanError("RASTER_BIG_ENDIAN", "f32 tiles need a little-endian platform");
  return bytes;
}

/** Throws RASTER_BAD_COLORMAP unless the stops are ascending finite values with [r, g, b(, a)] colours in 0–255. */
export function checkColormap(cm: Colormap): void {
  if (cm.stops.length < 1) throw new PlanError("RASTER_BAD_COLORMAP", "a colormap needs at least one stop");
  for (let i = 0; i < cm.stops.length; i++) {
    const [v, rgb] = cm.stops[i] as readonly [number, readonly number[]];
    if (!Number.isFinite(v) || (i > 0 && v <= (cm.stops[i - 1] as readonly [number, readonly number[]])[0])) throw new PlanError("RASTER_BAD_COLORMAP", "colormap values must be finite and ascending");
    if (rgb.length < 3 || rgb.length > 4 || rgb.some((x) => !(x >= 0 && x <= 255))) throw new PlanError("RASTER_BAD_COLORMAP", "colormap colours are [r, g, b] or [r, g, b, a] in 0–255");
  }
}

/** The RGBA colour of a value: clamped to the end stops, linear between stops, rounded. */
export function colorOf(cm: Colormap, v: number, out: Uint8Array, at: number): void {
  const stops = cm.stops;
  let k = 0;
  while (k < stops.length - 1 && v > (stops[k + 1] as readonly [number, readonly number[]])[0]) k++;
  const [v0, c0] = stops[k] as readonly [number, readonly number[]];
  const next = stops[k + 1];
  const t = next === undefined || v <= v0 ? 0 : Math.min(1, (v - v0) / (next[0] - v0));
  const c1 = next === undefined ? c0 : next[1];
  for (let ch = 0; ch < 4; ch++) {
    const a = c0[ch] ?? 255;
    const b = c1[ch] ?? 255;
    out[at + ch] = Math.round(a + (b - a) * t);
  }
}

/** Band `band` of a tile as an RGBA PNG through `colormap`; invalid pixels fully transparent. */
export function encodeTilePng(c: RasterChunk, colormap: Colormap, band = 0): Uint8Array {
  checkColormap(colormap);
  const src = c.data[band];
  if (src === undefined) throw new PlanError("RASTER_UNKNOWN_BAND", `tile has no band ${band}`);
  const valid = c.valid[band] ?? null;
  const rgba = new Uint8Array(src.length * 4);
  for (let i = 0; i < src.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    colorOf(colormap, src[i] as number, rgba, i * 4);
  }
  return encode({ width: c.grid.width, height: c.grid.height, data: rgba, channels: 4, depth: 8 });
}
