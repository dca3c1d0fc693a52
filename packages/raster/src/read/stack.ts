// Time stacks: several GeoTIFFs on one grid, one per time, seen as a (time, band, y, x) array read chunk by chunk.
import { PlanError } from "@tessera/common";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { gridsEqual } from "../grid/grid.js";
import type { Grid } from "../grid/grid.js";
import type { BlockShape } from "../grid/chunking.js";
import type { RasterDType } from "../chunk/band-array.js";
import type { RasterMeta } from "./open-tiff.js";
import { readRasterMeta } from "./open-tiff.js";
import type { ReadChunkArgs } from "./read-chunk.js";
import { readRasterChunk } from "./read-chunk.js";

/** One slice of a stack: a file and its time (milliseconds since the epoch). */
export interface StackItem {
  readonly url: string;
  readonly time: number;
}

/**
 * A stack's shape as plain data: slices sorted by time (dimension 0), then bands, rows, columns. Every file shares
 * the grid, band names and pixel type of the first; `block` is the first file's (chunks align to it).
 */
export interface StackMeta {
  readonly items: readonly StackItem[];
  readonly grid: Grid;
  readonly bands: readonly string[];
  readonly dtype: RasterDType;
  readonly nodata: number | null;
  readonly block: BlockShape;
  readonly shape: readonly [number, number, number, number];
}

/** Reads every file's header and checks that they line up; errors name the first file that does not. */
export async function readStackMeta(items: readonly StackItem[]): Promise<StackMeta> {
  if (items.length === 0) throw new PlanError("RASTER_EMPTY_STACK", "a raster stack needs at least one file");
  const sorted = [...items].sort((a, b) => a.time - b.time);
  for (let i = 1; i < sorted.length; i++) {
    if ((sorted[i] as StackItem).time === (sorted[i - 1] as StackItem).time) {
      throw new PlanError("RASTER_DUPLICATE_TIME", `two stack files share time ${new Date((sorted[i] as StackItem).time).toISOString()}: ${(sorted[i - 1] as StackItem).url}, ${(sorted[i] as StackItem).url}`);
    }
  }
  const metas = await Promise.all(sorted.map((it) => readRasterMeta(it.url)));
  const first = metas[0] as RasterMeta;
  metas.forEach((m, i) => {
    const url = (sorted[i] as StackItem).url;
    if (!gridsEqual(m.grid, first.grid)) throw new PlanError("RASTER_STACK_MISMATCH", `${url} is not on the grid of ${first.url} (stack files must share CRS, transform and size)`, { url });
    if (m.dtype !== first.dtype) throw new PlanError("RASTER_STACK_MISMATCH", `${url} holds ${m.dtype} pixels, ${first.url} holds ${first.dtype}`, { url });
    if (m.bands.length !== first.bands.length) throw new PlanError("RASTER_STACK_MISMATCH", `${url} has ${m.bands.length} bands, ${first.url} has ${first.bands.length}`, { url });
  });
  return {
    items: sorted, grid: first.grid, bands: first.bands, dtype: first.dtype, nodata: first.nodata, block: first.block,
    shape: [sorted.length, first.bands.length, first.grid.height, first.grid.width],
  };
}

/** One (time, window) chunk of a stack: the slice's file read at the window, stamped with its time. */
export async function readStackChunk(stack: StackMeta, timeIndex: number, args: Omit<ReadChunkArgs, "time">): Promise<RasterChunk> {
  const item = stack.items[timeIndex];
  if (item === undefined) throw new PlanError("RASTER_BAD_TIME_INDEX", `stack has ${stack.items.length} times, no index ${timeIndex}`);
  return readRasterChunk(item.url, { ...args, time: item.time });
}
