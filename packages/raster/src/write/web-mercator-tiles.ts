// Raster tile grids of the web-mercator z/x/y scheme (XYZ: y = 0 at the north edge), in EPSG:3857 metres. Named
// apart from point-to-tile math (which tile holds a lat/lng), so the two can be unified in one tile-math module.
import { PlanError } from "@tessera/common";
import type { Bounds, Grid } from "../grid/grid.js";
import { gridBounds, gridFromBounds } from "../grid/grid.js";
import { crsTransform } from "../warp/crs.js";

/** Half the width of the web-mercator world in metres (π × 6378137). */
export const MERCATOR_HALF_WORLD = Math.PI * 6378137;

export interface TileId { readonly z: number; readonly x: number; readonly y: number }

function checkTile(t: TileId): void {
  const n = 2 ** t.z;
  if (!Number.isInteger(t.z) || t.z < 0 || t.z > 30 || !Number.isInteger(t.x) || !Number.isInteger(t.y) || t.x < 0 || t.y < 0 || t.x >= n || t.y >= n) {
    throw new PlanError("RASTER_BAD_TILE", `no web-mercator tile ${t.z}/${t.x}/${t.y}`);
  }
}

/** A tile's extent in EPSG:3857 metres. */
export function mercatorTileBounds(t: TileId): Bounds {
  checkTile(t);
  const span = (2 * MERCATOR_HALF_WORLD) / 2 ** t.z;
  return { minX: -MERCATOR_HALF_WORLD + t.x * span, maxX: -MERCATOR_HALF_WORLD + (t.x + 1) * span, maxY: MERCATOR_HALF_WORLD - t.y * span, minY: MERCATOR_HALF_WORLD - (t.y + 1) * span };
}

/** The `size`×`size` pixel grid of a tile (its transform computed from its bounds as gdalwarp -te/-ts does). */
export function mercatorTileGrid(t: TileId, size = 256): Grid {
  return gridFromBounds("EPSG:3857", mercatorTileBounds(t), size, size);
}

/** The column and row ranges (inclusive) of the zoom-`z` tiles overlapping a grid (any CRS that maps to EPSG:3857). */
export function tileRange(g: Grid, z: number): { x0: number; x1: number; y0: number; y1: number } {
  const b = gridBounds(g);
  const xs = Float64Array.from([b.minX, b.maxX, b.minX, b.maxX, (b.minX + b.maxX) / 2, (b.minX + b.maxX) / 2]);
  const ys = Float64Array.from([b.minY, b.minY, b.maxY, b.maxY, b.minY, b.maxY]);
  crsTransform(g.crs, "EPSG:3857")(xs, ys);
  const n = 2 ** z;
  const span = (2 * MERCATOR_HALF_WORLD) / n;
  const clamp = (v: number): number => Math.min(n - 1, Math.max(0, v));
  const finite = (a: Float64Array): number[] => Array.from(a).filter(Number.isFinite);
  const x0 = clamp(Math.floor((Math.min(...finite(xs)) + MERCATOR_HALF_WORLD) / span));
  const x1 = clamp(Math.ceil((Math.max(...finite(xs)) + MERCATOR_HALF_WORLD) / span) - 1);
  const y0 = clamp(Math.floor((MERCATOR_HALF_WORLD - Math.max(...finite(ys))) / span));
  const y1 = clamp(Math.ceil((MERCATOR_HALF_WORLD - Math.min(...finite(ys))) / span) - 1);
  return { x0, x1, y0, y1 };
}

/** Tiles of zoom `z` overlapping a grid (any CRS that maps to EPSG:3857), row by row. */
export function tilesCovering(g: Grid, z: number): TileId[] {
  const { x0, x1, y0, y1 } = tileRange(g, z);
  const out: TileId[] = [];
  for (let y = y0; y <= y1; y++) for (let x = x0; x <= x1; x++) out.push({ z, x, y });
  return out;
}

/** The grid of a block of tiles of one zoom (for the whole-level down-sampling ratio and seam checks). */
export function mercatorBlockGrid(z: number, x0: number, y0: number, x1: number, y1: number, size = 256): Grid {
  const a = mercatorTileBounds({ z, x: x0, y: y0 });
  const b = mercatorTileBounds({ z, x: x1, y: y1 });
  return gridFromBounds("EPSG:3857", { minX: a.minX, maxY: a.maxY, maxX: b.maxX, minY: b.minY }, (x1 - x0 + 1) * size, (y1 - y0 + 1) * size);
}

/** The object key of a tile: "z/x/y.ext". */
export function tileKey(t: TileId, ext: string): string {
  return `${t.z}/${t.x}/${t.y}.${ext}`;
}
