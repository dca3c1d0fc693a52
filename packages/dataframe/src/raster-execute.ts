// Runs raster jobs: prepare (headers read, validated, bands narrowed), lower, execute; collect mosaics the chunks per
// time slice, sinkGeoTiff returns the file written, sinkTiles publishes the pyramid's manifest last.
import { randomBytes } from "node:crypto";
import { InternalError } from "@tessera/common";
import { normalizeUrl } from "@tessera/io";
import type { CogResult, CogWriteOptions } from "@tessera/ops";
import type { RasterNode, RasterSink, RasterSinkNode } from "@tessera/plan";
import { lowerRasterJob, prepareRaster } from "@tessera/plan";
import type { Colormap, RasterChunk, Resampling, TileManifest } from "@tessera/raster";
import { fullWindow, isRasterChunk, mosaicChunks, publishTiles, retractTiles } from "@tessera/raster";
import type { ExecOptions } from "./execute.js";
import { runGraph } from "./execute.js";
import { RasterResult } from "./raster-result.js";

export async function collectRaster(plan: RasterNode, opts: ExecOptions): Promise<RasterResult> {
  const prep = await prepareRaster(plan);
  const phys = lowerRasterJob(prep.optimized);
  const values = await runGraph(phys.graph, opts);
  const { grid, bands, times } = phys.info;
  const per = phys.outputs.length / times.length;
  const slices = times.map((_, t) => {
    const parts = phys.outputs.slice(t * per, (t + 1) * per).map((k) => {
      const c = values.get(k);
      if (!isRasterChunk(c)) throw new InternalError("RASTER_RESULT", `task ${k} returned no raster chunk`);
      return c;
    });
    return mosaicChunks(parts, grid, fullWindow(grid)) satisfies RasterChunk;
  });
  return new RasterResult(grid, bands.map((b) => b.name), times, slices);
}

export interface SinkGeoTiffOptions {
  /** COG tile side (a multiple of 16; default 256). */
  readonly tileSize?: number;
  readonly compression?: "deflate" | "none";
  /** zlib level 1–9 (default 6). */
  readonly level?: number;
  /** TIFF predictor; default 3 for float bands, 2 for integer ones. */
  readonly predictor?: 1 | 2 | 3;
  /** Overview factors (default: halve until one tile holds the image); [] for none. */
  readonly overviews?: readonly number[];
  readonly overviewResampling?: Resampling;
}

export interface SinkRasterTilesOptions {
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly format: "png" | "f32";
  /** PNG only: value → colour stops (8-bit bands are drawn as grey without one). */
  readonly colormap?: Colormap;
  /** How tiles resample the raster (default "nearest"). */
  readonly resampling?: Resampling;
  /** The band drawn (default: the first). */
  readonly band?: string;
  /** Tile side in pixels (default 256). */
  readonly tileSize?: number;
}

/** What a GeoTIFF sink wrote. */
export type GeoTiffWriteResult = CogResult;

/** What a tile sink wrote: the pyramid's url, its manifest's url, and the tiles' count and bytes. */
export interface TilesWriteResult {
  readonly url: string;
  readonly manifest: string;
  readonly tiles: number;
  readonly bytes: number;
}

async function runSink(node: RasterSinkNode, opts: ExecOptions): Promise<unknown> {
  const prep = await prepareRaster(node);
  const phys = lowerRasterJob(prep.optimized);
  const out = await runGraph(phys.graph, opts);
  return out.get(phys.outputs[0] as string);
}

/** Writes the raster as one Cloud-Optimized GeoTIFF at `url`, in one put: the whole file or none. */
export async function sinkGeoTiffPlan(plan: RasterNode, url: string, opts: SinkGeoTiffOptions & ExecOptions): Promise<GeoTiffWriteResult> {
  const options: CogWriteOptions = {
    tileSize: opts.tileSize ?? 256, compression: opts.compression ?? "deflate", level: opts.level ?? 6, predictor: opts.predictor ?? null,
    overviews: opts.overviews === undefined ? null : [...opts.overviews], overviewResampling: opts.overviewResampling ?? "nearest",
  };
  const sink: RasterSink = { t: "geotiff", url: normalizeUrl(url), options };
  return (await runSink({ kind: "rasterSink", input: plan, sink }, opts)) as CogResult;
}

/**
 * Writes z/x/y web-mercator tiles below `url` (XYZ scheme, `z/x/y.png` or `.f32`), then the pyramid's `_SUCCESS`
 * manifest, last. The previous manifest is removed before any tile is written, so while tiles are replaced in place
 * (and after a failed job) nothing claims the pyramid is whole; tiles the new pyramid does not list are deleted.
 */
export async function sinkTilesPlan(plan: RasterNode, url: string, opts: SinkRasterTilesOptions & ExecOptions): Promise<TilesWriteResult> {
  const dir = normalizeUrl(url).replace(/\/+$/, "");
  const sink: RasterSink = {
    t: "tiles", url: dir, token: randomBytes(6).toString("hex"), minZoom: opts.minZoom, maxZoom: opts.maxZoom, format: opts.format,
    colormap: opts.colormap ?? null, resampling: opts.resampling ?? "nearest", band: opts.band ?? null, tileSize: opts.tileSize ?? 256,
  };
  const node: RasterSinkNode = { kind: "rasterSink", input: plan, sink };
  const prep = await prepareRaster(node);
  const phys = lowerRasterJob(prep.optimized);
  const previous = await retractTiles(dir);
  const out = await runGraph(phys.graph, opts);
  const manifest = out.get(phys.outputs[0] as string) as TileManifest;
  await publishTiles(dir, manifest, previous);
  return { url: dir, manifest: `${dir}/_SUCCESS`, tiles: manifest.tiles.length, bytes: manifest.bytes };
}
