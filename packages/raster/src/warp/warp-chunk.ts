// "Warp chunk": resamples a source chunk (with its halo) onto a window of the target grid, band by band.
import { ExecutionError } from "@tessera/common";
import type { BandArray } from "../chunk/band-array.js";
import { allocBand, allocMask, dtypeOfBand, isFloatDType } from "../chunk/band-array.js";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";
import type { Grid } from "../grid/grid.js";
import { windowGrid } from "../grid/grid.js";
import type { Window } from "../grid/window.js";
import { warpMapper } from "./pixel-mapper.js";
import type { Resampling } from "./resampling.js";
import { WARP_KERNELS } from "./warp-kernels.js";

/** Plain-data arguments of one warp task (see planWarp for `scale` and the source window to read). */
export interface WarpArgs {
  readonly srcGrid: Grid;
  readonly dstGrid: Grid;
  readonly dstWindow: Window;
  readonly method: Resampling;
  /** The whole grids' target-per-source pixel ratio (warpScale), the same for every chunk of one warp. */
  readonly scale: readonly [number, number];
}

/** Stores a float64 result in the band's type: floats round to nearest, integers round half up and clamp (as GDAL). */
function store(out: BandArray, i: number, v: number): void {
  if (out instanceof Float32Array || out instanceof Float64Array) { out[i] = v; return; }
  const r = Math.floor(v + 0.5);
  const lo = out instanceof Int8Array ? -128 : out instanceof Int16Array ? -32768 : out instanceof Int32Array ? -2147483648 : 0;
  const hi = out instanceof Uint8Array ? 255 : out instanceof Int8Array ? 127 : out instanceof Uint16Array ? 65535
    : out instanceof Int16Array ? 32767 : out instanceof Uint32Array ? 4294967295 : 2147483647;
  out[i] = r < lo ? lo : r > hi ? hi : r;
}

/**
 * Resamples `src` (a window of `args.srcGrid` holding every pixel the target window needs; see planWarp) onto
 * `args.dstWindow` of `args.dstGrid`. Bands keep their names and pixel types; a target pixel nothing valid maps to is
 * invalid and holds the band's nodata value (NaN for float bands without one, else 0).
 */
export function warpChunk(src: RasterChunk, args: WarpArgs): RasterChunk {
  const map = warpMapper(args.srcGrid, args.dstGrid);
  const w = args.dstWindow;
  const n = w.width * w.height;
  const kernel = WARP_KERNELS[args.method];
  if (kernel === undefined) throw new ExecutionError("RASTER_BAD_RESAMPLING", `unknown resampling ${String(args.method)}`);
  const data: BandArray[] = [];
  const valid: (Uint8Array | null)[] = [];
  const nodata: (number | null)[] = [];
  src.data.forEach((values, b) => {
    const dtype = dtypeOfBand(values);
    const nd = src.nodata[b] ?? (isFloatDType(dtype) ? Number.NaN : null);
    const target = { window: w, values: new Float64Array(n), valid: allocMask(n) };
    kernel({ window: src.window, values, valid: src.valid[b] ?? null, gridWidth: args.srcGrid.width, gridHeight: args.srcGrid.height }, target, { map, scale: args.scale });
    const out = allocBand(dtype, n);
    if (isFloatDType(dtype)) {
      // Float bands take the values as they are (rounded to float32 by the array): no per-pixel type dispatch.
      out.set(target.values);
      if (nd !== null) for (let i = 0; i < n; i++) if (target.valid[i] === 0) out[i] = nd;
    } else {
      for (let i = 0; i < n; i++) {
        if (target.valid[i] === 1) store(out, i, target.values[i] as number);
        else if (nd !== null) out[i] = nd;
      }
    }
    data.push(out);
    valid.push(target.valid.indexOf(0) < 0 ? null : target.valid);
    nodata.push(nd);
  });
  return makeChunk({ grid: windowGrid(args.dstGrid, w), window: w, bands: src.bands, data, valid, nodata, time: src.time });
}
