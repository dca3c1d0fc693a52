// tileBins: points (or cells) aggregated into the bins of web-mercator tiles at one or more zooms.
import { PlanError } from "@tessera/common";
import type { Expr } from "@tessera/expr";
import { MAX_BIN_LEVEL, MAX_TILE_ZOOM, col, len, lit, outputName, tile } from "@tessera/expr";
import type { LazyFrame } from "./lazy-frame.js";
import { concat } from "./lazy-frame.js";

export interface TileBinsOptions {
  /** Latitude and longitude in degrees (columns or expressions); or give `cellX`/`cellY` instead. */
  readonly lat?: Expr | string;
  readonly lng?: Expr | string;
  /** Cells already numbered at `precision` (e.g. a frame pre-aggregated by `tile.x`/`tile.y` at that zoom). */
  readonly cellX?: Expr | string;
  readonly cellY?: Expr | string;
  /** The tile zoom(s) to produce; each row of the result names its zoom in column `z`. */
  readonly zoom: number | readonly number[];
  /** Bins per tile side are 2^binLevel (6 gives 64 × 64 = 4096 bins). */
  readonly binLevel: number;
  /**
   * The zoom at which coordinates become cells (`tile.x`/`tile.y`, truncating); coarser cells are their parents
   * (floor). Default: the deepest zoom + binLevel. Required with `cellX`/`cellY`.
   */
  readonly precision?: number;
  /** Columns kept as group keys in front of z, x, y, bin (e.g. a feature and a timestamp). */
  readonly by?: readonly string[];
  /** Aggregates per bin; default `len()` as "count". */
  readonly aggs?: readonly Expr[];
}

const CX = "__tile_cell_x";
const CY = "__tile_cell_y";
const BX = "__tile_bin_x";
const BY = "__tile_bin_y";

function bad(message: string): never {
  throw new PlanError("BAD_ARGUMENT", `tileBins: ${message}`);
}

/**
 * One row per (by..., z, x, y, bin) that holds at least one input row: `z` the tile zoom (int32), `x`/`y` the tile
 * (int32), `bin` the bin inside it (see `tile.bin`), then the aggregates over the rows in that bin. Tiles are not
 * clamped (`tile.x`/`tile.y`): rows past the mercator limits land in tiles outside 0..2^z-1; rows with a null or
 * non-finite coordinate are left out. A bin at zoom z is a cell at level z + binLevel, so the rows of one zoom
 * are also the cells of that level.
 */
export function tileBins(frame: LazyFrame, opts: TileBinsOptions): LazyFrame {
  const zooms = typeof opts.zoom === "number" ? [opts.zoom] : [...opts.zoom];
  const b = opts.binLevel;
  if (zooms.length === 0) bad("zoom lists no zoom");
  if (!Number.isInteger(b) || b < 0 || b > MAX_BIN_LEVEL) bad(`binLevel must be an integer from 0 to ${MAX_BIN_LEVEL}, got ${String(b)}`);
  for (const z of zooms) if (!Number.isInteger(z) || z < 0) bad(`zoom must be a non-negative integer, got ${String(z)}`);
  const byCells = opts.cellX !== undefined || opts.cellY !== undefined;
  if (byCells && (opts.cellX === undefined || opts.cellY === undefined)) bad("give both cellX and cellY");
  if (!byCells && (opts.lat === undefined || opts.lng === undefined)) bad("give lat and lng (or cellX and cellY)");
  if (byCells && (opts.lat !== undefined || opts.lng !== undefined)) bad("give lat/lng or cellX/cellY, not both");
  if (byCells && opts.precision === undefined) bad("cellX/cellY need the precision they are numbered at");
  const precision = opts.precision ?? Math.max(...zooms) + b;
  if (!Number.isInteger(precision) || precision < 0 || precision > MAX_TILE_ZOOM) bad(`precision must be an integer from 0 to ${MAX_TILE_ZOOM}, got ${String(precision)}`);
  for (const z of zooms) if (z + b > precision) bad(`zoom ${z} with binLevel ${b} needs cells at level ${z + b}, finer than precision ${precision}`);

  const cells = byCells
    ? frame.withColumns(asExpr(opts.cellX!).alias(CX), asExpr(opts.cellY!).alias(CY))
    : frame.withColumns(tile.x(opts.lng!, precision).alias(CX), tile.y(opts.lat!, precision).alias(CY));
  const located = cells.filter(col(CX).isNotNull().and(col(CY).isNotNull()));
  const by = opts.by ?? [];
  const aggs = opts.aggs ?? [len().alias("count")];
  const names = aggs.map((a) => outputName(a.node));
  // Rows group by the cell at the zoom's bin level (a bin of one tile is one cell); tile and bin follow from the cell.
  return concat(zooms.map((z) => {
    const up = precision - (z + b); // levels from the precision's cells to this zoom's bins
    return located
      .withColumns(tile.parent(CX, up).alias(BX), tile.parent(CY, up).alias(BY))
      .groupBy(...by, BX, BY)
      .agg(...aggs)
      .select(...by, lit(z).cast("int32").alias("z"), tile.parent(BX, b).alias("x"), tile.parent(BY, b).alias("y"), tile.bin(BX, BY, b).alias("bin"), ...names);
  }));
}

function asExpr(x: Expr | string): Expr {
  return typeof x === "string" ? col(x) : x;
}
