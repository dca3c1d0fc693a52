// A raster chunk: a window of a grid, one typed array per band and a validity mask per band (nodata as a mask).
import { ExecutionError } from "@tessera/common";
import type { Grid } from "../grid/grid.js";
import { windowGrid } from "../grid/grid.js";
import type { Window } from "../grid/window.js";
import { intersectWindows, windowContains } from "../grid/window.js";
import type { BandArray, RasterDType } from "./band-array.js";
import { allocBand, allocMask, dtypeOfBand, isFloatDType, isRasterDType, shareArray } from "./band-array.js";

/**
 * The unit rasters travel in, as an Arrow batch does for tables.
 * Invariants: `grid` is `window` of the parent grid (`grid.width === window.width`, same for height);
 * every `data[b]` and non-null `valid[b]` has width × height elements, row-major; `valid[b][i]` is 1 for a valid
 * pixel and 0 for nodata, null meaning every pixel is valid. Values under invalid pixels are kept as read (the
 * file's nodata value) and mean nothing. `nodata[b]` is the band's declared nodata value, kept for writing.
 * Integer bands are never given NaN: missingness lives in `valid` only.
 */
export interface RasterChunk {
  readonly grid: Grid;
  readonly window: Window;
  readonly bands: readonly string[];
  readonly data: readonly BandArray[];
  readonly valid: readonly (Uint8Array | null)[];
  readonly nodata: readonly (number | null)[];
  /** Milliseconds since the epoch for a slice of a time stack; null otherwise. */
  readonly time: number | null;
}

export interface ChunkParts {
  readonly grid: Grid;
  readonly window: Window;
  readonly bands: readonly string[];
  readonly data: readonly BandArray[];
  readonly valid?: readonly (Uint8Array | null)[];
  readonly nodata?: readonly (number | null)[];
  readonly time?: number | null;
}

/** Builds a chunk and checks its invariants. */
export function makeChunk(p: ChunkParts): RasterChunk {
  const n = p.grid.width * p.grid.height;
  if (p.grid.width !== p.window.width || p.grid.height !== p.window.height) {
    throw new ExecutionError("RASTER_BAD_CHUNK", `chunk grid ${p.grid.width}×${p.grid.height} differs from its window ${p.window.width}×${p.window.height}`);
  }
  if (p.bands.length !== p.data.length) throw new ExecutionError("RASTER_BAD_CHUNK", `${p.bands.length} band names for ${p.data.length} bands`);
  const valid = p.valid ?? p.data.map(() => null);
  const nodata = p.nodata ?? p.data.map(() => null);
  p.data.forEach((a, b) => {
    if (a.length !== n) throw new ExecutionError("RASTER_BAD_CHUNK", `band ${p.bands[b]} has ${a.length} pixels, expected ${n}`);
    const v = valid[b];
    if (v !== null && v !== undefined && v.length !== n) throw new ExecutionError("RASTER_BAD_CHUNK", `band ${p.bands[b]} mask has ${v.length} pixels, expected ${n}`);
  });
  if (valid.length !== p.data.length || nodata.length !== p.data.length) throw new ExecutionError("RASTER_BAD_CHUNK", "masks and nodata values must be given per band");
  return { grid: p.grid, window: p.window, bands: p.bands, data: p.data, valid, nodata, time: p.time ?? null };
}

/**
 * True for a value shaped like a RasterChunk (a grid, a window, band names and band arrays), checked by shape, not
 * by class, so chunks built by another thread's copy of this module are recognized.
 */
export function isRasterChunk(v: unknown): v is RasterChunk {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  const g = o["grid"] as Record<string, unknown> | null | undefined;
  const w = o["window"] as Record<string, unknown> | null | undefined;
  return typeof g === "object" && g !== null && Array.isArray(g["transform"]) && typeof g["crs"] === "string"
    && typeof w === "object" && w !== null && typeof w["width"] === "number"
    && Array.isArray(o["bands"]) && Array.isArray(o["data"]) && Array.isArray(o["valid"]) && Array.isArray(o["nodata"])
    && (o["data"] as unknown[]).every((a) => ArrayBuffer.isView(a));
}

/** The chunk with every band and mask in shared memory (arrays already there are kept, others copied once). */
export function shareChunk(c: RasterChunk): RasterChunk {
  return { ...c, data: c.data.map(shareArray), valid: c.valid.map((v) => (v === null ? null : shareArray(v))) };
}

/**
 * A chunk of `w` in which every pixel is invalid: bands of the given names and types, holding each band's nodata
 * value (NaN for float bands without one, else 0).
 */
export function blankChunk(grid: Grid, w: Window, bands: readonly { name: string; dtype: RasterDType; nodata: number | null }[], time: number | null = null): RasterChunk {
  const n = w.width * w.height;
  const data = bands.map((b) => {
    if (!isRasterDType(b.dtype)) throw new ExecutionError("RASTER_BAD_BAND", `unknown pixel type ${String(b.dtype)}`);
    const a = allocBand(b.dtype, n);
    const fill = b.nodata ?? (isFloatDType(b.dtype) ? Number.NaN : 0);
    if (fill !== 0) a.fill(fill);
    return a;
  });
  return makeChunk({
    grid: windowGrid(grid, w), window: w, bands: bands.map((b) => b.name), data, valid: bands.map(() => allocMask(n)),
    nodata: bands.map((b) => b.nodata ?? (isFloatDType(b.dtype) ? Number.NaN : null)), time,
  });
}

export function chunkDType(c: RasterChunk, band: number): RasterDType {
  return dtypeOfBand(c.data[band] as BandArray);
}

/** Bytes the chunk holds in memory (values and masks): what a worker's data store accounts. */
export function chunkBytes(c: RasterChunk): number {
  let n = 0;
  for (const a of c.data) n += a.byteLength;
  for (const v of c.valid) if (v !== null) n += v.byteLength;
  return n;
}

/** The buffers to list when posting the chunk to another thread, each once. */
export function chunkTransferables(c: RasterChunk): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  const add = (a: ArrayBufferView): void => { if (a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) seen.add(a.buffer); };
  c.data.forEach(add);
  for (const v of c.valid) if (v !== null) add(v);
  return [...seen];
}

/** Index of a band by name; throws naming the bands that exist. */
export function bandIndex(c: { readonly bands: readonly string[] }, name: string): number {
  const i = c.bands.indexOf(name);
  if (i < 0) throw new ExecutionError("RASTER_UNKNOWN_BAND", `band "${name}" not found; bands: ${c.bands.join(", ")}`);
  return i;
}

/** A copy of the part of `c` inside `w` (a window of the same parent grid, which must lie within the chunk). */
export function cropChunk(c: RasterChunk, w: Window): RasterChunk {
  if (!windowContains(c.window, w)) throw new ExecutionError("RASTER_BAD_WINDOW", "crop window must lie within the chunk");
  const dx = w.x - c.window.x;
  const dy = w.y - c.window.y;
  const copy = <T extends BandArray>(a: T): T => {
    const out = allocBand(dtypeOfBand(a), w.width * w.height) as T;
    for (let r = 0; r < w.height; r++) {
      const from = (dy + r) * c.window.width + dx;
      out.set(a.subarray(from, from + w.width) as never, r * w.width);
    }
    return out;
  };
  return {
    ...c,
    grid: windowGrid(c.grid, { x: dx, y: dy, width: w.width, height: w.height }),
    window: w,
    data: c.data.map(copy),
    valid: c.valid.map((v) => (v === null ? null : copy(v))),
  };
}

/**
 * A chunk covering `w` assembled from chunks of the same parent grid (pixels outside every part are invalid).
 * Parts may overlap; later parts win. Bands, types and nodata come from the first part. A band whose pixels all end
 * up valid gets no mask (null), as a read chunk would.
 */
export function mosaicChunks(parts: readonly RasterChunk[], grid: Grid, w: Window): RasterChunk {
  const first = parts[0];
  if (first === undefined) throw new ExecutionError("RASTER_BAD_CHUNK", "mosaic of no chunks");
  const n = w.width * w.height;
  const data = first.data.map((a) => allocBand(dtypeOfBand(a), n));
  const valid = first.data.map(() => allocMask(n));
  for (const p of parts) {
    const o = intersectWindows(p.window, w);
    if (o.width <= 0) continue;
    for (let b = 0; b < data.length; b++) {
      const src = p.data[b] as BandArray;
      const srcValid = p.valid[b] ?? null;
      const dst = data[b] as BandArray;
      const dstValid = valid[b] as Uint8Array;
      for (let r = 0; r < o.height; r++) {
        const from = (o.y - p.window.y + r) * p.window.width + (o.x - p.window.x);
        const to = (o.y - w.y + r) * w.width + (o.x - w.x);
        dst.set(src.subarray(from, from + o.width) as never, to);
        if (srcValid === null) dstValid.fill(1, to, to + o.width);
        else dstValid.set(srcValid.subarray(from, from + o.width), to);
      }
    }
  }
  const masks = valid.map((v) => (v.indexOf(0) < 0 ? null : v));
  return makeChunk({ grid: windowGrid(grid, w), window: w, bands: first.bands, data, valid: masks, nodata: first.nodata, time: first.time });
}
