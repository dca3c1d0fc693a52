// Raster sources: a GeoTIFF/COG, a time stack of them, and a frame's rows binned into a grid (headers and frames are
// read at plan time, when a terminal runs).
import { PlanError } from "@tessera/common";
import type { Grid, RasterizeAgg } from "@tessera/raster";
import { LazyRaster } from "./lazy-raster.js";
import type { LazyFrame } from "./lazy-frame.js";

export interface OpenRasterOptions {
  /** Wanted chunk side in pixels (default 512); chunks are whole multiples of the file's tiles or strips. */
  readonly chunkSize?: number;
  /** Bands to read, by name (descriptions GDAL stored, else "b1", "b2", ...), in this order; default all. */
  readonly bands?: readonly string[];
  /** Read the k-th overview (reduced-resolution level) instead of the full image; default none. */
  readonly overview?: number;
}

export const DEFAULT_CHUNK_SIZE = 512;

/** A GeoTIFF or COG (`file://`, plain paths, `s3://`, `memory://`), read by ranged requests. */
export function openRaster(url: string, opts: OpenRasterOptions = {}): LazyRaster {
  return new LazyRaster({
    kind: "rasterScan", source: { format: "geotiff", url }, chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
    bands: opts.bands === undefined ? null : [...opts.bands], overview: opts.overview ?? null, pushed: null,
  });
}

function timeOf(t: unknown, url: string): number {
  const ms = t instanceof Date ? t.getTime() : typeof t === "string" ? Date.parse(t) : t;
  if (typeof ms !== "number" || !Number.isFinite(ms)) throw new PlanError("RASTER_BAD_TIME", `stack file ${url} needs a time (a Date, ms since the epoch or an ISO string), got ${JSON.stringify(t)}`);
  return ms;
}

/** GeoTIFFs on one grid, one per time: a raster with a time dimension (time, band, y, x), slices sorted by time. */
export function openRasterStack(items: readonly { url: string; time: Date | number | string }[], opts: OpenRasterOptions = {}): LazyRaster {
  if (!Array.isArray(items) || items.length === 0) throw new PlanError("RASTER_EMPTY_STACK", "openRasterStack needs at least one { url, time }");
  return new LazyRaster({
    kind: "rasterScan", source: { format: "stack", items: items.map((it) => ({ url: it.url, time: timeOf(it.time, it.url) })) },
    chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE, bands: opts.bands === undefined ? null : [...opts.bands], overview: opts.overview ?? null, pushed: null,
  });
}

export interface RasterizeOptions {
  /** The column aggregated per cell (not needed for "count"). */
  readonly value?: string;
  /** count (default), sum, mean, min or max of the rows falling in each cell. */
  readonly agg?: RasterizeAgg;
  /** Coordinate columns (default "x" and "y"), in `crs` (default: the grid's). */
  readonly x?: string;
  readonly y?: string;
  readonly crs?: string;
  /** The band's name (default: the value column, or "count"). */
  readonly name?: string;
  readonly chunkSize?: number;
}

/** The frame's rows as cells of `grid`: each row lands in the cell holding its point, aggregated per cell. */
export function rasterize(frame: LazyFrame, grid: Grid, opts: RasterizeOptions = {}): LazyRaster {
  const agg = opts.agg ?? "count";
  return new LazyRaster({
    kind: "rasterize", frame: frame.plan, grid, x: opts.x ?? "x", y: opts.y ?? "y", crs: opts.crs ?? null, value: opts.value ?? null, agg,
    name: opts.name ?? (agg === "count" ? "count" : opts.value ?? agg), chunkSize: opts.chunkSize ?? DEFAULT_CHUNK_SIZE,
  });
}
