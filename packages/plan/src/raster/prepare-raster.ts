// A raster job made ready to lower: headers read, every node validated (coded PlanErrors naming the band, CRS, grid
// or file), the sink checked, and reads narrowed to the bands the job uses.
import type { RasterNode, RasterSinkNode } from "../nodes.js";
import { resolveSources } from "../resolve-sources.js";
import { schemaOf } from "../schema.js";
import { checkRasterSink } from "./check-raster-sink.js";
import type { NeededBands } from "./narrow-bands.js";
import { narrowBands } from "./narrow-bands.js";
import type { RasterInfo } from "./raster-info.js";
import { rasterInfo } from "./raster-info.js";
import { resolveRaster } from "./resolve-raster.js";

export interface PreparedRaster<P extends RasterNode | RasterSinkNode> {
  /** Sources resolved, as the user wrote it. */
  readonly resolved: P;
  /** Reads narrowed to the bands used. */
  readonly optimized: P;
  /** The shape of the raster the job produces (or writes). */
  readonly info: RasterInfo;
}

/** Resolves, validates and optimizes a raster job; throws before any task exists when anything is wrong. */
export async function prepareRaster<P extends RasterNode | RasterSinkNode>(plan: P): Promise<PreparedRaster<P>> {
  const frameSchema = (p: Parameters<typeof schemaOf>[0]) => schemaOf(p);
  const sinkNode = plan.kind === "rasterSink" ? plan as RasterSinkNode : null;
  const root: RasterNode = sinkNode !== null ? sinkNode.input : plan as RasterNode;
  const input = await resolveRaster(root, (p) => resolveSources(p));
  const info = rasterInfo(input, frameSchema);
  let needed: NeededBands = null;
  if (sinkNode !== null) {
    checkRasterSink(sinkNode.sink, info);
    if (sinkNode.sink.t === "tiles") needed = new Set([sinkNode.sink.band ?? (info.bands[0]?.name as string)]);
  }
  const narrowed = narrowBands(input, needed);
  // The narrowed plan must still be valid and make the bands the job writes.
  rasterInfo(narrowed, frameSchema);
  const wrap = (n: RasterNode): P => (sinkNode !== null ? { ...sinkNode, input: n } : n) as P;
  return { resolved: wrap(input), optimized: wrap(narrowed), info };
}
