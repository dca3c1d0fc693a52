// Planning a tile pyramid: every z/x/y tile over a source grid for a zoom range, each with the source window it
// reads and the down-sampling ratio of its whole zoom level (so all tiles of a level resample alike, with no seams).
import { PlanError } from "@tessera/common";
import type { Grid } from "../grid/grid.js";
import type { Window } from "../grid/window.js";
import type { Resampling } from "../warp/resampling.js";
import { planWarp, warpScale } from "../warp/warp-plan.js";
import type { TileId } from "./web-mercator-tiles.js";
import { mercatorBlockGrid, mercatorTileGrid, tilesCovering } from "./web-mercator-tiles.js";

/** One tile task as plain data: the tile, its grid, the source window to read (null: nothing there) and the scale. */
export interface TileTask {
  readonly tile: TileId;
  readonly grid: Grid;
  readonly srcWindow: Window | null;
  readonly scale: readonly [number, number];
}

export interface TilePlanOptions {
  readonly minZoom: number;
  readonly maxZoom: number;
  readonly tileSize?: number;
  readonly resampling?: Resampling;
}

/** Tile tasks for every zoom of the range, zoom by zoom, rows north to south. */
export function planTiles(src: Grid, opts: TilePlanOptions, where?: string): TileTask[] {
  const size = opts.tileSize ?? 256;
  if (!(opts.minZoom >= 0 && opts.maxZoom >= opts.minZoom && opts.maxZoom <= 24)) {
    throw new PlanError("RASTER_BAD_ZOOM", `zoom range ${opts.minZoom}..${opts.maxZoom} must lie within 0..24 and be ordered`);
  }
  const out: TileTask[] = [];
  for (let z = opts.minZoom; z <= opts.maxZoom; z++) {
    const tiles = tilesCovering(src, z);
    if (tiles.length === 0) continue;
    const xs = tiles.map((t) => t.x);
    const ys = tiles.map((t) => t.y);
    const level = mercatorBlockGrid(z, Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys), size);
    const scale = warpScale(src, level);
    for (const tile of tiles) {
      const grid = mercatorTileGrid(tile, size);
      const { tasks } = planWarp(src, grid, opts.resampling ?? "nearest", [{ x: 0, y: 0, width: size, height: size }], where);
      out.push({ tile, grid, srcWindow: (tasks[0] as { srcWindow: Window | null }).srcWindow, scale });
    }
  }
  return out;
}
