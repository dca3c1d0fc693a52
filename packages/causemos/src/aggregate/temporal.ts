// Temporal aggregation (spec §6): one row per normalised timestamp and every other key column, with t_sum and t_mean.
import type { Expr, LazyFrame } from "tessera";
import { col, lit, when } from "tessera";
import type { ColumnRoles } from "../columns.js";
import { missingAsNull } from "../validate/validate.js";

export type Resolution = "month" | "year" | "all";

/** The earliest representable date-time (pandas' Timestamp.min) in ms; earlier timestamps normalise to 0. */
const MIN_TIMESTAMP_MS = -9223372036854775807 / 1e6;

/** The timestamp normalised to the start of its UTC month or year (int64 epoch ms), or 0 for "all". */
export function normalisedTimestamp(res: Resolution): Expr {
  if (res === "all") return lit(0).alias("timestamp");
  const t = col("timestamp");
  const start = t.floor().cast("timestamp[ms]").dt.truncate(res).cast("int64");
  return when(t.lt(MIN_TIMESTAMP_MS)).then(lit(0)).otherwise(start).alias("timestamp");
}

/** The group keys: every column except value and the weight (all qualifiers too, quirk Q3). */
export function temporalKeys(roles: ColumnRoles): string[] {
  return roles.all.filter((c) => c !== "value" && c !== roles.weight);
}

/**
 * Rows that have a null in a key column are dropped by the original's group-by (the silent drop, Q2): a null
 * feature, a NaN lat or lng. Region and qualifier columns were filled, the timestamp too.
 */
export function keyedRows(validated: LazyFrame, roles: ColumnRoles): LazyFrame {
  let pred = col("feature").isNotNull();
  for (const c of ["lat", "lng"]) if (roles.all.includes(c)) pred = pred.and(col(c).isNotNull()).and(col(c).eq(col(c)));
  return validated.filter(pred);
}

/**
 * temporal(res) over the keyed rows: t_sum (0 when every value is missing, Q15), t_mean (null then); weighted runs
 * add t_wavg = Σ(value·w over valued rows) / Σ(w over all rows) (Q16) and replace w by its mean.
 */
export function temporal(keyed: LazyFrame, roles: ColumnRoles, res: Resolution): LazyFrame {
  const keys = temporalKeys(roles);
  const v = col("value");
  const aggs: Expr[] = [v.sum().fillNull(0).alias("t_sum"), v.mean().alias("t_mean")];
  const w = roles.weight;
  if (w !== "") aggs.push(col(w).mean().alias(w), v.mul(col(w)).sum().fillNull(0).div(col(w).sum()).alias("t_wavg"));
  const t = keyed.withColumns(normalisedTimestamp(res)).groupBy(...keys).agg(...aggs);
  return w === "" ? t : t.withColumns(missingAsNull(col("t_wavg"), false).alias("t_wavg"));
}
