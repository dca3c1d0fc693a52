// Reductions over time, per pixel: each slice's chunk becomes a state chunk (count, double-double sums, min, max
// per band), states merge in time order, and the final chunk holds the requested statistics as bands.
import { ExecutionError, PlanError, assertNever } from "@tessera/common";
import type { BandArray } from "../chunk/band-array.js";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";
import { gridsEqual } from "../grid/grid.js";
import { centredDD } from "./reduce-state.js";

export type PixelStat = "count" | "sum" | "mean" | "min" | "max" | "var" | "std";
export const PIXEL_STATS: readonly PixelStat[] = ["count", "sum", "mean", "min", "max", "var", "std"];

/** Parts of a per-pixel state, in this order, per input band; a state chunk's bands are `${band}:${part}`. */
const PARTS = ["count", "sum_hi", "sum_lo", "sq_hi", "sq_lo", "min", "max"] as const;
const SPLIT = 134217729;

/** "Partial of a time reduction": the state chunk of one slice (every band, float64 parts, no masks). */
export function reduceTimePartial(c: RasterChunk): RasterChunk {
  const n = c.grid.width * c.grid.height;
  const data: Float64Array[] = [];
  const bands: string[] = [];
  c.data.forEach((values, b) => {
    const valid = c.valid[b] ?? null;
    const [cnt, sh, sl, qh, ql, mn, mx] = PARTS.map(() => new Float64Array(n)) as Float64Array[] as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
    mn.fill(Infinity);
    mx.fill(-Infinity);
    for (let i = 0; i < n; i++) {
      if (valid !== null && valid[i] === 0) continue;
      const x = values[i] as number;
      cnt[i] = 1; sh[i] = x; mn[i] = x; mx[i] = x;
      const p = x * x;
      const cc = SPLIT * x;
      const h = cc - (cc - x);
      const l = x - h;
      qh[i] = p;
      ql[i] = Number.isFinite(p) ? ((h * h - p) + 2 * h * l) + l * l : 0;
    }
    data.push(cnt, sh, sl, qh, ql, mn, mx);
    for (const part of PARTS) bands.push(`${c.bands[b]}:${part}`);
  });
  return makeChunk({ grid: c.grid, window: c.window, bands, data, time: c.time });
}

/** Adds (bh, bl) into (ah[i], al[i]) in double-double. */
function ddAddInto(ah: Float64Array, al: Float64Array, bh: Float64Array, bl: Float64Array): void {
  for (let i = 0; i < ah.length; i++) {
    const a = ah[i] as number;
    const b = bh[i] as number;
    const s = a + b;
    const bb = s - a;
    const e = (a - (s - bb)) + (b - bb) + (al[i] as number) + (bl[i] as number);
    const hi = s + e;
    ah[i] = hi;
    al[i] = Number.isFinite(hi) ? e - (hi - s) : 0;
  }
}

/**
 * "Merge time partials": `later`'s slices added to `earlier`'s (a new chunk). Callers merge in time order (a left
 * fold over slices sorted by time), which fixes the rounding: the result is the same for any spatial chunking and
 * any number of workers.
 */
export function reduceTimeMerge(earlier: RasterChunk, later: RasterChunk): RasterChunk {
  if (!gridsEqual(earlier.grid, later.grid) || earlier.bands.join() !== later.bands.join()) {
    throw new ExecutionError("RASTER_STATE_MISMATCH", "time partials of different windows or bands cannot merge");
  }
  const data = earlier.data.map((a) => (a as Float64Array).slice());
  for (let k = 0; k < data.length; k += PARTS.length) {
    const d = (j: number): Float64Array => data[k + j] as Float64Array;
    const o = (j: number): Float64Array => later.data[k + j] as Float64Array;
    const cnt = d(0); const ocnt = o(0);
    for (let i = 0; i < cnt.length; i++) cnt[i] = (cnt[i] as number) + (ocnt[i] as number);
    ddAddInto(d(1), d(2), o(1), o(2));
    ddAddInto(d(3), d(4), o(3), o(4));
    const mn = d(5); const omn = o(5); const mx = d(6); const omx = o(6);
    for (let i = 0; i < mn.length; i++) {
      if ((omn[i] as number) < (mn[i] as number)) mn[i] = omn[i] as number;
      if ((omx[i] as number) > (mx[i] as number)) mx[i] = omx[i] as number;
    }
  }
  return makeChunk({ grid: earlier.grid, window: earlier.window, bands: earlier.bands, data, time: null });
}

/** "Finalize a time reduction": bands `${band}_${stat}` (float64; invalid where no slice had a valid value, and var/std need two). */
export function reduceTimeFinalize(state: RasterChunk, stats: readonly PixelStat[]): RasterChunk {
  for (const s of stats) if (!PIXEL_STATS.includes(s)) throw new PlanError("RASTER_BAD_STAT", `unknown statistic "${s}"; known: ${PIXEL_STATS.join(", ")}`);
  const n = state.grid.width * state.grid.height;
  const data: BandArray[] = [];
  const valid: (Uint8Array | null)[] = [];
  const bands: string[] = [];
  for (let k = 0; k < state.data.length; k += PARTS.length) {
    const name = (state.bands[k] as string).replace(/:count$/, "");
    const [cnt, sh, sl, qh, ql, mn, mx] = state.data.slice(k, k + PARTS.length) as Float64Array[];
    for (const stat of stats) {
      const out = new Float64Array(n);
      const ok = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        const c = cnt![i] as number;
        const sum = (sh![i] as number) + (sl![i] as number);
        let v: number;
        switch (stat) {
          case "count": v = c; break;
          case "sum": v = sum; break;
          case "mean": v = sum / c; break;
          case "min": v = mn![i] as number; break;
          case "max": v = mx![i] as number; break;
          case "var": case "std": {
            const m2 = Math.max(0, centredDD(qh![i] as number, ql![i] as number, sh![i] as number, sl![i] as number, c));
            v = stat === "var" ? m2 / (c - 1) : Math.sqrt(m2 / (c - 1));
            break;
          }
          default: assertNever(stat, "statistic");
        }
        const defined = stat === "count" || (c > 0 && (stat !== "var" && stat !== "std" || c > 1));
        out[i] = defined ? v : Number.NaN;
        ok[i] = defined ? 1 : 0;
      }
      data.push(out);
      valid.push(ok.indexOf(0) < 0 ? null : ok);
      bands.push(`${name}_${stat}`);
    }
  }
  return makeChunk({ grid: state.grid, window: state.window, bands, data, valid, nodata: data.map(() => Number.NaN), time: null });
}
