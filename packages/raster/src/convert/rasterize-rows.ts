// Rows to cells: points (x, y columns) binned into the pixels of a grid window with an aggregation, as partial
// state chunks (count, double-double sum, min, max per pixel) that merge in partition order, then finalize.
import { PlanError, assertNever } from "@tessera/common";
import type { Batch, NumColumn } from "@tessera/kernels";
import { getColumn, partitionIndices, takeBatch, toFloat64 } from "@tessera/kernels";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";
import type { Grid } from "../grid/grid.js";
import { windowGrid } from "../grid/grid.js";
import { invertAffine } from "../grid/affine.js";
import type { Window } from "../grid/window.js";
import { crsTransform } from "../warp/crs.js";

export type RasterizeAgg = "count" | "sum" | "mean" | "min" | "max";
export const RASTERIZE_AGGS: readonly RasterizeAgg[] = ["count", "sum", "mean", "min", "max"];
const AGGS = RASTERIZE_AGGS;

/** Column `name` of `b`, which rasterize needs numeric. */
function numericColumn(b: Batch, name: string): NumColumn {
  const c = getColumn(b, name);
  if (c.kind !== "num") throw new PlanError("RASTER_BAD_COLUMN", `rasterize needs a numeric column "${name}", got ${c.type}`);
  return c;
}

/** Plain-data arguments of "rasterize rows" (one partition's partial). */
export interface RasterizeArgs {
  readonly grid: Grid;
  readonly window: Window;
  /** Coordinate columns, in `crs` (the grid's CRS by default). */
  readonly x: string;
  readonly y: string;
  readonly crs?: string;
  /** The value column (not needed for count). */
  readonly value?: string;
}

const STATE_BANDS = ["count", "sum_hi", "sum_lo", "min", "max"];

/**
 * The partial state of one batch: per pixel of the window, the count of rows whose point falls in it (the pixel
 * containing the point; a point on an edge goes right and down, as gdal_rasterize burns points), their value's
 * double-double sum, min and max. Rows with a null coordinate or value are skipped.
 */
export function rasterizePartial(b: Batch, args: RasterizeArgs): RasterChunk {
  const w = args.window;
  const n = w.width * w.height;
  const [cnt, sh, sl, mn, mx] = STATE_BANDS.map(() => new Float64Array(n)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  mn.fill(Infinity);
  mx.fill(-Infinity);
  const xc = numericColumn(b, args.x);
  const yc = numericColumn(b, args.y);
  const vc = args.value === undefined ? null : numericColumn(b, args.value);
  const X = Float64Array.from(toFloat64(xc.values));
  const Y = Float64Array.from(toFloat64(yc.values));
  if (args.crs !== undefined) crsTransform(args.crs, args.grid.crs)(X, Y);
  const V = vc === null ? null : toFloat64(vc.values);
  const inv = invertAffine(args.grid.transform);
  for (let i = 0; i < b.length; i++) {
    if ((xc.valid !== null && xc.valid[i] === 0) || (yc.valid !== null && yc.valid[i] === 0)) continue;
    if (vc !== null && vc.valid !== null && vc.valid[i] === 0) continue;
    const x = X[i] as number; const y = Y[i] as number;
    const px = Math.floor(inv[0] + x * inv[1] + y * inv[2]) - w.x;
    const py = Math.floor(inv[3] + x * inv[4] + y * inv[5]) - w.y;
    if (!(px >= 0 && py >= 0 && px < w.width && py < w.height)) continue;
    const k = py * w.width + px;
    cnt[k] = (cnt[k] as number) + 1;
    if (V === null) continue;
    const v = V[i] as number;
    const a = sh[k] as number;
    const s = a + v;
    const bb = s - a;
    sh[k] = s;
    sl[k] = (sl[k] as number) + ((a - (s - bb)) + (v - bb));
    if (v < (mn[k] as number)) mn[k] = v;
    if (v > (mx[k] as number)) mx[k] = v;
  }
  return makeChunk({ grid: windowGrid(args.grid, w), window: w, bands: STATE_BANDS, data: [cnt, sh, sl, mn, mx] });
}

/** Merges two partial states (call in partition order for results independent of cluster size). */
export function rasterizeMerge(a: RasterChunk, b: RasterChunk): RasterChunk {
  const [ac, ah, al, amn, amx] = a.data.map((d) => (d as Float64Array).slice()) as Float64Array[];
  const [bc, bh, bl, bmn, bmx] = b.data as Float64Array[];
  for (let k = 0; k < ac!.length; k++) {
    ac![k] = (ac![k] as number) + (bc![k] as number);
    const x = ah![k] as number; const y = bh![k] as number;
    const s = x + y;
    const bb = s - x;
    ah![k] = s;
    al![k] = (al![k] as number) + (bl![k] as number) + ((x - (s - bb)) + (y - bb));
    if ((bmn![k] as number) < (amn![k] as number)) amn![k] = bmn![k] as number;
    if ((bmx![k] as number) > (amx![k] as number)) amx![k] = bmx![k] as number;
  }
  return makeChunk({ grid: a.grid, window: a.window, bands: STATE_BANDS, data: [ac!, ah!, al!, amn!, amx!] });
}

/** The aggregated band (named `name`): float64, invalid (NaN) where no row fell, except count which is 0 there. */
export function rasterizeFinalize(state: RasterChunk, agg: RasterizeAgg, name: string = agg): RasterChunk {
  if (!AGGS.includes(agg)) throw new PlanError("RASTER_BAD_AGG", `unknown rasterize aggregation "${agg}"; known: ${AGGS.join(", ")}`);
  const [cnt, sh, sl, mn, mx] = state.data as Float64Array[];
  const n = cnt!.length;
  const out = new Float64Array(n);
  const ok = new Uint8Array(n);
  for (let k = 0; k < n; k++) {
    const c = cnt![k] as number;
    if (agg === "count") { out[k] = c; ok[k] = 1; continue; }
    if (c === 0) { out[k] = Number.NaN; continue; }
    ok[k] = 1;
    switch (agg) {
      case "sum": out[k] = (sh![k] as number) + (sl![k] as number); break;
      case "mean": out[k] = ((sh![k] as number) + (sl![k] as number)) / c; break;
      case "min": out[k] = mn![k] as number; break;
      case "max": out[k] = mx![k] as number; break;
      default: assertNever(agg, "aggregation");
    }
  }
  return makeChunk({ grid: state.grid, window: state.window, bands: [name], data: [out], valid: [ok.indexOf(0) < 0 ? null : ok], nodata: [agg === "count" ? null : Number.NaN] });
}

/** Plain-data arguments of "split rows by grid window": the grid, its windows' shape, the coordinate columns. */
export interface RowWindowArgs {
  readonly grid: Grid;
  /** Windows of this shape cover the grid row-major (the last column and row clipped), as a rasterize's chunks do. */
  readonly shape: { readonly width: number; readonly height: number };
  readonly x: string;
  readonly y: string;
  /** The coordinates' CRS (null: the grid's). */
  readonly crs: string | null;
}

/** How many windows of `shape` cover the grid. */
export function windowCount(grid: Grid, shape: { width: number; height: number }): number {
  return Math.ceil(grid.width / shape.width) * Math.ceil(grid.height / shape.height);
}

/**
 * The batch's rows split by the window their point falls in, one Batch per window (row order kept): the pixel is
 * found exactly as rasterizePartial finds it, so each row reaches the one window that counts it. Rows with a null
 * coordinate or off the grid go nowhere.
 */
export function splitRowsByWindow(b: Batch, args: RowWindowArgs): Batch[] {
  const xc = numericColumn(b, args.x);
  const yc = numericColumn(b, args.y);
  const X = Float64Array.from(toFloat64(xc.values));
  const Y = Float64Array.from(toFloat64(yc.values));
  if (args.crs !== null) crsTransform(args.crs, args.grid.crs)(X, Y);
  const inv = invertAffine(args.grid.transform);
  const across = Math.ceil(args.grid.width / args.shape.width);
  const n = windowCount(args.grid, args.shape);
  const ids = new Uint32Array(b.length).fill(n);
  for (let i = 0; i < b.length; i++) {
    if ((xc.valid !== null && xc.valid[i] === 0) || (yc.valid !== null && yc.valid[i] === 0)) continue;
    const x = X[i] as number; const y = Y[i] as number;
    const px = Math.floor(inv[0] + x * inv[1] + y * inv[2]);
    const py = Math.floor(inv[3] + x * inv[4] + y * inv[5]);
    if (!(px >= 0 && py >= 0 && px < args.grid.width && py < args.grid.height)) continue;
    ids[i] = Math.floor(py / args.shape.height) * across + Math.floor(px / args.shape.width);
  }
  return partitionIndices(ids, n + 1).slice(0, n).map((idx) => takeBatch(b, idx));
}
