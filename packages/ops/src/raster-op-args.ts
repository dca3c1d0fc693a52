// The raster ops' args: a chunk task (a source plus fused per-chunk steps), merge trees for zonal and spatial
// statistics, and the COG and tile writers. Plain data, as every op's args are.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type {
  Colormap, Grid, PixelStat, PixelZone, RasterDType, RasterizeAgg, Resampling, TileId, Window, ZonalStat, ZoneRule,
} from "@tessera/raster";

/** A band as a plan knows it: its name, pixel type and nodata value (null: none). */
export interface BandSpec {
  readonly name: string;
  readonly dtype: RasterDType;
  readonly nodata: number | null;
}

/** Where a chunk task's chunk comes from. */
export type ChunkSource =
  /** A window of a GeoTIFF (halo included when a warp follows): band indices, overview level (0: full resolution). */
  | { readonly type: "read"; readonly url: string; readonly window: Window; readonly bands: readonly number[]; readonly overview: number; readonly time: number | null }
  /** The task's inputs (chunks of `grid`) cut and pasted onto `window`; pixels none of them covers are invalid. */
  | { readonly type: "mosaic"; readonly grid: Grid; readonly window: Window; readonly bands: readonly BandSpec[]; readonly time: number | null }
  /** A window nothing maps to: every pixel invalid. */
  | { readonly type: "blank"; readonly grid: Grid; readonly window: Window; readonly bands: readonly BandSpec[]; readonly time: number | null }
  /**
   * Rows to cells: the task's inputs are Batches (a frame's partitions, in order), each binned into `window` of
   * `grid` by its x/y columns (in `crs`, null: the grid's), merged in input order and finalized as `agg` in band `name`.
   */
  | {
    readonly type: "rasterize"; readonly grid: Grid; readonly window: Window; readonly x: string; readonly y: string; readonly crs: string | null;
    readonly value: string | null; readonly agg: RasterizeAgg; readonly name: string;
  }
  /** Per-pixel time statistics: the task's inputs are the slices' state chunks in time order, folded left, finalized. */
  | { readonly type: "timeMerge"; readonly stats: readonly PixelStat[] };

/** A per-chunk step. The first three keep a chunk; the others end the task with another kind of value. */
export type RasterStep =
  /** One output band per expression (named by its alias), over the chunk's bands as nullable columns. */
  | { readonly t: "bandMath"; readonly exprs: readonly ExprNode[] }
  /** Resamples the chunk (a window of `srcGrid` holding every pixel needed) onto `dstWindow` of `dstGrid`. */
  | {
    readonly t: "warp"; readonly srcGrid: Grid; readonly dstGrid: Grid; readonly dstWindow: Window; readonly method: Resampling;
    readonly scale: readonly [number, number];
  }
  /** The chunk as a per-pixel time-reduction state (count, sums, min, max per band). */
  | { readonly t: "timePartial" }
  /** Terminal: each zone's reduction state per band (zones in the chunk grid's pixel space). */
  | { readonly t: "zonalPartial"; readonly zones: readonly PixelZone[]; readonly rule: ZoneRule; readonly bands: readonly string[] }
  /** Terminal: the chunk's reduction state per band. */
  | { readonly t: "spacePartial"; readonly bands: readonly string[] }
  /** Terminal: one row per pixel, as a Batch with exactly `fields`. */
  | { readonly t: "toRows"; readonly bands: readonly string[]; readonly lonLat: boolean; readonly dropInvalid: boolean; readonly fields: Schema };

/** Args of "raster-chunk": a chunk from `source`, then `steps` in order (fused: one task per chunk). */
export interface RasterChunkArgs {
  readonly source: ChunkSource;
  readonly steps: readonly RasterStep[];
}

/** Args of "raster-zonal-merge": merges zonal partial rows; with `finalize`, returns the statistics as a Batch. */
export interface ZonalMergeArgs {
  readonly finalize: {
    readonly zones: readonly (string | number)[];
    readonly bands: readonly string[];
    readonly stats: readonly ZonalStat[];
    /** The times rows are made for ([null] outside time stacks). */
    readonly times: readonly (number | null)[];
    readonly fields: Schema;
  } | null;
}

/** Args of "raster-space-merge": merges spatial partial states; with `finalize`, returns rows (time?, band, stats). */
export interface SpaceMergeArgs {
  readonly finalize: { readonly stats: readonly ZonalStat[]; readonly fields: Schema } | null;
}

/** How a COG is written (every field given: lowering fills in the defaults). */
export interface CogWriteOptions {
  readonly tileSize: number;
  readonly compression: "deflate" | "none";
  readonly level: number;
  readonly predictor: 1 | 2 | 3 | null;
  /** Overview factors; null: halve until one tile holds the image. */
  readonly overviews: readonly number[] | null;
  readonly overviewResampling: Resampling;
}

/** Args of "raster-cog": the inputs are chunks covering `grid`; one COG is encoded and put at `url` in one write. */
export interface CogArgs {
  readonly url: string;
  readonly grid: Grid;
  readonly bands: readonly BandSpec[];
  readonly options: CogWriteOptions;
}

/** What "raster-cog" returns. */
export interface CogResult {
  readonly url: string;
  readonly bytes: number;
}

/** Args of "raster-tile": the input is one chunk on the tile's grid; band `band` is encoded and put at url/z/x/y.ext. */
export interface TileArgs {
  readonly url: string;
  readonly tile: TileId;
  readonly format: "png" | "f32";
  readonly colormap: Colormap | null;
  readonly band: number;
}

/** What "raster-tile" returns: the object's path below the pyramid's url and its size. */
export interface TileWritten {
  readonly path: string;
  readonly bytes: number;
}

/** Args of "raster-tile-commit": checks every tile the inputs wrote exists with its size, and returns the manifest. */
export interface TileCommitArgs {
  readonly url: string;
  readonly token: string;
  readonly format: "png" | "f32";
  readonly minZoom: number;
  readonly maxZoom: number;
}

/** The raster op names and their args (merged into OpArgs). */
export interface RasterOpArgs {
  readonly "raster-chunk": RasterChunkArgs;
  readonly "raster-zonal-merge": ZonalMergeArgs;
  readonly "raster-space-merge": SpaceMergeArgs;
  readonly "raster-cog": CogArgs;
  readonly "raster-tile": TileArgs;
  readonly "raster-tile-commit": TileCommitArgs;
}
