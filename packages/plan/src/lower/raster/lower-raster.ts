// Lowers a raster plan into chunk work: reads by whole file blocks, band math fused into the chunk that makes it,
// warps reading each target chunk's source window with its halo, time reductions folded per window in time order,
// rasterized frames binned per window.
import type { RasterStep, Step } from "@tessera/ops";
import type { Grid, Window } from "@tessera/raster";
import { chunkWindows, planWarp } from "@tessera/raster";
import type { RasterNode } from "../../nodes.js";
import { bandMathExprs, scanLevel } from "../../raster/raster-info.js";
import type { RasterScanNode } from "../../raster/raster-nodes.js";
import { isResolvedRaster } from "../../raster/raster-nodes.js";
import { InternalError } from "@tessera/common";
import { mapStage } from "../builder.js";
import type { ChunkPart, PendingChunk, RasterLowering, RasterStage } from "./raster-stage.js";
import { appendChunkStep, chunksUnder, mapChunks, materializeChunk, mosaicSource } from "./raster-stage.js";

/** Windows of `width`×`height` pixels over a grid made by Tessera (no file blocks to align to), row-major. */
function shapeWindows(g: Grid, shape: { width: number; height: number }): Window[] {
  const out: Window[] = [];
  for (let y = 0; y < g.height; y += shape.height) {
    for (let x = 0; x < g.width; x += shape.width) out.push({ x, y, width: Math.min(shape.width, g.width - x), height: Math.min(shape.height, g.height - y) });
  }
  return out;
}

function lowerScan(n: RasterScanNode, ctx: RasterLowering): RasterStage {
  const info = ctx.info(n);
  const s = n.source;
  if (!isResolvedRaster(s)) throw new InternalError("UNRESOLVED", "raster source not resolved");
  const meta = s.format === "geotiff" ? s.meta : s.first;
  const urls = s.format === "geotiff" ? [s.url] : s.meta.items.map((it) => it.url);
  const bands = info.bands.map((b) => meta.bands.indexOf(b.name));
  const windows = chunkWindows(info.grid, scanLevel(n).block, info.chunkSize);
  const at = (w: Window, t: number): PendingChunk => ({
    source: { type: "read", url: urls[t] as string, window: w, bands, overview: n.overview ?? 0, time: info.times[t] ?? null },
    deps: [], steps: [], label: "raster-read",
  });
  return { info, windows, parts: info.times.map((_, t) => windows.map((w) => at(w, t))), at };
}

function lowerWarp(n: RasterNode & { kind: "regrid" | "reproject" }, ctx: RasterLowering): RasterStage {
  const info = ctx.info(n);
  const input = lowerRaster(n.input, ctx);
  const src = input.info;
  const windows = shapeWindows(info.grid, info.chunk);
  const { scale, tasks } = planWarp(src.grid, info.grid, n.method, windows, src.where);
  const parts = info.times.map((time, t) => tasks.map((task): ChunkPart => {
    if (task.srcWindow === null) {
      return { source: { type: "blank", grid: info.grid, window: task.dstWindow, bands: info.bands, time }, deps: [], steps: [], label: "raster-blank" };
    }
    const step: RasterStep = { t: "warp", srcGrid: src.grid, dstGrid: info.grid, dstWindow: task.dstWindow, method: n.method, scale };
    // The source window (footprint plus the kernel's halo) read directly, or mosaicked from the input's chunks.
    if (input.at !== null) return appendChunkStep(input, input.at(task.srcWindow, t), task.srcWindow, t, step, "raster-warp");
    return { source: mosaicSource(input, task.srcWindow, t), deps: chunksUnder(ctx.g, input, task.srcWindow, t), steps: [step], label: "raster-warp" };
  }));
  return { info, windows, parts, at: null };
}

function lowerReduceTime(n: RasterNode & { kind: "reduceTime" }, ctx: RasterLowering): RasterStage {
  const info = ctx.info(n);
  const input = lowerRaster(n.input, ctx);
  const states = mapChunks(input, { t: "timePartial" }, "raster-time-partial");
  const parts = input.windows.map((_, i): ChunkPart => {
    // One task per window folds the slices' states in time order: the rounding is the same for any chunking.
    const deps = states.map((row, t) => materializeChunk(ctx.g, row[i] as PendingChunk, t * input.windows.length + i));
    return { source: { type: "timeMerge", stats: n.stats }, deps, steps: [], label: "raster-time" };
  });
  return { info, windows: input.windows, parts: [parts], at: null };
}

/**
 * Each of the frame's partitions is split once by the window its rows fall in (a step fused into the partition's
 * pipeline); each window's task takes its piece of every partition, in partition order. Rows move once.
 */
function lowerRasterize(n: RasterNode & { kind: "rasterize" }, ctx: RasterLowering): RasterStage {
  const info = ctx.info(n);
  const frame = ctx.frameStage(n.frame);
  const windows = shapeWindows(info.grid, info.chunk);
  const split: Step = { t: "gridSplit", grid: info.grid, shape: info.chunk, x: n.x, y: n.y, crs: n.crs };
  const splits = ctx.g.materializeAll(mapStage(frame, split, frame.fields, "rasterize-split"));
  const parts = windows.map((w, i): PendingChunk => ({
    source: { type: "rasterize", grid: info.grid, window: w, x: n.x, y: n.y, crs: n.crs, value: n.value, agg: n.agg, name: n.name },
    deps: splits.map((k) => ctx.g.pick(k, i)), steps: [], label: "rasterize",
  }));
  return { info, windows, parts: [parts], at: null };
}

/** The chunks of a raster plan (resolved and validated: ctx.info answers for every node). */
export function lowerRaster(n: RasterNode, ctx: RasterLowering): RasterStage {
  switch (n.kind) {
    case "rasterScan": return lowerScan(n, ctx);
    case "bandMath": {
      const input = lowerRaster(n.input, ctx);
      const step: RasterStep = { t: "bandMath", exprs: bandMathExprs(n.exprs, n.append, input.info.bands) };
      const at = input.at;
      return {
        info: ctx.info(n), windows: input.windows, parts: mapChunks(input, step, "raster-math"),
        at: at === null ? null : (w, t) => appendChunkStep(input, at(w, t), w, t, step, "raster-math"),
      };
    }
    case "regrid": case "reproject": return lowerWarp(n, ctx);
    case "reduceTime": return lowerReduceTime(n, ctx);
    case "rasterize": return lowerRasterize(n, ctx);
  }
}
