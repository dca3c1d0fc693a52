// The Causemos pipeline (spec §12 order): read, validate, metadata, then per resolution the output tasks, then results.json.
import type { JsonValue, LazyFrame } from "tessera";
import { formatJson } from "tessera";
import { aggColumns } from "./aggregate/spatial.js";
import { keyedRows, temporal } from "./aggregate/temporal.js";
import type { Counters } from "./validate/validate.js";
import { validate } from "./validate/validate.js";
import { readInput } from "./input/read-input.js";
import { writeMetadata } from "./metadata/metadata.js";
import { selectQualifiers } from "./metadata/qualifier-thresholds.js";
import type { ResContext } from "./outputs/context.js";
import { globalTimeseries } from "./outputs/global-timeseries.js";
import { RegionalFrames } from "./outputs/regional-frames.js";
import { regionalAggregation, regionalTimeseries } from "./outputs/regional-outputs.js";
import { regionalStats } from "./outputs/regional-stats.js";
import { resultsJson, summary } from "./outputs/summary.js";
import { tilesAndGridStats } from "./outputs/tiles.js";
import type { CausemosParams } from "./params.js";
import { resolveParams, tasksToRun, writesResults } from "./params.js";
import type { ObjectWriter, WriteStats } from "./write/object-writer.js";
import { objectWriter } from "./write/object-writer.js";

export interface RunOptions {
  /** Where objects go: file://DIR, s3://BUCKET[/PREFIX], memory://..., or "none". Keys are `{model_id}/{run_id}/...`. */
  readonly out: string;
  /** A writer to use instead of one made from `out` (tests, profiling). */
  readonly writer?: ObjectWriter;
}

export interface RunReport {
  readonly counters: Counters;
  readonly features: readonly string[];
  readonly hasTiles: boolean;
  readonly wroteResults: boolean;
  readonly written: WriteStats;
  readonly results: JsonValue | null;
  readonly seconds: number;
  /** Seconds per step, in the order they ran (e.g. "month compute_tiles"). */
  readonly steps: readonly { readonly step: string; readonly seconds: number }[];
}

/**
 * Runs the pipeline with `given` parameters over the defaults (spec §2). Every input check (files, columns, rows,
 * weight column) happens before the first object is written. results.json, when written, is written last, after
 * every other object has been stored; an earlier run's results.json is deleted first, so a run that dies midway
 * never looks finished.
 */
export async function runCausemos(given: Partial<CausemosParams>, opts: RunOptions): Promise<RunReport> {
  const started = performance.now();
  const steps: { step: string; seconds: number }[] = [];
  const timed = async <T>(step: string, f: () => Promise<T>): Promise<T> => {
    const t0 = performance.now();
    try { return await f(); } finally { steps.push({ step, seconds: (performance.now() - t0) / 1000 }); }
  };
  const params = resolveParams(given);
  const raw = await timed("read", () => readInput(params.data_paths));
  const val = await timed("validate", () => validate(raw, params.fill_timestamp, params.weight_column));
  const writer = opts.writer ?? objectWriter(opts.out);
  const base = `${params.model_id}/${params.run_id}`;
  const resultsKey = `${base}/results/results.json`;
  const commits = writesResults(params);
  if (commits) await writer.delete(resultsKey);

  const held: LazyFrame[] = [];
  try {
    const v = await timed("persist validated", () => val.frame.persist());
    held.push(v);
    const { roles } = val;
    const meta = await timed("metadata", () => writeMetadata(raw, val.rawFloatInts, v, roles, params.qualifier_thresholds, params.raw_count_threshold, base, writer));
    const q1 = selectQualifiers(params.qualifier_map, meta.counts, params.qualifier_thresholds.max_count);
    const q2 = selectQualifiers(q1.map, meta.counts, params.qualifier_thresholds.regional_timeseries_count);
    const keyed = keyedRows(v, roles);
    const tasks = tasksToRun(params);
    const hasTiles = tasks.has("compute_tiles") && roles.hasLatLng;
    const sizes = { month: new Map<string, number>(), year: new Map<string, number>() };
    for (const res of ["month", "year"] as const) {
      const t = await timed(`${res} temporal`, () => temporal(keyed, roles, res).persist());
      const ctx: ResContext = {
        res, t, keyed, roles, agg: aggColumns(["sum", "mean"], roles.weight !== ""), q1, q2,
        regionalTimeseriesMaxLevel: params.qualifier_thresholds.regional_timeseries_max_level,
        regionTuples: meta.regionTuples, writer, constants: { base, res },
      };
      const frames = new RegionalFrames(ctx);
      try {
        if (tasks.has("compute_global_timeseries")) sizes[res] = await timed(`${res} compute_global_timeseries`, () => globalTimeseries(ctx));
        if (roles.regions.length > 0) {
          if (tasks.has("compute_regional_stats")) await timed(`${res} compute_regional_stats`, () => regionalStats(ctx, frames));
          if (tasks.has("compute_regional_timeseries")) await timed(`${res} compute_regional_timeseries`, () => regionalTimeseries(ctx, frames));
          if (tasks.has("compute_regional_aggregation")) await timed(`${res} compute_regional_aggregation`, () => regionalAggregation(ctx, frames));
        }
        if (hasTiles) await timed(`${res} compute_tiles`, () => tilesAndGridStats(ctx));
      } finally {
        await frames.release();
        await t.release();
      }
    }
    const aggValues = params.is_indicator ? null : await timed("summary", () => summary(keyed, roles));
    await timed("flush", () => writer.flush());
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
      await writer.put(resultsKey, new TextEncoder().encode(formatJson(results, { numberFormat: "python" })));
      await writer.flush();
    }
    return { counters: val.counters, features: meta.features, hasTiles, wroteResults: commits, written: writer.stats(), results, seconds: (performance.now() - started) / 1000, steps };
  } finally {
    for (const f of held) await f.release();
  }
}
