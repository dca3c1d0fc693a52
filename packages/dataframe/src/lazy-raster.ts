// LazyRaster: a raster query as an immutable plan, beside LazyFrame; methods only build nodes, terminals run them on
// the same client, scheduler and workers as frames.
import { PlanError } from "@tessera/common";
import type { Expr } from "@tessera/expr";
import { col, exprOrCol } from "@tessera/expr";
import type { RasterInfo, RasterNode } from "@tessera/plan";
import { explainRaster, prepareRaster } from "@tessera/plan";
import type { Grid, PixelStat, Resampling, ZonalStat, ZoneRule } from "@tessera/raster";
import { ZONAL_STATS, zonesFromGeoJson } from "@tessera/raster";
import type { ExecOptions } from "./execute.js";
import { LazyFrame } from "./lazy-frame.js";
import type { GeoTiffWriteResult, SinkGeoTiffOptions, SinkRasterTilesOptions, TilesWriteResult } from "./raster-execute.js";
import { collectRaster, sinkGeoTiffPlan, sinkTilesPlan } from "./raster-execute.js";
import type { RasterResult } from "./raster-result.js";

export interface ZonalStatsOptions {
  /** Statistics per zone and band (default count, sum, mean, min, max). */
  readonly stats?: readonly ZonalStat[];
  /** "center": cells whose centre lies inside (default); "allTouched": also every cell an edge touches (gdal_rasterize -at). */
  readonly rule?: ZoneRule;
  /** The feature property naming each zone (default: the feature's id, else its index). */
  readonly idProperty?: string;
  /** The zones' CRS (default EPSG:4326, as GeoJSON). */
  readonly crs?: string;
}

const DEFAULT_STATS: readonly ZonalStat[] = ["count", "sum", "mean", "min", "max"];

export class LazyRaster {
  constructor(readonly plan: RasterNode) {}

  /** A band as an expression for band math: `r.band("nir").sub(r.band("red"))`. */
  band(name: string): Expr {
    return col(name);
  }

  /** Band math: one output band per expression (named by its alias), evaluated per pixel, fused per chunk. */
  select(...exprs: (Expr | string)[]): LazyRaster {
    return new LazyRaster({ kind: "bandMath", input: this.plan, exprs: exprs.map(exprOrCol), append: false });
  }
  /** Band math adding bands (or replacing same-named ones), keeping the others. */
  withBands(...exprs: (Expr | string)[]): LazyRaster {
    return new LazyRaster({ kind: "bandMath", input: this.plan, exprs: exprs.map(exprOrCol), append: true });
  }
  /** Resampled onto `grid` ({ crs, transform, width, height }), following gdalwarp's rules for each method. */
  regrid(grid: Grid, opts: { method?: Resampling } = {}): LazyRaster {
    return new LazyRaster({ kind: "regrid", input: this.plan, grid, method: opts.method ?? "nearest" });
  }
  /** Reprojected into `crs`, onto the grid gdalwarp would choose (or its extent at `resolution` CRS units per pixel). */
  reproject(crs: string, opts: { method?: Resampling; resolution?: number | readonly [number, number] } = {}): LazyRaster {
    const r = opts.resolution;
    const resolution: readonly [number, number] | null = r === undefined ? null : typeof r === "number" ? [r, r] : [r[0], r[1]];
    return new LazyRaster({ kind: "reproject", input: this.plan, crs, method: opts.method ?? "nearest", resolution });
  }
  /** Per-pixel statistics over time: bands `${band}_${stat}`, no time dimension left. */
  reduceTime(opts: { stats: readonly PixelStat[] }): LazyRaster {
    return new LazyRaster({ kind: "reduceTime", input: this.plan, stats: [...opts.stats] });
  }

  /** Statistics over all valid cells, one row per band (and time): (time), band, stats. Exact for any chunking. */
  reduceSpace(opts: { stats?: readonly ZonalStat[] } = {}): LazyFrame {
    return new LazyFrame({ kind: "fromRaster", raster: this.plan, view: { t: "stats", stats: [...(opts.stats ?? ZONAL_STATS)] } });
  }
  /**
   * Statistics of each zone's cells (GeoJSON Polygon / MultiPolygon features, holes kept), one row per zone, band
   * (and time): zone, (time), band, stats. Only the chunks under zones are read.
   */
  zonalStats(zones: unknown, opts: ZonalStatsOptions = {}): LazyFrame {
    const parsed = zonesFromGeoJson(zones, opts.idProperty === undefined ? {} : { idProperty: opts.idProperty });
    return new LazyFrame({
      kind: "fromRaster", raster: this.plan,
      view: { t: "zonal", zones: parsed, crs: opts.crs ?? "EPSG:4326", stats: [...(opts.stats ?? DEFAULT_STATS)], rule: opts.rule ?? "center" },
    });
  }
  /** One row per cell: col, row, x, y (the centre, in the grid's CRS), lon, lat, time (stacks), then the bands. */
  toFrame(opts: { lonLat?: boolean; dropInvalid?: boolean } = {}): LazyFrame {
    return new LazyFrame({ kind: "fromRaster", raster: this.plan, view: { t: "rows", lonLat: opts.lonLat ?? true, dropInvalid: opts.dropInvalid ?? false } });
  }

  /** The raster: its grid, bands, times and pixels (one whole-grid chunk per time slice). */
  collect(opts: ExecOptions = {}): Promise<RasterResult> { return collectRaster(this.plan, opts); }
  /** A Cloud-Optimized GeoTIFF at `url` (tiled, DEFLATE, predictors, overviews), written in one put. */
  sinkGeoTiff(url: string, opts: SinkGeoTiffOptions & ExecOptions = {}): Promise<GeoTiffWriteResult> { return sinkGeoTiffPlan(this.plan, url, opts); }
  /** z/x/y web-mercator tiles below `url`, then their `_SUCCESS` manifest, last. */
  sinkTiles(url: string, opts: SinkRasterTilesOptions & ExecOptions): Promise<TilesWriteResult> {
    if (typeof opts !== "object" || opts === null) throw new PlanError("BAD_OPTION", "sinkTiles needs { minZoom, maxZoom, format }");
    return sinkTilesPlan(this.plan, url, opts);
  }

  /** The plan, one node per line: chunking, halos, overviews used and bands pushed into the reads. */
  async explain(opts: { optimized?: boolean } = {}): Promise<string> {
    const p = await prepareRaster(this.plan);
    return explainRaster(opts.optimized === false ? p.resolved : p.optimized);
  }
  /** The raster's grid, bands (type, nodata), times and chunking, from the files' headers. */
  async info(): Promise<RasterInfo> {
    return (await prepareRaster(this.plan)).info;
  }
}
