// Reductions over space: per band statistics of a chunk as partial states, merged across chunks (and per time).
import { PlanError } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import { columnFromValues } from "@tessera/kernels";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { bandIndex } from "../chunk/raster-chunk.js";
import type { ReduceState, ReduceStats } from "./reduce-state.js";
import { emptyReduceState, reduceBand, reduceFinalize, reduceMerge } from "./reduce-state.js";

/** A chunk's partial: one state per band, keyed by band name, with the chunk's time (null outside stacks). */
export interface SpacePartial {
  readonly time: number | null;
  readonly bands: readonly string[];
  readonly states: readonly ReduceState[];
}

/** "Reduce chunk over space": the statistics state of every valid pixel of the chosen bands (all by default). */
export function reduceSpacePartial(c: RasterChunk, args: { readonly bands?: readonly string[] } = {}): SpacePartial {
  const bands = args.bands ?? c.bands;
  const states = bands.map((name) => {
    const b = bandIndex(c, name);
    const s = emptyReduceState();
    reduceBand(s, c.data[b]!, c.valid[b] ?? null);
    return s;
  });
  return { time: c.time, bands, states };
}

/**
 * "Merge space partials": partials of the same time and bands combine into one per time, sorted by time.
 * Exact merges, so the result is the same for any chunking and any order of the inputs.
 */
export function reduceSpaceMerge(parts: readonly SpacePartial[]): SpacePartial[] {
  const byTime = new Map<number | null, SpacePartial>();
  for (const p of parts) {
    const cur = byTime.get(p.time);
    if (cur === undefined) {
      byTime.set(p.time, { time: p.time, bands: p.bands, states: p.states.map((s) => reduceMerge(emptyReduceState(), s)) });
      continue;
    }
    if (cur.bands.join("\u0000") !== p.bands.join("\u0000")) throw new PlanError("RASTER_BAND_MISMATCH", `cannot merge partials of bands ${p.bands.join(", ")} into ${cur.bands.join(", ")}`);
    p.states.forEach((s, i) => reduceMerge(cur.states[i] as ReduceState, s));
  }
  return [...byTime.values()].sort((a, b) => (a.time ?? -Infinity) - (b.time ?? -Infinity));
}

/** Final statistics per (time, band). */
export function reduceSpaceFinalize(p: SpacePartial): { time: number | null; band: string; stats: ReduceStats }[] {
  return p.bands.map((band, i) => ({ time: p.time, band, stats: reduceFinalize(p.states[i] as ReduceState) }));
}

/**
 * Final statistics of merged partials as rows: `time` (timestamp[ms], when `withTime`), `band`, then each of `stats`
 * (count int64, the others float64; null where undefined), one row per (time, band) in time then band order.
 */
export function reduceSpaceRows(merged: readonly SpacePartial[], stats: readonly (keyof ReduceStats)[], withTime: boolean): Batch {
  const times: (number | null)[] = [];
  const bands: string[] = [];
  const values: (number | null)[][] = stats.map(() => []);
  for (const p of merged) {
    for (const r of reduceSpaceFinalize(p)) {
      times.push(r.time);
      bands.push(r.band);
      stats.forEach((s, k) => (values[k] as (number | null)[]).push(r.stats[s]));
    }
  }
  const fields: Batch["fields"][number][] = [];
  const columns: Column[] = [];
  const add = (name: string, c: Column): void => { fields.push({ name, type: c.type, nullable: true }); columns.push(c); };
  if (withTime) add("time", columnFromValues("timestamp[ms]", times));
  add("band", columnFromValues("utf8", bands));
  stats.forEach((s, k) => add(s, columnFromValues(s === "count" ? "int64" : "float64", values[k] as (number | null)[])));
  return { fields, columns, length: bands.length };
}
