// Lowers the frames made from rasters: cells as rows (one partition per chunk), zonal statistics (partials of only
// the chunks under zones, reading only the zones' part of each, then a merge tree) and statistics over all cells.
import type { Schema } from "@tessera/common";
import type { RasterStep } from "@tessera/ops";
import type { Window } from "@tessera/raster";
import { intersectWindows, zoneWindow, zonesPerChunk, zonesToPixels } from "@tessera/raster";
import type { FromRasterNode } from "../../nodes.js";
import type { Stage } from "../builder.js";
import type { ChunkPart, RasterLowering, RasterStage } from "./raster-stage.js";
import { appendChunkStep, materializeChunk, mergeLevels } from "./raster-stage.js";
import { lowerRaster } from "./lower-raster.js";

/** The smallest window holding `boxes`, cut to `w`. */
function boxWithin(w: Window, boxes: readonly Window[]): Window {
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (const b of boxes) {
    x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
  }
  return intersectWindows({ x: x0, y: y0, width: x1 - x0, height: y1 - y0 }, w);
}

/** Every chunk with a terminal step appended, as task keys (time-major, windows in order). */
function eachChunk(ctx: RasterLowering, s: RasterStage, step: (t: number, i: number) => { step: RasterStep; read: Window | null } | null, label: string): string[] {
  const keys: string[] = [];
  s.parts.forEach((row, t) => row.forEach((part, i) => {
    const w = s.windows[i] as Window;
    const want = step(t, i);
    if (want === null) return;
    // Where windows are made on demand, read only the part of the chunk the step looks at.
    const base: ChunkPart = want.read !== null && s.at !== null ? s.at(want.read, t) : part;
    const at = want.read !== null && s.at !== null ? want.read : w;
    keys.push(materializeChunk(ctx.g, appendChunkStep(s, base, at, t, want.step, label), t * s.windows.length + i));
  }));
  return keys;
}

export function lowerFromRaster(n: FromRasterNode, fields: Schema, ctx: RasterLowering): Stage {
  const s = lowerRaster(n.raster, ctx);
  const info = s.info;
  const bands = info.bands.map((b) => b.name);
  const v = n.view;
  switch (v.t) {
    case "rows": {
      const keys = eachChunk(ctx, s, () => ({ step: { t: "toRows", bands, lonLat: v.lonLat, dropInvalid: v.dropInvalid, fields }, read: null }), "raster-rows");
      return { parts: keys.map((key) => ({ key })), fields, rows: info.grid.width * info.grid.height * info.times.length };
    }
    case "zonal": {
      const zones = zonesToPixels(v.zones.map((z) => ({ id: z.id, polygons: z.polygons.map((p) => p.map((r) => r.map((pos) => [...pos]))) })), info.grid, v.crs);
      const per = zonesPerChunk(zones, s.windows);
      const keys = eachChunk(ctx, s, (_t, i) => {
        const mine = (per[i] as number[]).map((k) => zones[k] as (typeof zones)[number]);
        if (mine.length === 0) return null;
        return { step: { t: "zonalPartial", zones: mine, rule: v.rule, bands }, read: boxWithin(s.windows[i] as Window, mine.map(zoneWindow)) };
      }, "raster-zonal");
      const top = mergeLevels(ctx.g, keys, ctx.fanIn, (group, i) => ctx.g.add("raster-zonal-merge", { finalize: null }, group, "raster-zonal-merge", i));
      const finalize = { zones: v.zones.map((z) => z.id), bands, stats: v.stats, times: info.times, fields };
      const key = ctx.g.add("raster-zonal-merge", { finalize }, top, "raster-zonal-stats");
      return { parts: [{ key }], fields, rows: v.zones.length * info.times.length * bands.length };
    }
    case "stats": {
      const keys = eachChunk(ctx, s, () => ({ step: { t: "spacePartial", bands }, read: null }), "raster-stats");
      const top = mergeLevels(ctx.g, keys, ctx.fanIn, (group, i) => ctx.g.add("raster-space-merge", { finalize: null }, group, "raster-space-merge", i));
      const key = ctx.g.add("raster-space-merge", { finalize: { stats: v.stats, fields } }, top, "raster-stats-final");
      return { parts: [{ key }], fields, rows: info.times.length * bands.length };
    }
  }
}
