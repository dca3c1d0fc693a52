// Zonal statistics as partial → merge → rows: per chunk, the reduction state of each zone's valid pixels per band;
// states of the same (zone, time, band) merge exactly; the final rows are a kernels Batch.
import { PlanError } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import { columnFromValues } from "@tessera/kernels";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { bandIndex } from "../chunk/raster-chunk.js";
import type { Window } from "../grid/window.js";
import { intersectWindows } from "../grid/window.js";
import type { ReduceState, ReduceStats } from "../math/reduce-state.js";
import { emptyReduceState, reduceBand, reduceFinalize, reduceMerge } from "../math/reduce-state.js";
import type { ZoneRule } from "./burn-zone.js";
import { burnZone } from "./burn-zone.js";
import type { PixelZone } from "./zones.js";
import { zoneWindow } from "./zones.js";

/** Plain-data arguments of a "zonal partial" task: the zones (pixel space of the chunk's grid) and the rule. */
export interface ZonalArgs {
  readonly zones: readonly PixelZone[];
  readonly rule: ZoneRule;
  readonly bands?: readonly string[];
}

/** One partial row: a zone's state for one band at one time (null outside stacks). */
export interface ZonalPartialRow {
  readonly zone: string | number;
  readonly time: number | null;
  readonly band: string;
  readonly state: ReduceState;
}

/** For each chunk window, the indices of the zones whose pixels may lie in it (so a reader fetches only those chunks). */
export function zonesPerChunk(zones: readonly PixelZone[], chunks: readonly Window[]): number[][] {
  const boxes = zones.map(zoneWindow);
  return chunks.map((c) => boxes.flatMap((b, i) => (intersectWindows(b, c).width > 0 ? [i] : [])));
}

/** The chunk windows that any zone touches, in their original order. */
export function chunksUnderZones(zones: readonly PixelZone[], chunks: readonly Window[]): Window[] {
  const per = zonesPerChunk(zones, chunks);
  return chunks.filter((_, i) => (per[i] as number[]).length > 0);
}

/**
 * "Zonal partial": per zone that reaches the chunk and per band, the state of the zone's valid pixels in the chunk.
 * Each zone is burned and reduced over its own box within the chunk only.
 */
export function zonalPartial(c: RasterChunk, args: ZonalArgs): ZonalPartialRow[] {
  const bands = (args.bands ?? c.bands).map((name) => ({ name, i: bandIndex(c, name) }));
  const rows: ZonalPartialRow[] = [];
  for (const z of args.zones) {
    const box = intersectWindows(zoneWindow(z), c.window);
    if (box.width <= 0) continue;
    const mask = burnZone(z, box, args.rule);
    if (mask.indexOf(1) < 0) continue;
    const region = { start: (box.y - c.window.y) * c.window.width + (box.x - c.window.x), width: box.width, rows: box.height, stride: c.window.width };
    for (const b of bands) {
      const state = emptyReduceState();
      reduceBand(state, c.data[b.i]!, c.valid[b.i] ?? null, mask, region);
      rows.push({ zone: z.id, time: c.time, band: b.name, state });
    }
  }
  return rows;
}

/** "Merge zonal partials": one row per (zone, time, band), exact, in any order of inputs. */
export function zonalMerge(parts: readonly (readonly ZonalPartialRow[])[]): ZonalPartialRow[] {
  const byKey = new Map<string, ZonalPartialRow>();
  for (const rows of parts) {
    for (const r of rows) {
      const key = JSON.stringify([r.zone, r.time, r.band]);
      const cur = byKey.get(key);
      if (cur === undefined) byKey.set(key, { ...r, state: reduceMerge(emptyReduceState(), r.state) });
      else reduceMerge(cur.state, r.state);
    }
  }
  return [...byKey.values()];
}

export type ZonalStat = "count" | "sum" | "mean" | "min" | "max" | "var" | "std";
export const ZONAL_STATS: readonly ZonalStat[] = ["count", "sum", "mean", "min", "max", "var", "std"];
const STAT_KEYS = ZONAL_STATS;

/**
 * Final rows as a Batch: zone, time (when any row has one), band, then the requested statistics, ordered by zone
 * (in `zones` order), time and band. Every zone appears, with count 0 and null statistics when no valid pixel of it
 * was seen. Integer zone ids give an int64 zone column (else utf8); count is int64, the other statistics float64.
 */
export function zonalFinalize(merged: readonly ZonalPartialRow[], zones: readonly PixelZone[], bands: readonly string[], stats: readonly ZonalStat[] = STAT_KEYS, times: readonly (number | null)[] = [null]): Batch {
  for (const s of stats) if (!STAT_KEYS.includes(s)) throw new PlanError("RASTER_BAD_STAT", `unknown zonal statistic "${s}"; known: ${STAT_KEYS.join(", ")}`);
  const index = new Map(merged.map((r) => [JSON.stringify([r.zone, r.time, r.band]), r.state]));
  const zoneCol: (string | number)[] = [];
  const timeCol: (number | null)[] = [];
  const bandCol: string[] = [];
  const statCols: (number | null)[][] = stats.map(() => []);
  for (const z of zones) {
    for (const t of times) {
      for (const b of bands) {
        const st: ReduceStats = reduceFinalize(index.get(JSON.stringify([z.id, t, b])) ?? emptyReduceState());
        zoneCol.push(z.id);
        timeCol.push(t);
        bandCol.push(b);
        stats.forEach((s, k) => (statCols[k] as (number | null)[]).push(st[s]));
      }
    }
  }
  const fields: Batch["fields"][number][] = [];
  const columns: Column[] = [];
  const add = (name: string, c: Column): void => { fields.push({ name, type: c.type, nullable: c.valid !== null }); columns.push(c); };
  const integerIds = zoneCol.every((v) => Number.isInteger(v));
  add("zone", integerIds ? columnFromValues("int64", zoneCol) : columnFromValues("utf8", zoneCol.map(String)));
  if (times.some((t) => t !== null)) add("time", columnFromValues("timestamp[ms]", timeCol));
  add("band", columnFromValues("utf8", bandCol));
  stats.forEach((s, k) => add(s, columnFromValues(s === "count" ? "int64" : "float64", statCols[k] as (number | null)[])));
  return { fields, columns, length: zoneCol.length };
}
