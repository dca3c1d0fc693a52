// What every output task of one time resolution needs: the temporal frame, column roles, selections, the writer.
import type { LazyFrame } from "tessera";
import type { ColumnRoles } from "../columns.js";
import type { QualifierSelection } from "../metadata/qualifier-thresholds.js";
import type { ObjectWriter } from "../write/object-writer.js";
import type { Constants } from "../write/renderers.js";

export interface ResContext {
  readonly res: "month" | "year";
  /** temporal(res), persisted: every task reads it. */
  readonly t: LazyFrame;
  /** The validated rows after the silent drop (for first-appearance order). */
  readonly keyed: LazyFrame;
  readonly roles: ColumnRoles;
  /** The AGG columns (spec §7) for [sum, mean], weighted or not. */
  readonly agg: readonly string[];
  /** First-pass (max_count) and second-pass (regional_timeseries_count) qualifier selections. */
  readonly q1: QualifierSelection;
  readonly q2: QualifierSelection;
  readonly regionalTimeseriesMaxLevel: number;
  readonly regionTuples: readonly Record<string, string>[];
  readonly writer: ObjectWriter;
  /** `base` (= "{model_id}/{run_id}") and `res`, for key templates. */
  readonly constants: Constants;
}

/** Features whose selection lists qualifier `q`. */
export function featuresWith(sel: QualifierSelection, q: string): string[] {
  return Object.entries(sel.map).filter(([, qs]) => qs.includes(q)).map(([f]) => f);
}
