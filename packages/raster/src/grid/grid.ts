// The grid model: a CRS, a corner-based affine transform and a pixel size; plain data that travels anywhere.
import { PlanError } from "@tessera/common";
import type { Affine } from "./affine.js";
import { affineEquals, applyAffine, offsetAffine } from "./affine.js";
import type { Window } from "./window.js";

/**
 * A raster grid. `crs` is "EPSG:<code>" (or a PROJ string for CRSs without a code, or "" when unknown); `transform`
 * maps pixel corners to CRS coordinates (PixelIsArea: pixel (c, r) covers [c, c + 1) × [r, r + 1) in pixel space);
 * pixels are stored row-major, row 0 first.
 */
export interface Grid {
  readonly crs: string;
  readonly transform: Affine;
  readonly width: number;
  readonly height: number;
}

/** An axis-aligned box in CRS units. */
export interface Bounds {
  readonly minX: number;
  readonly minY: number;
  readonly maxX: number;
  readonly maxY: number;
}

export function makeGrid(crs: string, transform: Affine, width: number, height: number): Grid {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new PlanError("RASTER_BAD_GRID", `grid size must be whole non-negative pixels, got ${width}×${height}`);
  }
  if (transform.length !== 6 || transform.some((v) => !Number.isFinite(v))) {
    throw new PlanError("RASTER_BAD_GRID", `grid transform must be six finite numbers, got [${transform.join(", ")}]`);
  }
  return { crs, transform, width, height };
}

/** A north-up grid of `width`×`height` pixels exactly covering `bounds`. */
export function gridFromBounds(crs: string, bounds: Bounds, width: number, height: number): Grid {
  const dx = (bounds.maxX - bounds.minX) / width;
  const dy = (bounds.maxY - bounds.minY) / height;
  return makeGrid(crs, [bounds.minX, dx, 0, bounds.maxY, 0, -dy], width, height);
}

/** The grid of a window of `g`: same CRS and resolution, origin moved to the window's corner. */
export function windowGrid(g: Grid, w: Window): Grid {
  return { crs: g.crs, transform: offsetAffine(g.transform, w.x, w.y), width: w.width, height: w.height };
}

/** The box holding the four corners of the grid (exact for north-up grids). */
export function gridBounds(g: Grid): Bounds {
  const corners = [applyAffine(g.transform, 0, 0), applyAffine(g.transform, g.width, 0),
    applyAffine(g.transform, 0, g.height), applyAffine(g.transform, g.width, g.height)];
  const xs = corners.map((c) => c[0]);
  const ys = corners.map((c) => c[1]);
  return { minX: Math.min(...xs), minY: Math.min(...ys), maxX: Math.max(...xs), maxY: Math.max(...ys) };
}

export function gridsEqual(a: Grid, b: Grid): boolean {
  return a.crs === b.crs && a.width === b.width && a.height === b.height && affineEquals(a.transform, b.transform);
}

/** The whole grid as a window. */
export function fullWindow(g: Grid): Window {
  return { x: 0, y: 0, width: g.width, height: g.height };
}
