// The model summary (spec §9) and results.json (§13), the run's commit point.
import type { ExecOptions, JsonValue, LazyFrame } from "tessera";
import type { Vector } from "apache-arrow";
import { aggColumns, spatial } from "../aggregate/spatial.js";

/**
 * A number as pandas' JSON encoder with 10 decimal places writes it, read back (spec §10.3): 2/3 → 0.6666666667,
 * 0.99999999999 → 1.0. Halves round to even on the 10th decimal; very large or tiny values keep 10 significant digits.
 */
export function round10(v: number): number {
  if (!Number.isFinite(v)) return v;
  const neg = v < 0;
  const a = Math.abs(v);
  if (a > 1e16 - 1 || (a !== 0 && a < 1e-15)) return Number(v.toPrecision(10));
  let whole = Math.trunc(a);
  const t = (a - whole) * 1e10;
  let frac = Math.trunc(t);
  const d = t - frac;
  if (d > 0.5 || (d === 0.5 && (frac === 0 || frac % 2 === 1))) frac++;
  if (frac >= 1e10) { frac = 0; whole++; }
  return Number(`${neg ? "-" : ""}${whole}.${String(frac).padStart(10, "0")}`);
}

/**
 * output_agg_values: per feature, spatial(temporal(all), [feature, timestamp], [min, max, sum, mean]) without
 * s_count (name, then AGG− for [min, max, sum, mean]), rounded as pandas does.
 */
export async function summaryOf(all: LazyFrame, weight: string, opts: ExecOptions = {}): Promise<JsonValue[]> {
  const aggs = ["min", "max", "sum", "mean"] as const;
  const columns = aggColumns(aggs, weight !== "").filter((c) => c !== "s_count");
  const t = await spatial(all, ["feature", "timestamp"], aggs, weight).collect(opts);
  const names = Array.from(t.getChild("feature") as Vector, (v) => String(v));
  const values = columns.map((c) => Array.from(t.getChild(c) as Vector, (v) => (v === null ? null : Number(v))));
  return names.map((name, i) => {
    const o: Record<string, JsonValue> = { name };
    columns.forEach((c, k) => {
      const v = values[k]![i];
      o[c] = v === null || v === undefined || Number.isNaN(v) ? null : round10(v);
    });
    return o;
  });
}

export interface DataInfo {
  readonly num_rows: number;
  readonly num_rows_per_feature: ReadonlyMap<string, number>;
  readonly num_missing_ts: number;
  readonly num_invalid_ts: number;
  readonly num_missing_val: number;
  readonly region_levels: readonly string[];
  readonly features: readonly string[];
  readonly raw_count_threshold: number;
  readonly has_tiles: boolean;
  readonly has_weights: boolean;
  readonly month_timeseries_size: ReadonlyMap<string, number>;
  readonly year_timeseries_size: ReadonlyMap<string, number>;
}

const ints = (m: ReadonlyMap<string, number>): Record<string, bigint> => Object.fromEntries([...m].map(([k, v]) => [k, BigInt(v)]));

/** The results.json object: data_info, and output_agg_values for models (absent for indicators). */
export function resultsJson(info: DataInfo, outputAggValues: JsonValue[] | null): JsonValue {
  const dataInfo: Record<string, JsonValue> = {
    num_rows: BigInt(info.num_rows),
    num_rows_per_feature: ints(info.num_rows_per_feature),
    num_missing_ts: BigInt(info.num_missing_ts),
    num_invalid_ts: BigInt(info.num_invalid_ts),
    num_missing_val: BigInt(info.num_missing_val),
    region_levels: [...info.region_levels],
    features: [...info.features],
    raw_count_threshold: BigInt(info.raw_count_threshold),
    has_tiles: info.has_tiles,
    has_monthly: true,
    has_annual: true,
    has_weights: info.has_weights,
    month_timeseries_size: ints(info.month_timeseries_size),
    year_timeseries_size: ints(info.year_timeseries_size),
  };
  return outputAggValues === null ? { data_info: dataInfo } : { data_info: dataInfo, output_agg_values: outputAggValues };
}
