// Where a raster chunk task's chunk comes from: one function per chunk source (a file window, a mosaic of the task's
// input chunks, a blank window, rows rasterized, time states folded), in one table keyed by the source type.
import { ExecutionError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import type { ChunkSource } from "@tessera/ops";
import type { RasterChunk } from "@tessera/raster";
import {
  blankChunk, cropChunk, isRasterChunk, mosaicChunks, rasterizeFinalize, rasterizeMerge, rasterizePartial, readRasterChunk, reduceTimeFinalize,
  reduceTimeMerge, windowsEqual, windowContains,
} from "@tessera/raster";

type SourceOf<T extends ChunkSource["type"]> = Extract<ChunkSource, { type: T }>;
type SourceFn<T extends ChunkSource["type"]> = (s: SourceOf<T>, inputs: readonly unknown[]) => Promise<RasterChunk> | RasterChunk;

function chunksOf(inputs: readonly unknown[], what: string): RasterChunk[] {
  return inputs.map((x, i) => {
    if (!isRasterChunk(x)) throw new ExecutionError("BAD_INPUT", `${what} takes raster chunks; input ${i} is not one`);
    return x;
  });
}

/** The task's chunks cut and pasted onto the window: one input that is exactly the window passes through. */
const mosaic: SourceFn<"mosaic"> = (s, inputs) => {
  const parts = chunksOf(inputs, "a mosaic");
  if (parts.length === 0) return blankChunk(s.grid, s.window, s.bands, s.time);
  const only = parts.length === 1 ? parts[0] as RasterChunk : null;
  if (only !== null && windowsEqual(only.window, s.window)) return only;
  if (only !== null && windowContains(only.window, s.window)) return cropChunk(only, s.window);
  return mosaicChunks(parts, s.grid, s.window);
};

/** Partition states in input order, merged left to right (fixed, so results do not depend on placement). */
const rasterize: SourceFn<"rasterize"> = (s, inputs) => {
  let state: RasterChunk | null = null;
  inputs.forEach((b, i) => {
    if (typeof b !== "object" || b === null || !Array.isArray((b as Batch).columns)) throw new ExecutionError("BAD_INPUT", `rasterize takes a frame's partitions; input ${i} is not one`);
    const part = rasterizePartial(b as Batch, {
      grid: s.grid, window: s.window, x: s.x, y: s.y, ...(s.crs !== null ? { crs: s.crs } : {}), ...(s.value !== null ? { value: s.value } : {}),
    });
    state = state === null ? part : rasterizeMerge(state, part);
  });
  if (state === null) throw new ExecutionError("BAD_INPUT", "rasterize needs at least one partition");
  return rasterizeFinalize(state, s.agg, s.name);
};

/** Slices' states in time order, folded left (the order fixes the rounding), then finalized. */
const timeMerge: SourceFn<"timeMerge"> = (s, inputs) => {
  const states = chunksOf(inputs, "a time reduction");
  let acc = states[0];
  if (acc === undefined) throw new ExecutionError("BAD_INPUT", "a time reduction needs at least one slice");
  for (const next of states.slice(1)) acc = reduceTimeMerge(acc, next);
  return reduceTimeFinalize(acc, s.stats);
};

const SOURCES: { readonly [T in ChunkSource["type"]]: SourceFn<T> } = {
  read: (s) => readRasterChunk(s.url, { window: s.window, bands: s.bands, overview: s.overview, time: s.time }),
  mosaic,
  blank: (s) => blankChunk(s.grid, s.window, s.bands, s.time),
  rasterize,
  timeMerge,
};

/** The chunk a task starts from. */
export function chunkFromSource(s: ChunkSource, inputs: readonly unknown[]): Promise<RasterChunk> | RasterChunk {
  const f = SOURCES[s.type] as SourceFn<typeof s.type>;
  return f(s as never, inputs);
}
