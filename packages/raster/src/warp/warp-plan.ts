// Planning a warp: the whole grids' down-sampling ratio (fixed for every chunk, so chunks agree) and, per target
// window, the source window it reads (its footprint plus the kernel's halo).
import type { Grid } from "../grid/grid.js";
import type { PixelMapper } from "../grid/halo.js";
import { mappedBox, sourceWindowFor } from "../grid/halo.js";
import type { Window } from "../grid/window.js";
import type { Resampling } from "./resampling.js";
import { kernelReach } from "./resampling.js";
import { sameCrs } from "./crs.js";
import { warpMapper } from "./pixel-mapper.js";

/** One warp task: the target window it writes and the source window it reads (null: nothing maps, all nodata). */
export interface WarpTask {
  readonly dstWindow: Window;
  readonly srcWindow: Window | null;
}

/**
 * Target pixels per source pixel across and down, over the whole target grid (as gdalwarp computes it when the
 * whole warp is one chunk): 0.25 for a 4× coarser target. Kernels stretch by it when it is below 1.
 */
export function warpScale(src: Grid, dst: Grid, map: PixelMapper = warpMapper(src, dst)): [number, number] {
  const box = mappedBox({ x: 0, y: 0, width: dst.width, height: dst.height }, map);
  if (box === null) return [1, 1];
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  return [w > 0 ? dst.width / w : 1, h > 0 ? dst.height / h : 1];
}

/** The scale and one task per target window (`where` names the data in CRS errors). */
export function planWarp(src: Grid, dst: Grid, method: Resampling, dstWindows: readonly Window[], where?: string): { scale: [number, number]; tasks: WarpTask[] } {
  const map = warpMapper(src, dst, where);
  const scale = warpScale(src, dst, map);
  const [rx, ry] = kernelReach(method, scale);
  // Same CRS: the mapping is affine and the mapped box exact, so no slack pixel (aligned chunks read only their blocks).
  const slack = sameCrs(src.crs, dst.crs) ? 0 : 1;
  const tasks = dstWindows.map((dstWindow) => ({ dstWindow, srcWindow: sourceWindowFor(dstWindow, map, src, rx, ry, slack) }));
  return { scale, tasks };
}
