// Raster plan nodes: immutable plain data built by LazyRaster, resolved (file headers read), optimized (bands pushed
// into reads) and lowered to raster tasks. A frame plan holds a raster through a `fromRaster` node; a raster holds a
// frame through `rasterize` (of type F here; nodes.ts closes the loop with F = PlanNode).
import type { ExprNode } from "@tessera/expr";
import type { CogWriteOptions } from "@tessera/ops";
import type { Colormap, Grid, PixelStat, RasterMeta, RasterizeAgg, Resampling, StackItem, StackMeta, ZonalStat, ZoneRule } from "@tessera/raster";

/** What the user named: one GeoTIFF, or a time stack of GeoTIFFs on one grid. */
export type RasterSource =
  | { readonly format: "geotiff"; readonly url: string }
  | { readonly format: "stack"; readonly items: readonly StackItem[] };

/** A source with its headers read: grid, bands, pixel type, blocks, overviews (the stack's from its first file). */
export type ResolvedRasterSource =
  | { readonly format: "geotiff"; readonly url: string; readonly meta: RasterMeta }
  | { readonly format: "stack"; readonly items: readonly StackItem[]; readonly meta: StackMeta; readonly first: RasterMeta };

/**
 * A raster read. `bands` is the user's selection (null: every band, in file order); `pushed` the bands the plan
 * actually needs, set by the band pushdown (null: not narrowed). `chunkSize` is the wanted chunk side in pixels
 * (chunks are whole multiples of the file's blocks); `overview` picks a reduced-resolution level (null: full).
 */
export interface RasterScanNode {
  readonly kind: "rasterScan";
  readonly source: RasterSource | ResolvedRasterSource;
  readonly chunkSize: number;
  readonly bands: readonly string[] | null;
  readonly overview: number | null;
  readonly pushed: readonly string[] | null;
}

export type RasterNodeOf<F> =
  | RasterScanNode
  /** Band math: one band per expression (`append`: added to, or replacing same-named, input bands). */
  | { readonly kind: "bandMath"; readonly input: RasterNodeOf<F>; readonly exprs: readonly ExprNode[]; readonly append: boolean }
  /** Resampling onto a given grid. */
  | { readonly kind: "regrid"; readonly input: RasterNodeOf<F>; readonly grid: Grid; readonly method: Resampling }
  /** Resampling into another CRS, onto gdalwarp's suggested grid (or that extent at `resolution`). */
  | { readonly kind: "reproject"; readonly input: RasterNodeOf<F>; readonly crs: string; readonly method: Resampling; readonly resolution: readonly [number, number] | null }
  /** Per-pixel statistics over the time dimension: bands `${band}_${stat}`, no time dimension left. */
  | { readonly kind: "reduceTime"; readonly input: RasterNodeOf<F>; readonly stats: readonly PixelStat[] }
  /** Rows to cells: the frame's points (x/y columns, in `crs`, null: the grid's) binned into `grid` with `agg`. */
  | {
    readonly kind: "rasterize"; readonly frame: F; readonly grid: Grid; readonly x: string; readonly y: string; readonly crs: string | null;
    readonly value: string | null; readonly agg: RasterizeAgg; readonly name: string; readonly chunkSize: number;
  };

export type RasterKind = RasterNodeOf<unknown>["kind"];

/** How a raster becomes a frame (the `view` of a fromRaster plan node). */
export type RasterView =
  /** One row per cell: col, row, x, y, (lon, lat), (time), bands. */
  | { readonly t: "rows"; readonly lonLat: boolean; readonly dropInvalid: boolean }
  /** Statistics of each zone's cells per band (and time): zone, (time), band, stats. `zones` in `crs` coordinates. */
  | {
    readonly t: "zonal"; readonly zones: readonly { readonly id: string | number; readonly polygons: readonly (readonly (readonly (readonly number[])[])[])[] }[];
    readonly crs: string; readonly stats: readonly ZonalStat[]; readonly rule: ZoneRule;
  }
  /** Statistics over all cells per band (and time): (time), band, stats. */
  | { readonly t: "stats"; readonly stats: readonly ZonalStat[] };

/** The frame plan node holding a raster (see PlanNode). */
export interface FromRasterNodeOf<F> {
  readonly kind: "fromRaster";
  readonly raster: RasterNodeOf<F>;
  readonly view: RasterView;
}

/** Where a raster job's result goes. */
export type RasterSink =
  /** A Cloud-Optimized GeoTIFF at `url`, written in one put. */
  | { readonly t: "geotiff"; readonly url: string; readonly options: CogWriteOptions }
  /** z/x/y web-mercator tiles below `url` and a `_SUCCESS` manifest written last. */
  | {
    readonly t: "tiles"; readonly url: string; readonly token: string; readonly minZoom: number; readonly maxZoom: number; readonly format: "png" | "f32";
    readonly colormap: Colormap | null; readonly resampling: Resampling; readonly band: string | null; readonly tileSize: number;
  };

/** A raster job's root: its input raster written to a sink. */
export interface RasterSinkNodeOf<F> {
  readonly kind: "rasterSink";
  readonly input: RasterNodeOf<F>;
  readonly sink: RasterSink;
}

/** The raster input of a raster node (null for sources). */
export function rasterInput<F>(n: RasterNodeOf<F>): RasterNodeOf<F> | null {
  switch (n.kind) {
    case "rasterScan": case "rasterize": return null;
    default: return n.input;
  }
}

/** `n` with its raster input replaced. */
export function withRasterInput<F>(n: RasterNodeOf<F>, input: RasterNodeOf<F>): RasterNodeOf<F> {
  switch (n.kind) {
    case "rasterScan": case "rasterize": return n;
    default: return { ...n, input };
  }
}

/** True once the source's headers are read. */
export function isResolvedRaster(s: RasterSource | ResolvedRasterSource): s is ResolvedRasterSource {
  return "meta" in s;
}

/** The file(s) a raster reads, for error messages: the first file and how many more. */
export function rasterFiles<F>(n: RasterNodeOf<F>): string {
  switch (n.kind) {
    case "rasterScan": {
      const s = n.source;
      if (s.format === "geotiff") return s.url;
      const first = s.items[0]?.url ?? "(empty stack)";
      return s.items.length > 1 ? `${first} (and ${s.items.length - 1} more stack files)` : first;
    }
    case "rasterize": return "a rasterized frame";
    default: return rasterFiles(n.input);
  }
}

/**
 * True when `n` is per-pixel work (band math) over a source that can make any window on demand (a file read): then a
 * warp reads each chunk's source window, halo included, directly, and nothing is mosaicked.
 */
export function windowsOnDemand<F>(n: RasterNodeOf<F>): boolean {
  switch (n.kind) {
    case "rasterScan": return true;
    case "rasterize": return false;
    case "bandMath": return windowsOnDemand(n.input);
    default: return false;
  }
}
