// What every output task of one time resolution needs: the temporal frame, column roles, selections, where to write.
import type { ExecOptions, LazyFrame, LazySink } from "tessera";
import type { ColumnRoles } from "../columns.js";
import type { QualifierSelection } from "../metadata/qualifier-thresholds.js";

export interface ResContext {
  readonly res: "month" | "year";
  /** temporal(res) over persisted partials, partitioned by (feature, timestamp): every task reads it. */
  readonly t: LazyFrame;
  readonly roles: ColumnRoles;
  /** The AGG columns (spec §7) for [sum, mean], weighted or not. */
  readonly agg: readonly string[];
  /** First-pass (max_count) and second-pass (regional_timeseries_count) qualifier selections. */
  readonly q1: QualifierSelection;
  readonly q2: QualifierSelection;
  readonly regionalTimeseriesMaxLevel: number;
  /** The run's root URL: objects go to `{root}/{res}/...`. */
  readonly root: string;
  readonly opts: ExecOptions;
}

/** Outputs of a task: the sinks to run (together, in one job) and the persisted frames to free after. */
export interface TaskSinks {
  readonly sinks: readonly LazySink[];
  readonly held: readonly LazyFrame[];
}

/** Features whose selection lists qualifier `q`. */
export function featuresWith(sel: QualifierSelection, q: string): string[] {
  return Object.entries(sel.map).filter(([, qs]) => qs.includes(q)).map(([f]) => f);
}

/** Common options of the pipeline's sinks: no commit object of their own (results.json is the run's), pandas numbers, deferred. */
export const SINK = { commit: null, numberFormat: "python", lazy: true } as const;
