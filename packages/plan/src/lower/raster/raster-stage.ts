// A lowered raster: its chunks per time and window, each a task's key or pending work (a source plus steps) that
// becomes one "raster-chunk" task when something consumes it, so per-chunk steps fuse into the task that makes it.
import type { Schema } from "@tessera/common";
import type { ChunkSource, RasterStep } from "@tessera/ops";
import type { Window } from "@tessera/raster";
import { intersectWindows } from "@tessera/raster";
import type { PlanNode, RasterNode } from "../../nodes.js";
import type { RasterInfo } from "../../raster/raster-info.js";
import type { GraphBuilder, Stage } from "../builder.js";

/** A chunk not yet a task: where it comes from, the tasks it reads, and the steps to apply. */
export interface PendingChunk {
  readonly source: ChunkSource;
  readonly deps: readonly string[];
  readonly steps: readonly RasterStep[];
  /** The task's label (dashboard, errors): its source's, or the first step's when it starts from other chunks. */
  readonly label: string;
}

export type ChunkPart = { readonly key: string } | PendingChunk;

export interface RasterStage {
  readonly info: RasterInfo;
  /** The chunk windows of info.grid, row-major. */
  readonly windows: readonly Window[];
  /** parts[t][i]: the chunk of window i at time slice t. */
  readonly parts: readonly (readonly ChunkPart[])[];
  /** Pending work making any window at time t, when the raster makes windows on demand (see windowsOnDemand). */
  readonly at: ((w: Window, t: number) => PendingChunk) | null;
}

/** What raster lowering needs from the frame lowerer that drives it. */
export interface RasterLowering {
  readonly g: GraphBuilder;
  readonly fanIn: number;
  info(n: RasterNode): RasterInfo;
  /** A frame plan lowered (optimized first), for rasterize. */
  frameStage(p: PlanNode): Stage;
  schema(p: PlanNode): Schema;
}

export function isPendingChunk(p: ChunkPart): p is PendingChunk {
  return !("key" in p);
}

/** `part` as a task key, emitting the fused raster-chunk task for pending work. */
export function materializeChunk(g: GraphBuilder, part: ChunkPart, partition: number): string {
  if (!isPendingChunk(part)) return part.key;
  return g.add("raster-chunk", { source: part.source, steps: part.steps }, part.deps, part.label, partition);
}

/** Every chunk of one time slice as task keys, in window order. */
export function materializeSlice(g: GraphBuilder, s: RasterStage, t: number): string[] {
  return (s.parts[t] ?? []).map((p, i) => materializeChunk(g, p, t * s.windows.length + i));
}

/** The mosaic source of window `w` of the stage's grid at time t (its input chunks are the task's dependencies). */
export function mosaicSource(s: RasterStage, w: Window, t: number): ChunkSource {
  return { type: "mosaic", grid: s.info.grid, window: w, bands: s.info.bands, time: s.info.times[t] ?? null };
}

/** `step` fused onto a pending part, or the start of new pending work over a materialized one. */
export function appendChunkStep(s: RasterStage, part: ChunkPart, w: Window, t: number, step: RasterStep, label: string): PendingChunk {
  if (isPendingChunk(part)) return { ...part, steps: [...part.steps, step] };
  return { source: mosaicSource(s, w, t), deps: [part.key], steps: [step], label };
}

/** Every part of the stage with `step` appended. */
export function mapChunks(s: RasterStage, step: RasterStep, label: string): (readonly PendingChunk[])[] {
  return s.parts.map((row, t) => row.map((p, i) => appendChunkStep(s, p, s.windows[i] as Window, t, step, label)));
}

/** Task keys of the stage's chunks at time t that overlap `w` (materialized as needed). */
export function chunksUnder(g: GraphBuilder, s: RasterStage, w: Window, t: number): string[] {
  const out: string[] = [];
  s.windows.forEach((cw, i) => {
    if (intersectWindows(cw, w).width > 0) out.push(materializeChunk(g, (s.parts[t] as readonly ChunkPart[])[i] as ChunkPart, t * s.windows.length + i));
  });
  return out;
}

/** A merge tree over `keys` with fan-in `fanIn`: groups merged level by level in order; returns the last level's keys (at most fanIn). */
export function mergeLevels(g: GraphBuilder, keys: readonly string[], fanIn: number, merge: (group: readonly string[], index: number) => string): string[] {
  let level = [...keys];
  while (level.length > fanIn) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += fanIn) next.push(merge(level.slice(i, i + fanIn), next.length));
    level = next;
  }
  return level;
}
