// Windows: integer pixel rectangles of a grid (column offset, row offset, width, height).

/** Pixels [x, x + width) × [y, y + height) of some grid. Width or height 0 is an empty window. */
export interface Window {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export function makeWindow(x: number, y: number, width: number, height: number): Window {
  return { x, y, width: Math.max(0, width), height: Math.max(0, height) };
}

export function windowIsEmpty(w: Window): boolean {
  return w.width <= 0 || w.height <= 0;
}

export function windowPixels(w: Window): number {
  return w.width * w.height;
}

/** The overlap of two windows (empty, at a's origin, when they do not overlap). */
export function intersectWindows(a: Window, b: Window): Window {
  const x0 = Math.max(a.x, b.x);
  const y0 = Math.max(a.y, b.y);
  const x1 = Math.min(a.x + a.width, b.x + b.width);
  const y1 = Math.min(a.y + a.height, b.y + b.height);
  if (x1 <= x0 || y1 <= y0) return { x: a.x, y: a.y, width: 0, height: 0 };
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** `w` grown by `dx` columns left and right and `dy` rows above and below. */
export function expandWindow(w: Window, dx: number, dy = dx): Window {
  return { x: w.x - dx, y: w.y - dy, width: w.width + 2 * dx, height: w.height + 2 * dy };
}

/** True when every pixel of `inner` lies in `outer`. */
export function windowContains(outer: Window, inner: Window): boolean {
  return inner.x >= outer.x && inner.y >= outer.y
    && inner.x + inner.width <= outer.x + outer.width && inner.y + inner.height <= outer.y + outer.height;
}

export function windowsEqual(a: Window, b: Window): boolean {
  return a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;
}

/** The smallest window holding the real-valued pixel rectangle [x0, x1) × [y0, y1): outward to whole pixels. */
export function windowAround(x0: number, y0: number, x1: number, y1: number): Window {
  const c0 = Math.floor(x0);
  const r0 = Math.floor(y0);
  return { x: c0, y: r0, width: Math.ceil(x1) - c0, height: Math.ceil(y1) - r0 };
}
