// Which pixels of a window belong to a zone, by gdal_rasterize's rules: "center" (the pixel centre lies inside, by a
// scanline fill) or "allTouched" (also every pixel whose interior an edge passes through).
import { assertNever } from "@tessera/common";
import type { Window } from "../grid/window.js";
import type { PixelZone } from "./zones.js";

export type ZoneRule = "center" | "allTouched";

/**
 * Marks with 1 the pixels of `w` inside `z` (pixel space of the same grid). Each pixel's answer depends only on the
 * geometry, never on the window, so chunked results agree with a whole-raster burn.
 */
export function burnZone(z: PixelZone, w: Window, rule: ZoneRule, out = new Uint8Array(w.width * w.height)): Uint8Array {
  fillCentres(z, w, out);
  switch (rule) {
    case "center": break;
    case "allTouched": for (const r of z.rings) traceRing(r, w, out); break;
    default: assertNever(rule, "zone rule");
  }
  return out;
}

/**
 * Scanline fill at each row's centre line (y + 0.5): edges crossing it (half-open in y, so shared vertices count
 * once and horizontal edges never) give crossings, rounded as GDAL does (floor(x + 0.5)); pixels between pairs of
 * sorted crossings are inside (even-odd over all rings, so holes stay empty).
 */
function fillCentres(z: PixelZone, w: Window, out: Uint8Array): void {
  const xs: number[] = [];
  for (let row = w.y; row < w.y + w.height; row++) {
    const dy = row + 0.5;
    xs.length = 0;
    for (const r of z.rings) {
      const n = r.length >> 1;
      for (let i = 0; i < n; i++) {
        const j = (i + 1) % n;
        let x1 = r[2 * i] as number; let y1 = r[2 * i + 1] as number;
        let x2 = r[2 * j] as number; let y2 = r[2 * j + 1] as number;
        if (y1 === y2) continue;
        if (y1 > y2) { [x1, x2] = [x2, x1]; [y1, y2] = [y2, y1]; }
        if (dy < y2 && dy >= y1) xs.push(Math.floor((dy - y1) * (x2 - x1) / (y2 - y1) + x1 + 0.5));
      }
    }
    if (xs.length < 2) continue;
    xs.sort((a, b) => a - b);
    const base = (row - w.y) * w.width;
    for (let k = 0; k + 1 < xs.length; k += 2) {
      const a = Math.max(xs[k] as number, w.x);
      const b = Math.min(xs[k + 1] as number, w.x + w.width);
      if (b > a) out.fill(1, base + a - w.x, base + b - w.x);
    }
  }
}

/**
 * Marks the pixels a ring's edges touch. Horizontal and vertical edges mark the pixels whose open interior they pass
 * through (an edge along a grid line touches neither side). Slanted edges are walked left to right from grid line to
 * grid line, marking the pixel at floor(x), floor(y) of each step point, as GDAL's all-touched line walker does: where
 * an edge crosses a grid corner exactly, that names the pixel to the lower right of the corner.
 */
function traceRing(r: readonly number[], w: Window, out: Uint8Array): void {
  const n = r.length >> 1;
  const mark = (px: number, py: number): void => {
    if (px < w.x || py < w.y || px >= w.x + w.width || py >= w.y + w.height) return;
    out[(py - w.y) * w.width + (px - w.x)] = 1;
  };
  for (let i = 0; i < n; i++) {
    const j = (i + 1) % n;
    let x1 = r[2 * i] as number; let y1 = r[2 * i + 1] as number;
    let x2 = r[2 * j] as number; let y2 = r[2 * j + 1] as number;
    if (Math.max(x1, x2) < w.x - 1 || Math.min(x1, x2) > w.x + w.width + 1 || Math.max(y1, y2) < w.y - 1 || Math.min(y1, y2) > w.y + w.height + 1) continue;
    if (x1 === x2 || y1 === y2) { traceStraight(x1, y1, x2, y2, mark); continue; }
    if (x1 > x2) { [x1, x2] = [x2, x1]; [y1, y2] = [y2, y1]; }
    const slope = (y2 - y1) / (x2 - x1);
    let x = x1;
    let y = y1;
    while (x < x2) {
      const ix = Math.floor(x);
      const iy = Math.floor(y);
      mark(ix, iy);
      let stepX = Math.floor(x + 1) - x;
      let stepY = stepX * slope;
      if (Math.floor(y + stepY) !== iy) {
        // The edge leaves the row first: step to the row's boundary instead (never by less than 1e-9).
        stepY = slope < 0 ? Math.min(iy - y, -1e-9) : Math.max(iy + 1 - y, 1e-9);
        stepX = stepY / slope;
      }
      x += stepX;
      y += stepY;
    }
  }
}

/** A horizontal or vertical edge: the pixels whose open interior it runs through. */
function traceStraight(x1: number, y1: number, x2: number, y2: number, mark: (px: number, py: number) => void): void {
  if (x1 === x2) {
    if (Number.isInteger(x1)) return;
    const px = Math.floor(x1);
    for (let py = Math.floor(Math.min(y1, y2)); py < Math.ceil(Math.max(y1, y2)); py++) mark(px, py);
    return;
  }
  if (Number.isInteger(y1)) return;
  const py = Math.floor(y1);
  for (let px = Math.floor(Math.min(x1, x2)); px < Math.ceil(Math.max(x1, x2)); px++) mark(px, py);
}
