// The per-pixel rules of each resampling method, following gdalwarp (-et 0): one function per method, each filling
// one band of a target window from a source chunk that holds every pixel it needs.
import { InternalError } from "@tessera/common";
import type { BandArray } from "../chunk/band-array.js";
import type { Window } from "../grid/window.js";
import type { PixelMapper } from "../grid/halo.js";
import type { Resampling } from "./resampling.js";

/** A source band as the kernels see it: its window in the full source grid, values and mask. */
export interface SourceBand {
  readonly window: Window;
  readonly values: BandArray;
  readonly valid: Uint8Array | null;
  /** Size of the full source grid: pixels outside it do not exist (distinct from outside the chunk). */
  readonly gridWidth: number;
  readonly gridHeight: number;
}

/** What a kernel writes: a float64 value per target pixel and whether it is valid. */
export interface TargetBand {
  readonly window: Window;
  readonly values: Float64Array;
  readonly valid: Uint8Array;
}

export interface KernelContext {
  readonly map: PixelMapper;
  readonly scale: readonly [number, number];
}

type Kernel = (src: SourceBand, dst: TargetBand, ctx: KernelContext) => void;

/** GDAL nudges positions by 1e-10 before taking floor/ceil, so a centre on a pixel edge goes to the lower-right pixel. */
const EPS = 1e-10;

function outsideChunk(src: SourceBand, x: number, y: number): never {
  throw new InternalError("RASTER_HALO", `warp needed source pixel (${x}, ${y}) outside the chunk read at (${src.window.x}, ${src.window.y}) ${src.window.width}×${src.window.height}`);
}

/** Offset of source pixel (x, y) in the chunk arrays. */
function at(src: SourceBand, x: number, y: number): number {
  const cx = x - src.window.x;
  const cy = y - src.window.y;
  if (cx < 0 || cy < 0 || cx >= src.window.width || cy >= src.window.height) outsideChunk(src, x, y);
  return cy * src.window.width + cx;
}

/** Mapped centres of target row `r`: xs[i], ys[i] for target pixel (window.x + i + 0.5, r + 0.5). */
function centres(dst: TargetBand, r: number, map: PixelMapper): [Float64Array, Float64Array] {
  const n = dst.window.width;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  for (let i = 0; i < n; i++) { xs[i] = dst.window.x + i + 0.5; ys[i] = r + 0.5; }
  map(xs, ys);
  return [xs, ys];
}

/** The source pixel under a mapped centre, or -1 when none exists there (outside the grid, or unmapped). */
function centrePixel(src: SourceBand, sx: number, sy: number): [number, number] | null {
  if (!(sx >= 0 && sy >= 0)) return null;
  const ix = Math.floor(sx + EPS);
  const iy = Math.floor(sy + EPS);
  if (ix >= src.gridWidth || iy >= src.gridHeight) return null;
  return [ix, iy];
}

/** nearest: the source pixel under the target centre; nodata when that pixel is. */
const nearest: Kernel = (src, dst, { map }) => {
  const w = dst.window.width;
  for (let r = 0; r < dst.window.height; r++) {
    const [xs, ys] = centres(dst, dst.window.y + r, map);
    for (let i = 0; i < w; i++) {
      const p = centrePixel(src, xs[i] as number, ys[i] as number);
      if (p === null) continue;
      const k = at(src, p[0], p[1]);
      if (src.valid !== null && src.valid[k] === 0) continue;
      dst.values[r * w + i] = src.values[k] as number;
      dst.valid[r * w + i] = 1;
    }
  }
};

const tent = (d: number): number => { const a = Math.abs(d); return a < 1 ? 1 - a : 0; };

/**
 * bilinear: a tent over the source pixels around the centre, stretched by the whole grid's down-sampling ratio,
 * invalid pixels left out and the weights renormalized; nodata when the pixel under the centre is nodata.
 */
const bilinear: Kernel = (src, dst, { map, scale }) => {
  const w = dst.window.width;
  const xscale = Math.min(1, scale[0]);
  const yscale = Math.min(1, scale[1]);
  const rx = Math.ceil(1 / xscale);
  const ry = Math.ceil(1 / yscale);
  const wx = new Float64Array(2 * rx);
  for (let r = 0; r < dst.window.height; r++) {
    const [xs, ys] = centres(dst, dst.window.y + r, map);
    for (let i = 0; i < w; i++) {
      const sx = xs[i] as number;
      const sy = ys[i] as number;
      const p = centrePixel(src, sx, sy);
      if (p === null) continue;
      if (src.valid !== null && src.valid[at(src, p[0], p[1])] === 0) continue;
      const ix = Math.floor(sx - 0.5);
      const iy = Math.floor(sy - 0.5);
      const dx = sx - 0.5 - ix;
      const dy = sy - 0.5 - iy;
      for (let ii = -rx + 1; ii <= rx; ii++) wx[ii + rx - 1] = tent((ii - dx) * xscale);
      let acc = 0;
      let accW = 0;
      for (let jj = -ry + 1; jj <= ry; jj++) {
        const y = iy + jj;
        if (y < 0 || y >= src.gridHeight) continue;
        const wy = tent((jj - dy) * yscale);
        if (wy === 0) continue;
        for (let ii = -rx + 1; ii <= rx; ii++) {
          const x = ix + ii;
          if (x < 0 || x >= src.gridWidth) continue;
          const wgt = (wx[ii + rx - 1] as number) * wy;
          if (wgt === 0) continue;
          const k = at(src, x, y);
          if (src.valid !== null && src.valid[k] === 0) continue;
          acc += (src.values[k] as number) * wgt;
          accW += wgt;
        }
      }
      if (accW < 1e-6) continue;
      dst.values[r * w + i] = accW === 1 ? acc : acc / accW;
      dst.valid[r * w + i] = 1;
    }
  }
};

/**
 * Weight of source row (or column) `i` of the span [i0, i1) covering the real interval [v0, v1]: 1 inside, the
 * covered part at the ends, measured from the unclipped interval ends (so a span clipped at the raster's edge weighs
 * its edge pixel by the whole outside part too, as gdalwarp does); 1 when the span is one pixel.
 */
function edgeWeight(i: number, i0: number, i1: number, v0: number, v1: number): number {
  if (i1 - i0 === 1) return 1;
  if (i === i0) return 1 - (v0 - i0);
  if (i + 1 === i1) return 1 - (i1 - v1);
  return 1;
}

/**
 * Fold over the source pixels a target pixel overlaps, one row segment at a time (so the per-pixel loop lives inside
 * each method's own code): `row` visits pixels k0 .. k0 + n - 1 of the chunk arrays in order, the first weighing
 * `e0`, the last `e1` and the others 1, each times the row's weight `wy`; then `done`.
 */
interface AreaFold {
  reset(): void;
  row(values: BandArray, valid: Uint8Array | null, k0: number, n: number, e0: number, e1: number, wy: number): void;
  /** The target value, or null for nodata (nothing valid contributed). */
  done(): number | null;
}

/** The weight of the j-th of n pixels of a row segment: the same product for every method, in gdalwarp's order. */
function segmentWeight(j: number, n: number, e0: number, e1: number, wy: number): number {
  return (j === 0 ? e0 : j === n - 1 ? e1 : 1) * wy;
}

function areaKernel(make: () => AreaFold): Kernel {
  return (src, dst, { map }) => {
    const w = dst.window.width;
    const fold = make();
    const top = [new Float64Array(w + 1), new Float64Array(w + 1)] as const;
    const bottom = [new Float64Array(w + 1), new Float64Array(w + 1)] as const;
    const corners = (row: number, out: readonly [Float64Array, Float64Array]): void => {
      for (let i = 0; i <= w; i++) { out[0][i] = dst.window.x + i; out[1][i] = row; }
      map(out[0], out[1]);
    };
    for (let r = 0; r < dst.window.height; r++) {
      corners(dst.window.y + r, top);
      corners(dst.window.y + r + 1, bottom);
      for (let i = 0; i < w; i++) {
        // The footprint is the box between the pixel's top-left and bottom-right corners as mapped, as in gdalwarp
        // (exact for axis-aligned and separable mappings; for rotated ones it is the box of that diagonal).
        const ax = top[0][i] as number; const ay = top[1][i] as number;
        const dx = bottom[0][i + 1] as number; const dy = bottom[1][i + 1] as number;
        const x0 = Math.min(ax, dx); const x1 = Math.max(ax, dx);
        const y0 = Math.min(ay, dy); const y1 = Math.max(ay, dy);
        if (!Number.isFinite(x0 + x1 + y0 + y1)) continue;
        const ix0 = Math.max(Math.floor(x0 + EPS), 0);
        let ix1 = Math.min(Math.ceil(x1 - EPS), src.gridWidth);
        const iy0 = Math.max(Math.floor(y0 + EPS), 0);
        let iy1 = Math.min(Math.ceil(y1 - EPS), src.gridHeight);
        if (ix0 === ix1 && ix1 < src.gridWidth) ix1++;
        if (iy0 === iy1 && iy1 < src.gridHeight) iy1++;
        if (ix0 >= ix1 || iy0 >= iy1) continue;
        // Check the footprint against the chunk once, then index rows directly.
        at(src, ix0, iy0);
        at(src, ix1 - 1, iy1 - 1);
        const n = ix1 - ix0;
        const e0 = edgeWeight(ix0, ix0, ix1, x0, x1);
        const e1 = edgeWeight(ix1 - 1, ix0, ix1, x0, x1);
        fold.reset();
        for (let y = iy0; y < iy1; y++) {
          const wy = edgeWeight(y, iy0, iy1, y0, y1);
          fold.row(src.values, src.valid, (y - src.window.y) * src.window.width + ix0 - src.window.x, n, e0, e1, wy);
        }
        const v = fold.done();
        if (v === null) continue;
        dst.values[r * w + i] = v;
        dst.valid[r * w + i] = 1;
      }
    }
  };
}

/** average: Σ w·v / Σ w over valid pixels, w the overlap area. */
const average = areaKernel(() => {
  let s = 0; let ws = 0; let cnt = 0;
  return {
    reset() { s = 0; ws = 0; cnt = 0; },
    row(values, valid, k0, n, e0, e1, wy) {
      for (let j = 0; j < n; j++) {
        if (valid !== null && valid[k0 + j] === 0) continue;
        const wgt = segmentWeight(j, n, e0, e1, wy);
        s += (values[k0 + j] as number) * wgt; ws += wgt; cnt++;
      }
    },
    done() { return cnt > 0 && ws > 0 ? s / ws : null; },
  };
});

/** sum: Σ w·v over valid pixels, w the overlap area. */
const sum = areaKernel(() => {
  let s = 0; let cnt = 0;
  return {
    reset() { s = 0; cnt = 0; },
    row(values, valid, k0, n, e0, e1, wy) {
      for (let j = 0; j < n; j++) {
        if (valid !== null && valid[k0 + j] === 0) continue;
        s += (values[k0 + j] as number) * segmentWeight(j, n, e0, e1, wy); cnt++;
      }
    },
    done() { return cnt > 0 ? s : null; },
  };
});

const extreme = (pick: (a: number, b: number) => boolean): Kernel => areaKernel(() => {
  let best = 0; let cnt = 0;
  return {
    reset() { cnt = 0; },
    row(values, valid, k0, n) {
      for (let k = k0; k < k0 + n; k++) {
        if (valid !== null && valid[k] === 0) continue;
        const v = values[k] as number;
        if (cnt === 0 || pick(v, best)) best = v;
        cnt++;
      }
    },
    done() { return cnt > 0 ? best : null; },
  };
});

/**
 * mode: the most frequent value among the overlapped valid pixels, counted in row-major order; the mode changes only
 * when a value's count overtakes the current mode's, so of equally frequent values the one that got there first wins.
 */
const mode = areaKernel(() => {
  const vals: number[] = [];
  const counts: number[] = [];
  let best = -1;
  const visit = (v: number): void => {
    const j = vals.indexOf(v);
    if (j < 0) {
      vals.push(v);
      counts.push(1);
      if (best < 0) best = 0;
      return;
    }
    const c = (counts[j] as number) + 1;
    counts[j] = c;
    if (c > (counts[best] as number)) best = j;
  };
  return {
    reset() { vals.length = 0; counts.length = 0; best = -1; },
    row(values, valid, k0, n) {
      for (let k = k0; k < k0 + n; k++) if (valid === null || valid[k] !== 0) visit(values[k] as number);
    },
    done() { return best < 0 ? null : vals[best] as number; },
  };
});

/** One table from method to kernel. */
export const WARP_KERNELS: Readonly<Record<Resampling, Kernel>> = {
  nearest, bilinear, average, sum, mode,
  min: extreme((a, b) => a < b),
  max: extreme((a, b) => a > b),
};
