// Per-chunk raster steps, one function each in a table keyed by step: band math, warps and time states keep a
// chunk; zonal and spatial partials and rows end a task with another kind of value.
import { ExecutionError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import type { RasterStep } from "@tessera/ops";
import type { RasterChunk, SpacePartial, ZonalPartialRow } from "@tessera/raster";
import { bandMath, chunkToRows, reduceSpacePartial, reduceTimePartial, warpChunk, zonalPartial } from "@tessera/raster";

type StepOf<T extends RasterStep["t"]> = Extract<RasterStep, { t: T }>;
type StepResult = RasterChunk | ZonalPartialRow[] | SpacePartial | Batch;
type StepFn<T extends RasterStep["t"]> = (c: RasterChunk, s: StepOf<T>) => StepResult;

/** Rows with exactly the plan's fields (a chunk without invalid pixels would otherwise say its bands are not nullable). */
function toRows(c: RasterChunk, s: StepOf<"toRows">): Batch {
  const b = chunkToRows(c, { bands: s.bands, lonLat: s.lonLat, dropInvalid: s.dropInvalid });
  if (b.columns.length !== s.fields.length) throw new ExecutionError("RASTER_ROWS_MISMATCH", `cells to rows made ${b.columns.length} columns, the plan expects ${s.fields.length}`);
  return { ...b, fields: s.fields };
}

const STEPS: { readonly [T in RasterStep["t"]]: StepFn<T> } = {
  bandMath: (c, s) => bandMath(c, { exprs: s.exprs }),
  warp: (c, s) => warpChunk(c, { srcGrid: s.srcGrid, dstGrid: s.dstGrid, dstWindow: s.dstWindow, method: s.method, scale: s.scale }),
  timePartial: (c) => reduceTimePartial(c),
  zonalPartial: (c, s) => zonalPartial(c, { zones: s.zones, rule: s.rule, bands: s.bands }),
  spacePartial: (c, s) => reduceSpacePartial(c, { bands: s.bands }),
  toRows,
};

/** Steps that end a task: nothing may follow them. */
export const TERMINAL_STEPS: ReadonlySet<RasterStep["t"]> = new Set(["zonalPartial", "spacePartial", "toRows"]);

export function applyRasterStep(c: RasterChunk, step: RasterStep): StepResult {
  const f = STEPS[step.t] as StepFn<typeof step.t>;
  return f(c, step as never);
}
