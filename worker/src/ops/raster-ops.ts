// Raster operations the workers run: chunk tasks (a source, then fused per-chunk steps) and the merge trees of zonal
// and spatial statistics.
import { ExecutionError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import type { RasterChunkArgs, SpaceMergeArgs, ZonalMergeArgs } from "@tessera/ops";
import type { SpacePartial, ZonalPartialRow } from "@tessera/raster";
import { isRasterChunk, reduceSpaceMerge, reduceSpaceRows, shareChunk, zonalFinalize, zonalMerge } from "@tessera/raster";
import type { OpHandlers } from "./op-descriptor.js";
import { chunkFromSource } from "./raster-sources.js";
import { TERMINAL_STEPS, applyRasterStep } from "./raster-steps.js";

/**
 * A chunk from the source, then each step. A chunk result is returned in shared memory (arrays the steps allocated
 * elsewhere are copied there once), so it reaches later tasks' pool threads without further copies.
 */
async function rasterChunk(a: RasterChunkArgs, inputs: readonly unknown[]): Promise<unknown> {
  let c = await chunkFromSource(a.source, inputs);
  for (let i = 0; i < a.steps.length; i++) {
    const step = a.steps[i] as RasterChunkArgs["steps"][number];
    const r = applyRasterStep(c, step);
    if (TERMINAL_STEPS.has(step.t)) {
      if (i !== a.steps.length - 1) throw new ExecutionError("BAD_OP_ARGS", `op raster-chunk: step ${step.t} must be the last one`);
      return r;
    }
    if (!isRasterChunk(r)) throw new ExecutionError("RASTER_BAD_STEP", `step ${step.t} did not produce a chunk`);
    c = r;
  }
  return shareChunk(c);
}

/** Inputs are partial rows of chunks or of earlier merges (lists either way). */
function zonalMergeOp(a: ZonalMergeArgs, inputs: readonly unknown[]): ZonalPartialRow[] | Batch {
  const merged = zonalMerge(inputs as ZonalPartialRow[][]);
  if (a.finalize === null) return merged;
  const f = a.finalize;
  const rows = zonalFinalize(merged, f.zones.map((id) => ({ id, rings: [] })), f.bands, f.stats, f.times);
  return withFields(rows, f.fields, "zonal statistics");
}

/** Inputs are chunks' partials or earlier merges (lists of partials, one per time). */
function spaceMergeOp(a: SpaceMergeArgs, inputs: readonly unknown[]): SpacePartial[] | Batch {
  const parts = inputs.flatMap((x) => (Array.isArray(x) ? x as SpacePartial[] : [x as SpacePartial]));
  const merged = reduceSpaceMerge(parts);
  if (a.finalize === null) return merged;
  const withTime = a.finalize.fields.some((f) => f.name === "time");
  return withFields(reduceSpaceRows(merged, a.finalize.stats, withTime), a.finalize.fields, "spatial statistics");
}

/** The batch under the plan's fields (same names and types; the plan decides nullability). */
function withFields(b: Batch, fields: Batch["fields"], what: string): Batch {
  const same = b.fields.length === fields.length && b.fields.every((f, i) => f.name === fields[i]?.name && f.type === fields[i]?.type);
  if (!same) {
    throw new ExecutionError("RASTER_ROWS_MISMATCH", `${what} made columns [${b.fields.map((f) => `${f.name}:${f.type}`).join(", ")}], the plan expects [${fields.map((f) => `${f.name}:${f.type}`).join(", ")}]`);
  }
  return { ...b, fields };
}

export const RASTER_HANDLERS = {
  "raster-chunk": rasterChunk,
  "raster-zonal-merge": zonalMergeOp,
  "raster-space-merge": spaceMergeOp,
} satisfies Partial<OpHandlers>;
