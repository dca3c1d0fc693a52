// Web-mercator tile maths as expressions: tile numbers of coordinates, parent cells by shifts, bin indices.
import { PlanError } from "@tessera/common";
import type { Expr } from "./builder.js";
import { Expr as ExprClass, exprOrCol } from "./builder.js";
import type { TileFn } from "./nodes.js";

/** The deepest zoom `tile.x` / `tile.y` accept: 2^30 cells per side still fit an int32 with room for overflow. */
export const MAX_TILE_ZOOM = 30;
/** The most bins per tile side `tile.bin` accepts (2^15 × 2^15 bins: indices fit an int32). */
export const MAX_BIN_LEVEL = 15;

function checkLevel(what: string, level: number, max: number): void {
  if (!Number.isInteger(level) || level < 0 || level > max) {
    throw new PlanError("BAD_ARGUMENT", `${what} must be an integer from 0 to ${max}, got ${String(level)}`, { value: level });
  }
}

function node(fn: TileFn, args: readonly (Expr | string)[], level: number): Expr {
  return new ExprClass({ op: "tile", fn, args: args.map(exprOrCol), level });
}

/**
 * Tile maths over columns (a string names a column). All results are integers; rows with a null input are null.
 *
 * - `tile.x(lng, zoom)`: the slippy-map tile column, `trunc((lng + 180) / 360 * 2^zoom)` (int32).
 * - `tile.y(lat, zoom)`: the tile row, `trunc((1 - asinh(tan(lat * π/180)) / π) / 2 * 2^zoom)` (int32).
 *   Both truncate toward zero and do not clamp: latitudes past ±85.0511° give rows below 0 or at or past 2^zoom,
 *   longitude 180 gives column 2^zoom. A result that is not finite or does not fit an int32 (NaN input,
 *   absurd degrees) is null.
 * - `tile.parent(cell, levels)`: the cell `levels` zooms up, `floor(cell / 2^levels)` (an arithmetic shift: exact
 *   for negative cells too); keeps the integer type.
 * - `tile.bin(cellX, cellY, binLevel)`: the index of a cell inside its tile when a tile holds 2^binLevel × 2^binLevel
 *   cells: `(cellX mod 2^b) + (cellY mod 2^b) * 2^b` (floor modulo, so negative cells fall in their own tile),
 *   row-major from the tile's north-west corner (int32).
 *
 * A tile at zoom z cut into 2^b × 2^b bins: cells at level L = z + b, tile `parent(cell, b)`, bin `bin(cx, cy, b)`.
 */
export const tile = {
  x(lng: Expr | string, zoom: number): Expr {
    checkLevel("tile.x zoom", zoom, MAX_TILE_ZOOM);
    return node("x", [lng], zoom);
  },
  y(lat: Expr | string, zoom: number): Expr {
    checkLevel("tile.y zoom", zoom, MAX_TILE_ZOOM);
    return node("y", [lat], zoom);
  },
  parent(cell: Expr | string, levels: number): Expr {
    checkLevel("tile.parent levels", levels, 62);
    return node("parent", [cell], levels);
  },
  bin(cellX: Expr | string, cellY: Expr | string, binLevel: number): Expr {
    checkLevel("tile.bin binLevel", binLevel, MAX_BIN_LEVEL);
    return node("bin", [cellX, cellY], binLevel);
  },
} as const;
