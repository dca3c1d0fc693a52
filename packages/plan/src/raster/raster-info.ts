// What a raster node produces, known at plan time from the files' headers: grid, bands (type, nodata), times and
// chunking. Computing it validates the node: unknown bands, CRSs that cannot be transformed and bad grids fail here
// with a coded PlanError naming the band, CRS or grid and the file, before any task runs.
import type { Schema } from "@tessera/common";
import { PlanError, checkChoice, isNumeric, isTesseraError } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { lookupField, outputName } from "@tessera/expr";
import type { BandSpec } from "@tessera/ops";
import type { Grid, RasterLevel } from "@tessera/raster";
import {
  PIXEL_STATS, RASTERIZE_AGGS, bandMathBands, checkResampling, chunkShape, crsTransform, fullWindow, invertAffine, isFloatDType, makeGrid, planWarp,
  suggestGrid,
} from "@tessera/raster";
import type { PlanNode, RasterNode } from "../nodes.js";
import type { RasterScanNode } from "./raster-nodes.js";
import { isResolvedRaster, rasterFiles } from "./raster-nodes.js";

/** A raster's shape as plain data. */
export interface RasterInfo {
  readonly grid: Grid;
  readonly bands: readonly BandSpec[];
  /** One entry per time slice (ms since the epoch), [null] for a raster without a time dimension. */
  readonly times: readonly (number | null)[];
  /** The chunk shape (for file reads, a whole multiple of the file's blocks) and the side it was asked for. */
  readonly chunk: { readonly width: number; readonly height: number };
  readonly chunkSize: number;
  /** The file(s) the raster comes from, for error messages. */
  readonly where: string;
}

/** The schema of a frame plan, supplied by the caller (schema.ts), so this module needs no import of it. */
export type FrameSchema = (p: PlanNode) => Schema;

/** The level a scan reads: the full image (overview null or 0) or the k-th overview. */
export function scanLevel(n: RasterScanNode): RasterLevel {
  const s = n.source;
  if (!isResolvedRaster(s)) throw new PlanError("UNRESOLVED_SOURCE", "the raster's headers must be read before its shape is known");
  const meta = s.format === "geotiff" ? s.meta : s.first;
  const k = n.overview ?? 0;
  if (!Number.isInteger(k) || k < 0) throw new PlanError("RASTER_BAD_OVERVIEW", `overview must be a whole number >= 0, got ${String(n.overview)}`);
  if (k === 0) return { grid: meta.grid, block: meta.block, tiled: meta.tiled };
  const level = meta.overviews[k - 1];
  if (level === undefined) {
    throw new PlanError("RASTER_NO_OVERVIEW", `${rasterFiles(n)} has no overview ${k}; it has ${meta.overviews.length}`, { url: meta.url, overview: k });
  }
  return level;
}

/** An unknown band (or column in band math) as RASTER_UNKNOWN_BAND naming the band and the file. */
function unknownBand(name: string, bands: readonly string[], where: string): PlanError {
  return new PlanError("RASTER_UNKNOWN_BAND", `band "${name}" not found in ${where}; bands: ${bands.join(", ")}`, { band: name, bands: [...bands], where });
}

/** A grid a user gave: whole positive sizes, finite and invertible transform, a CRS string. */
export function checkGrid(g: Grid, what: string): Grid {
  if (typeof g !== "object" || g === null || typeof g.crs !== "string" || !Array.isArray(g.transform)) {
    throw new PlanError("RASTER_BAD_GRID", `${what}: a grid is { crs, transform: [6 numbers], width, height }`);
  }
  const grid = makeGrid(g.crs, g.transform, g.width, g.height);
  if (grid.width === 0 || grid.height === 0) throw new PlanError("RASTER_BAD_GRID", `${what}: grid of ${grid.width}×${grid.height} pixels is empty`);
  try {
    invertAffine(grid.transform);
  } catch {
    throw new PlanError("RASTER_BAD_GRID", `${what}: grid transform [${grid.transform.join(", ")}] is singular (cannot be inverted)`);
  }
  return grid;
}

/** Both CRSs known and transformable into each other (or both unknown: the same pixel space). */
export function checkCrsPair(from: string, to: string, where: string): void {
  if (from === "" && to === "") return;
  if (from === "" || to === "") {
    throw new PlanError("RASTER_UNKNOWN_CRS", `${where} ${from === "" ? "has no CRS" : `is in ${from}`}; cannot map it to ${to === "" ? "a grid without a CRS" : to}`, { where });
  }
  crsTransform(from, to, where);
}

/** The full band math expressions of a node (for `append`: every input band kept, replaced in place, new ones last). */
export function bandMathExprs(exprs: readonly ExprNode[], append: boolean, input: readonly BandSpec[]): ExprNode[] {
  if (!append) return [...exprs];
  const names = exprs.map(outputName);
  const out: ExprNode[] = input.map((b) => {
    const i = names.indexOf(b.name);
    return i >= 0 ? (exprs[i] as ExprNode) : { op: "col", name: b.name };
  });
  exprs.forEach((e, i) => { if (!input.some((b) => b.name === names[i])) out.push(e); });
  return out;
}

function warpedBands(bands: readonly BandSpec[]): BandSpec[] {
  return bands.map((b) => ({ ...b, nodata: b.nodata ?? (isFloatDType(b.dtype) ? Number.NaN : null) }));
}

/**
 * A warp's target chunk: sized so that each chunk reads about `chunkSize` source pixels across and down (a 4×
 * coarser target gets chunks of chunkSize / 4), which bounds each task's memory and gives every thread work; at least
 * 16 and at most 4 × chunkSize target pixels.
 */
export function warpChunkShape(chunkSize: number, scale: readonly [number, number]): { width: number; height: number } {
  const side = (s: number): number => Math.min(4 * chunkSize, Math.max(16, Math.round(chunkSize * s)));
  return { width: side(scale[0]), height: side(scale[1]) };
}

/** The output of a warp from `src` onto `dst`, checking that the grid overlaps the input. */
function warpInfo(src: RasterInfo, dst: Grid, method: string, what: string): RasterInfo {
  const m = checkResampling(method);
  checkCrsPair(src.grid.crs, dst.crs, src.where);
  const { scale, tasks } = planWarp(src.grid, dst, m, [fullWindow(dst)], src.where);
  if (tasks[0]?.srcWindow === null) {
    throw new PlanError("RASTER_NO_OVERLAP", `${what}: the grid (${dst.crs} ${dst.width}×${dst.height} at [${dst.transform.join(", ")}]) does not overlap ${src.where}`);
  }
  return { ...src, grid: dst, bands: warpedBands(src.bands), chunk: warpChunkShape(src.chunkSize, scale) };
}

/** The grid of a reprojection: gdalwarp's suggested grid, or its extent at the given resolution (as gdalwarp -tr). */
export function reprojectGrid(src: Grid, crs: string, resolution: readonly [number, number] | null, where: string): Grid {
  checkCrsPair(src.crs, crs, where);
  const g = suggestGrid(src, crs, where);
  if (resolution === null) return g;
  const [rx, ry] = resolution;
  if (!(rx > 0 && ry > 0 && Number.isFinite(rx) && Number.isFinite(ry))) throw new PlanError("RASTER_BAD_GRID", `reproject resolution must be two positive numbers, got [${resolution.join(", ")}]`);
  const t = g.transform;
  const minX = t[0];
  const maxY = t[3];
  const maxX = t[0] + g.width * t[1];
  const minY = t[3] + g.height * t[5];
  const width = Math.max(1, Math.trunc((maxX - minX + rx / 2) / rx));
  const height = Math.max(1, Math.trunc((maxY - minY + ry / 2) / ry));
  return makeGrid(crs, [minX, rx, 0, maxY, 0, -ry], width, height);
}

function checkChunkSize(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 1 << 16) throw new PlanError("RASTER_BAD_CHUNK_SIZE", `chunkSize must be a whole number of pixels in 1..65536, got ${String(n)}`);
  return n;
}

function scanInfo(n: RasterScanNode): RasterInfo {
  const s = n.source;
  const where = rasterFiles(n);
  if (!isResolvedRaster(s)) throw new PlanError("UNRESOLVED_SOURCE", "the raster's headers must be read before its shape is known");
  const meta = s.format === "geotiff" ? s.meta : s.first;
  const level = scanLevel(n);
  const names = meta.bands;
  const chosen = n.bands ?? names;
  for (const b of chosen) if (!names.includes(b)) throw unknownBand(b, names, where);
  const read = n.pushed ?? chosen;
  for (const b of read) if (!chosen.includes(b)) throw unknownBand(b, chosen, where);
  const chunkSize = checkChunkSize(n.chunkSize);
  return {
    grid: level.grid, chunk: chunkShape(level.block, chunkSize), chunkSize, where,
    bands: read.map((name) => ({ name, dtype: meta.dtype, nodata: meta.nodata })),
    times: s.format === "geotiff" ? [null] : s.meta.items.map((it) => it.time),
  };
}

/** The shape of `n`; `frameSchema` types the frames rasterize reads. Memoized per node object. */
export function rasterInfo(n: RasterNode, frameSchema: FrameSchema, memo: WeakMap<RasterNode, RasterInfo> = new WeakMap()): RasterInfo {
  const hit = memo.get(n);
  if (hit !== undefined) return hit;
  const info = computeInfo(n, frameSchema, memo);
  memo.set(n, info);
  return info;
}

function computeInfo(n: RasterNode, frameSchema: FrameSchema, memo: WeakMap<RasterNode, RasterInfo>): RasterInfo {
  checkChoice("UNKNOWN_PLAN_NODE", "raster node", (n as { kind?: unknown }).kind, ["rasterScan", "bandMath", "regrid", "reproject", "reduceTime", "rasterize"]);
  switch (n.kind) {
    case "rasterScan": return scanInfo(n);
    case "bandMath": {
      const input = rasterInfo(n.input, frameSchema, memo);
      const exprs = bandMathExprs(n.exprs, n.append, input.bands);
      let out: { name: string; dtype: BandSpec["dtype"] }[];
      try {
        out = bandMathBands(input.bands, exprs);
      } catch (e) {
        if (isTesseraError(e) && e.code === "COLUMN_NOT_FOUND") throw unknownBand(String(e.details?.["column"]), input.bands.map((b) => b.name), input.where);
        throw e;
      }
      const seen = new Set<string>();
      for (const b of out) {
        if (seen.has(b.name)) throw new PlanError("RASTER_DUPLICATE_BAND", `band math makes band "${b.name}" twice; use alias() to rename one`, { band: b.name });
        seen.add(b.name);
      }
      return { ...input, bands: out.map((b) => ({ ...b, nodata: isFloatDType(b.dtype) ? Number.NaN : null })) };
    }
    case "regrid": {
      const input = rasterInfo(n.input, frameSchema, memo);
      return warpInfo(input, checkGrid(n.grid, `regrid of ${input.where}`), n.method, `regrid of ${input.where}`);
    }
    case "reproject": {
      const input = rasterInfo(n.input, frameSchema, memo);
      if (typeof n.crs !== "string" || n.crs.trim() === "") throw new PlanError("RASTER_BAD_CRS", `reproject needs a CRS such as "EPSG:3857", got ${JSON.stringify(n.crs)}`);
      const grid = reprojectGrid(input.grid, n.crs, n.resolution, input.where);
      return warpInfo(input, grid, n.method, `reproject of ${input.where}`);
    }
    case "reduceTime": {
      const input = rasterInfo(n.input, frameSchema, memo);
      for (const s of n.stats) checkChoice("RASTER_BAD_STAT", "time statistic", s, PIXEL_STATS);
      if (n.stats.length === 0) throw new PlanError("RASTER_BAD_STAT", `reduceTime needs at least one statistic of ${PIXEL_STATS.join(", ")}`);
      const bands = input.bands.flatMap((b) => n.stats.map((s) => ({ name: `${b.name}_${s}`, dtype: "float64" as const, nodata: Number.NaN })));
      return { ...input, bands, times: [null] };
    }
    case "rasterize": {
      const grid = checkGrid(n.grid, "rasterize");
      const fields = frameSchema(n.frame);
      checkChoice("RASTER_BAD_AGG", "rasterize aggregation", n.agg, RASTERIZE_AGGS);
      const numeric = (col: string, what: string): void => {
        const f = lookupField(fields, col);
        if (!isNumeric(f.type)) throw new PlanError("TYPE_MISMATCH", `rasterize ${what} column "${col}" must be numeric, got ${f.type}`, { column: col });
      };
      numeric(n.x, "x");
      numeric(n.y, "y");
      if (n.agg !== "count") {
        if (n.value === null) throw new PlanError("RASTER_BAD_AGG", `rasterize with agg "${n.agg}" needs a value column`);
        numeric(n.value, "value");
      }
      checkCrsPair(n.crs ?? grid.crs, grid.crs, "the rasterized frame's coordinates");
      const chunkSize = checkChunkSize(n.chunkSize);
      return {
        grid, bands: [{ name: n.name, dtype: "float64", nodata: n.agg === "count" ? null : Number.NaN }], times: [null],
        chunk: { width: chunkSize, height: chunkSize }, chunkSize, where: "a rasterized frame",
      };
    }
  }
}
