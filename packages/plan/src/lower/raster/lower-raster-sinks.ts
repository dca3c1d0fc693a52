// Lowers a raster job's end: collect (every chunk back, in time then window order), a COG (one task mosaics every
// chunk, encodes and puts the file), or tiles (one chunk and one write per z/x/y tile, then a commit task).
import { PlanError } from "@tessera/common";
import type { RasterStep } from "@tessera/ops";
import type { Window } from "@tessera/raster";
import { planTiles } from "@tessera/raster";
import type { RasterNode, RasterSinkNode } from "../../nodes.js";
import type { PendingChunk, RasterLowering, RasterStage } from "./raster-stage.js";
import { appendChunkStep, chunksUnder, materializeChunk, materializeSlice, mosaicSource } from "./raster-stage.js";
import { lowerRaster } from "./lower-raster.js";

/** The task keys a raster job returns, in order, and the raster's stage. */
export interface RasterJob {
  readonly outputs: readonly string[];
  readonly stage: RasterStage;
}

/** Every chunk, time-major: the client mosaics them per time slice. */
export function lowerRasterCollect(n: RasterNode, ctx: RasterLowering): RasterJob {
  const stage = lowerRaster(n, ctx);
  return { stage, outputs: stage.info.times.flatMap((_, t) => materializeSlice(ctx.g, stage, t)) };
}

function lowerTiles(stage: RasterStage, sink: RasterSinkNode["sink"] & { t: "tiles" }, ctx: RasterLowering): string {
  const info = stage.info;
  const band = sink.band ?? (info.bands[0]?.name as string);
  const pick: RasterStep[] = info.bands.length > 1 ? [{ t: "bandMath", exprs: [{ op: "col", name: band }] }] : [];
  const tasks = planTiles(info.grid, { minZoom: sink.minZoom, maxZoom: sink.maxZoom, tileSize: sink.tileSize, resampling: sink.resampling }, info.where);
  const written: string[] = [];
  tasks.forEach((task, i) => {
    const src = task.srcWindow;
    if (src === null) return;
    const dstWindow: Window = { x: 0, y: 0, width: task.grid.width, height: task.grid.height };
    const warp: RasterStep = { t: "warp", srcGrid: info.grid, dstGrid: task.grid, dstWindow, method: sink.resampling, scale: task.scale };
    let part: PendingChunk;
    if (stage.at !== null) {
      part = stage.at(src, 0);
      for (const step of [...pick, warp]) part = appendChunkStep(stage, part, src, 0, step, "raster-tile-chunk");
    } else {
      part = { source: mosaicSource(stage, src, 0), deps: chunksUnder(ctx.g, stage, src, 0), steps: [...pick, warp], label: "raster-tile-chunk" };
    }
    const chunk = materializeChunk(ctx.g, part, i);
    written.push(ctx.g.add("raster-tile", { url: sink.url, tile: task.tile, format: sink.format, colormap: sink.colormap, band: 0 }, [chunk], "raster-tile", i));
  });
  return ctx.g.add("raster-tile-commit", { url: sink.url, token: sink.token, format: sink.format, minZoom: sink.minZoom, maxZoom: sink.maxZoom }, written, "raster-tile-commit");
}

/** A GeoTIFF sink's or tile sink's tasks; the one output is the written file's (or the pyramid's manifest's) task. */
export function lowerRasterSink(n: RasterSinkNode, ctx: RasterLowering): RasterJob {
  const stage = lowerRaster(n.input, ctx);
  const info = stage.info;
  if (info.times.length !== 1) {
    throw new PlanError("RASTER_TIME_DIMENSION", `${info.where} has ${info.times.length} time slices; reduce over time (reduceTime) before writing a GeoTIFF or tiles`);
  }
  const s = n.sink;
  if (s.t === "geotiff") {
    const key = ctx.g.add("raster-cog", { url: s.url, grid: info.grid, bands: info.bands, options: s.options }, materializeSlice(ctx.g, stage, 0), "raster-cog");
    return { stage, outputs: [key] };
  }
  return { stage, outputs: [lowerTiles(stage, s, ctx)] };
}
