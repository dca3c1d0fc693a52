// Which source pixels a target window needs: its footprint mapped into the source grid, grown by the kernel's reach.
import type { Window } from "./window.js";
import { intersectWindows } from "./window.js";

/**
 * Maps target pixel positions to source pixel positions in place (both fractional, corner-based). A position that
 * cannot be mapped (outside a projection's domain) becomes NaN.
 */
export type PixelMapper = (xs: Float64Array, ys: Float64Array) => void;

/** Real-valued box [x0, x1) × [y0, y1) in source pixel space, or null when nothing maps. */
export interface PixelBox { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number }

/** Positions sampled along each edge (and per row and column of the interior lattice) of a target window. */
const EDGE_STEPS = 64;
const INTERIOR_STEPS = 8;

/**
 * The box in source pixel space that holds the mapped target window: its edges sampled at up to 64 steps and an
 * interior lattice, so curved reprojections are covered. Exact for affine mappings (the extremes are corners).
 */
export function mappedBox(target: Window, map: PixelMapper): PixelBox | null {
  const xs: number[] = [];
  const ys: number[] = [];
  const steps = (n: number, k: number): number[] => Array.from({ length: Math.min(n, k) + 1 }, (_, i) => (i * n) / Math.min(n, k));
  const cols = steps(target.width, EDGE_STEPS);
  const rows = steps(target.height, EDGE_STEPS);
  for (const c of cols) { xs.push(target.x + c, target.x + c); ys.push(target.y, target.y + target.height); }
  for (const r of rows) { xs.push(target.x, target.x + target.width); ys.push(target.y + r, target.y + r); }
  for (const r of steps(target.height, INTERIOR_STEPS)) for (const c of steps(target.width, INTERIOR_STEPS)) { xs.push(target.x + c); ys.push(target.y + r); }
  const X = Float64Array.from(xs);
  const Y = Float64Array.from(ys);
  map(X, Y);
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (let i = 0; i < X.length; i++) {
    const x = X[i] as number; const y = Y[i] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < x0) x0 = x; if (x > x1) x1 = x;
    if (y < y0) y0 = y; if (y > y1) y1 = y;
  }
  return x0 <= x1 && y0 <= y1 ? { x0, y0, x1, y1 } : null;
}

/** Positions this close to a pixel edge count as on it (the warp kernels nudge by 1e-10 the same way). */
const EDGE_EPS = 1e-10;

/**
 * The source window a target window reads: the mapped box grown outward to whole pixels, by `reachX`/`reachY`
 * pixels for the kernel and by `slack` more (1 for curved mappings, whose edges are sampled; 0 for affine ones, whose
 * box is exact), clipped to the source size. An aligned target window thus reads exactly the source blocks under it.
 * Null when the target window maps entirely outside the source.
 */
export function sourceWindowFor(
  target: Window, map: PixelMapper, source: { width: number; height: number }, reachX: number, reachY: number, slack = 1,
): Window | null {
  const box = mappedBox(target, map);
  if (box === null) return null;
  const x0 = Math.floor(box.x0 + EDGE_EPS) - reachX - slack;
  const y0 = Math.floor(box.y0 + EDGE_EPS) - reachY - slack;
  const x1 = Math.ceil(box.x1 - EDGE_EPS) + reachX + slack;
  const y1 = Math.ceil(box.y1 - EDGE_EPS) + reachY + slack;
  const w = intersectWindows({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, { x: 0, y: 0, width: source.width, height: source.height });
  return w.width > 0 && w.height > 0 ? w : null;
}
