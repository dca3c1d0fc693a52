// The pipeline's parameters: the original flow's names and defaults, checked once before anything runs.
import { PlanError } from "tessera";

/** The five output tasks, in the order the original runs them. */
export const OUTPUT_TASKS = ["compute_global_timeseries", "compute_regional_stats", "compute_regional_timeseries", "compute_regional_aggregation", "compute_tiles"] as const;
export type OutputTask = (typeof OUTPUT_TASKS)[number];

export interface QualifierThresholds {
  readonly max_count: number;
  readonly regional_timeseries_count: number;
  readonly regional_timeseries_max_level: number;
  /** Other members are kept and copied into every qualifier_counts.json, as the original copies the object. */
  readonly [other: string]: unknown;
}

/** The original flow's parameters (spec §2), with its names. Only `data_paths` has no default worth running. */
export interface CausemosParams {
  readonly model_id: string;
  readonly run_id: string;
  readonly data_paths: readonly string[];
  readonly raw_count_threshold: number;
  readonly is_indicator: boolean;
  readonly qualifier_map: Readonly<Record<string, readonly string[]>>;
  /** Epoch milliseconds that replace missing timestamps. */
  readonly fill_timestamp: number;
  /** "" = unweighted. */
  readonly weight_column: string;
  /** null or empty = all five tasks. */
  readonly selected_output_tasks: readonly OutputTask[] | null;
  readonly qualifier_thresholds: QualifierThresholds;
}

export const DEFAULT_QUALIFIER_THRESHOLDS: QualifierThresholds = { max_count: 10000, regional_timeseries_count: 100, regional_timeseries_max_level: 1 };

export const DEFAULT_PARAMS: CausemosParams = {
  model_id: "geo-test-data",
  run_id: "test-run",
  data_paths: ["s3://test/geo-test-data.parquet"],
  raw_count_threshold: 10000,
  is_indicator: false,
  qualifier_map: {},
  fill_timestamp: 0,
  weight_column: "",
  selected_output_tasks: null,
  qualifier_thresholds: DEFAULT_QUALIFIER_THRESHOLDS,
};

function bad(message: string, details?: Record<string, unknown>): never {
  throw new PlanError("CAUSEMOS_BAD_PARAMETER", message, details);
}

/** A path segment the run writes under: non-empty, no "/", not "." or "..". */
function checkSegment(name: string, v: unknown): void {
  if (typeof v !== "string" || v === "" || v.includes("/") || v === "." || v === "..") bad(`${name} must be a non-empty name without "/" (got ${JSON.stringify(v)})`, { parameter: name });
}

/** The defaults overridden by `given`, validated; throws CAUSEMOS_BAD_PARAMETER naming the parameter. */
export function resolveParams(given: Partial<CausemosParams>): CausemosParams {
  const p: CausemosParams = { ...DEFAULT_PARAMS, ...given, qualifier_thresholds: { ...DEFAULT_QUALIFIER_THRESHOLDS, ...(given.qualifier_thresholds ?? {}) } };
  checkSegment("model_id", p.model_id);
  checkSegment("run_id", p.run_id);
  if (!Array.isArray(p.data_paths) || p.data_paths.some((d) => typeof d !== "string")) bad("data_paths must be a list of paths", { parameter: "data_paths" });
  if (!Number.isInteger(p.raw_count_threshold)) bad(`raw_count_threshold must be an integer, got ${String(p.raw_count_threshold)}`, { parameter: "raw_count_threshold" });
  if (typeof p.fill_timestamp !== "number" || !Number.isFinite(p.fill_timestamp)) bad(`fill_timestamp must be a number of epoch milliseconds, got ${String(p.fill_timestamp)}`, { parameter: "fill_timestamp" });
  if (typeof p.weight_column !== "string") bad("weight_column must be a string", { parameter: "weight_column" });
  for (const [f, qs] of Object.entries(p.qualifier_map)) {
    if (!Array.isArray(qs) || qs.some((q) => typeof q !== "string")) bad(`qualifier_map["${f}"] must be a list of column names`, { parameter: "qualifier_map" });
  }
  for (const t of p.selected_output_tasks ?? []) {
    if (!(OUTPUT_TASKS as readonly string[]).includes(t)) bad(`unknown output task "${t}"; the tasks are ${OUTPUT_TASKS.join(", ")}`, { parameter: "selected_output_tasks" });
  }
  for (const k of ["max_count", "regional_timeseries_count", "regional_timeseries_max_level"] as const) {
    if (typeof p.qualifier_thresholds[k] !== "number") bad(`qualifier_thresholds.${k} must be a number`, { parameter: "qualifier_thresholds" });
  }
  return p;
}

/** Which tasks run: all five when the selection is null or empty (spec §2.2). */
export function tasksToRun(p: CausemosParams): ReadonlySet<OutputTask> {
  const s = p.selected_output_tasks;
  return new Set(s === null || s.length === 0 ? OUTPUT_TASKS : s);
}

/** results.json is written only when the selection is null or names all five tasks (an empty list does not, Q11). */
export function writesResults(p: CausemosParams): boolean {
  const s = p.selected_output_tasks;
  return s === null || OUTPUT_TASKS.every((t) => s.includes(t));
}
