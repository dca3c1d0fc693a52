// The Causemos pipeline (spec §12 order): read, validate, metadata, then per resolution the output tasks, then results.json.
import type { Client, ExecOptions, JsonValue, LazyFrame, LazySink } from "tessera";
import { sinkAll } from "tessera";
import { aggColumns } from "./aggregate/spatial.js";
import { keyedRows, monthPartials, rollUp, temporalFrom, withTemporalValues } from "./aggregate/temporal.js";
import type { Counters } from "./validate/validate.js";
import { ROW, validate } from "./validate/validate.js";
import { readInput } from "./input/read-input.js";
import { metadata } from "./metadata/metadata.js";
import { selectQualifiers } from "./metadata/qualifier-thresholds.js";
import type { ResContext, TaskSinks } from "./outputs/context.js";
import { globalTimeseries } from "./outputs/global-timeseries.js";
import { RegionalFrames } from "./outputs/regional-frames.js";
import { regionalAggregation, regionalTimeseries } from "./outputs/regional-outputs.js";
import { regionalStats } from "./outputs/regional-stats.js";
import { resultsJson, summaryOf } from "./outputs/summary.js";
import { tilesAndGridStats } from "./outputs/tiles.js";
import type { CausemosParams } from "./params.js";
import { resolveParams, tasksToRun, writesResults } from "./params.js";
import { deleteObject, putJson, runRoot } from "./write/objects.js";

export interface RunOptions {
  /** Where objects go: file://DIR (or a path), s3://BUCKET[/PREFIX], or "none". Keys are `{model_id}/{run_id}/...`. */
  readonly out: string;
  /** The client to run on (default: TESSERA_SCHEDULER's cluster, else the embedded one). */
  readonly client?: Client;
  /** Parts the temporal frames are spread over by (feature, timestamp); every later step runs per part (default 8). */
  readonly partitions?: number;
}

/** Objects and bytes a run wrote. */
export interface WriteStats {
  readonly objects: number;
  readonly bytes: number;
}

export interface RunReport {
  readonly counters: Counters;
  readonly features: readonly string[];
  readonly hasTiles: boolean;
  readonly wroteResults: boolean;
  readonly written: WriteStats;
  readonly results: JsonValue | null;
  readonly seconds: number;
  /** Seconds per step, in the order they ran (e.g. "month outputs"). */
  readonly steps: readonly { readonly step: string; readonly seconds: number }[];
}

const RESULTS = "results/results.json";

/**
 * Runs the pipeline with `given` parameters over the defaults (spec §2). Every input check (files, columns, rows,
 * weight column) happens before the first object is written. results.json, the run's commit point, is written last,
 * once every other object is stored; an earlier run's results.json is deleted first, so a run that dies midway never
 * looks finished. Objects are rendered and written in the workers by fan-out and tile sinks, one job per stage: the
 * metadata, then each resolution's outputs together.
 */
export async function runCausemos(given: Partial<CausemosParams>, opts: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const steps: { step: string; seconds: number }[] = [];
  const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await f(); } finally { steps.push({ step, seconds: (performance.now() - t0) / 1000 }); }
  };
  const exec: ExecOptions = opts.client === undefined ? { progress: false } : { client: opts.client, progress: false };
  const partitions = opts.partitions ?? 8;
  const params = resolveParams(given);
  const root = runRoot(opts.out, params.model_id, params.run_id);
  const written = { objects: 0, bytes: 0 };
  const runSinks = async (step: string, sinks: readonly LazySink[]): Promise<void> => {
    const r = await timed(step, () => sinkAll(sinks, exec));
    for (const x of r) { written.objects += x.objects; written.bytes += x.bytes; }
  };

  const input = await timed("read", () => readInput(params.data_paths));
  const held: LazyFrame[] = [];
  try {
    const rawFrame = await timed("load", () => input.frame.withRowIndex(ROW).persist(exec));
    held.push(rawFrame);
    const raw = { ...input, frame: rawFrame };
    const val = await timed("validate", () => validate(raw, params.fill_timestamp, params.weight_column, exec));
    const commits = writesResults(params);
    if (commits) await deleteObject(root, RESULTS);
    const { roles } = val;

    const meta = await timed("metadata", () => metadata(raw, val.rawFloatInts, val.frame, roles, params.qualifier_thresholds, params.raw_count_threshold, root, exec));
    await runSinks("metadata objects", meta.sinks);
    written.bytes += await meta.writeCounts(root);
    await meta.release();
    const q1 = selectQualifiers(params.qualifier_map, meta.counts, params.qualifier_thresholds.max_count);
    const q2 = selectQualifiers(q1.map, meta.counts, params.qualifier_thresholds.regional_timeseries_count);
    const tasks = tasksToRun(params);
    const hasTiles = tasks.has("compute_tiles") && roles.hasLatLng;
    const sizes = { month: new Map<string, number>(), year: new Map<string, number>() };

    const month = await timed("month temporal", () => withTemporalValues(monthPartials(keyedRows(val.frame, roles), roles, partitions), roles).persist(exec));
    held.push(month);
    let partials = month;
    for (const res of ["month", "year"] as const) {
      if (res === "year") {
        partials = await timed("year temporal", () => withTemporalValues(rollUp(month, roles, "year", partitions), roles).persist(exec));
        held.push(partials);
      }
      const ctx: ResContext = {
        res, t: temporalFrom(partials, roles), roles, agg: aggColumns(["sum", "mean"], roles.weight !== ""), q1, q2,
        regionalTimeseriesMaxLevel: params.qualifier_thresholds.regional_timeseries_max_level, root, opts: exec,
      };
      const frames = new RegionalFrames(ctx);
      const outputs: TaskSinks[] = [];
      try {
        // The frames each task persists (global series, regional frames, extremes) are computed side by side.
        await timed(`${res} frames`, async () => {
          const regional = roles.regions.length > 0;
          const parts = await Promise.all([
            tasks.has("compute_global_timeseries") ? globalTimeseries(ctx).then((g) => { sizes[res] = g.sizes; return g; }) : null,
            regional && tasks.has("compute_regional_stats") ? regionalStats(ctx, frames) : null,
            regional && tasks.has("compute_regional_timeseries") ? regionalTimeseries(ctx, frames) : null,
            regional && tasks.has("compute_regional_aggregation") ? regionalAggregation(ctx, frames) : null,
            hasTiles ? tilesAndGridStats(ctx) : null,
          ]);
          for (const p of parts) if (p !== null) outputs.push(p);
        });
        await runSinks(`${res} outputs`, outputs.flatMap((o) => o.sinks));
      } finally {
        for (const o of outputs) for (const h of o.held) await h.release();
        await frames.release();
      }
    }
    let aggValues: JsonValue[] | null = null;
    if (!params.is_indicator) {
      aggValues = await timed("summary", async () => {
        const all = await withTemporalValues(rollUp(partials, roles, "all", partitions), roles).persist(exec);
        try {
          return await summaryOf(temporalFrom(all, roles), roles.weight, exec);
        } finally {
          await all.release();
        }
      });
    }
    let results: JsonValue | null = null;
    if (commits) {
      results = resultsJson({
        ...val.counters,
        num_rows_per_feature: meta.numRowsPerFeature,
        region_levels: [...roles.regions, ...(hasTiles ? ["grid data"] : [])],
        features: meta.features,
        raw_count_threshold: params.raw_count_threshold,
        has_tiles: hasTiles,
        has_weights: roles.weight !== "",
        month_timeseries_size: sizes.month,
        year_timeseries_size: sizes.year,
      }, aggValues);
      written.bytes += await putJson(root, RESULTS, results);
      written.objects += 1;
    }
    written.objects += meta.features.length;
    return { counters: val.counters, features: meta.features, hasTiles, wroteResults: commits, written, results, seconds: (performance.now() - started) / 1000, steps };
  } finally {
    for (const f of held) await f.release();
  }
}
