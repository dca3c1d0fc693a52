// The target grid a reprojection produces when none is given: gdalwarp's suggestion (edges sampled, extent, and a
// square pixel size from the image diagonal), so `reproject(crs)` lands on the grid GDAL would choose.
import { PlanError } from "@tessera/common";
import type { Grid } from "../grid/grid.js";
import { makeGrid } from "../grid/grid.js";
import { crsTransform } from "./crs.js";

/** Steps per edge, as GDALSuggestedWarpOutput2 samples them. */
const STEPS = 20;

/** The north-up grid in `crs` covering `src`, with a pixel size keeping about as many pixels along the diagonal. */
export function suggestGrid(src: Grid, crs: string, where?: string): Grid {
  const toDst = crsTransform(src.crs, crs, where);
  const xs: number[] = [];
  const ys: number[] = [];
  const t = src.transform;
  for (let k = 0; k <= STEPS; k++) {
    const f = k / STEPS;
    for (const [c, r] of [[f * src.width, 0], [f * src.width, src.height], [0, f * src.height], [src.width, f * src.height]] as const) {
      xs.push(t[0] + c * t[1] + r * t[2]);
      ys.push(t[3] + c * t[4] + r * t[5]);
    }
  }
  const X = Float64Array.from(xs);
  const Y = Float64Array.from(ys);
  toDst(X, Y);
  let minX = Infinity; let minY = Infinity; let maxX = -Infinity; let maxY = -Infinity;
  for (let i = 0; i < X.length; i++) {
    const x = X[i] as number; const y = Y[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
  }
  if (!(minX < maxX && minY < maxY)) throw new PlanError("RASTER_NO_OVERLAP", `${where ?? "the raster"} does not map into ${crs}`);
  // Diagonal from the first sample (top-left corner) to the last (bottom-right corner).
  const last = X.length - 1;
  let dx = (X[last] as number) - (X[0] as number);
  let dy = (Y[last] as number) - (Y[0] as number);
  if (!Number.isFinite(dx) || !Number.isFinite(dy) || dx === 0 || dy === 0) { dx = maxX - minX; dy = maxY - minY; }
  const size = Math.sqrt(dx * dx + dy * dy) / Math.sqrt(src.width * src.width + src.height * src.height);
  const width = Math.trunc((maxX - minX) / size + 0.5);
  const height = Math.trunc((maxY - minY) / size + 0.5);
  return makeGrid(crs, [minX, size, 0, maxY, 0, -size], width, height);
}
