// Temporal aggregation (spec §6): one row per normalised timestamp and every other key column, with t_sum and t_mean.
import type { Expr, LazyFrame } from "tessera";
import { col, len, lit, when } from "tessera";
import type { ColumnRoles } from "../columns.js";
import { ROW, missingAsNull } from "../validate/validate.js";

export type Resolution = "month" | "year" | "all";

/** The earliest representable date-time (pandas' Timestamp.min) in ms; earlier timestamps normalise to 0. */
const MIN_TIMESTAMP_MS = -9223372036854775807 / 1e6;

/** The column holding a temporal row's first raw row (ties of extrema, Q21). */
export const FIRST_ROW = "first_row";

/** The timestamp normalised to the start of its UTC month or year (int64 epoch ms), or 0 for "all". */
export function normalisedTimestamp(res: Resolution): Expr {
  if (res === "all") return lit(0).alias("timestamp");
  const t = col("timestamp");
  const start = t.floor().cast("timestamp[ms]").dt.truncate(res).cast("int64");
  return when(t.lt(MIN_TIMESTAMP_MS)).then(lit(0)).otherwise(start).alias("timestamp");
}

/** The group keys: every column except value, the weight and the row position (all qualifiers too, quirk Q3). */
export function temporalKeys(roles: ColumnRoles): string[] {
  return roles.all.filter((c) => c !== "value" && c !== roles.weight && c !== ROW);
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
 * What temporal(res) needs per group, as sums a coarser resolution can add up: the sum and count of the values,
 * the first raw row, and when weighted Σw, the row count and Σ(value·w). Null sums mean "no value".
 */
function partialAggs(roles: ColumnRoles, from: "rows" | "partials"): Expr[] {
  const w = roles.weight;
  if (from === "rows") {
    const v = col("value");
    const out = [v.sum().alias("v_sum"), v.count().alias("v_count"), col(ROW).min().alias(FIRST_ROW)];
    if (w !== "") out.push(col(w).sum().alias("w_sum"), len().alias("n"), v.mul(col(w)).sum().alias("vw_sum"));
    return out;
  }
  const out = [col("v_sum").sum().alias("v_sum"), col("v_count").sum().alias("v_count"), col(FIRST_ROW).min().alias(FIRST_ROW)];
  if (w !== "") out.push(col("w_sum").sum().alias("w_sum"), col("n").sum().alias("n"), col("vw_sum").sum().alias("vw_sum"));
  return out;
}

/**
 * Monthly partials of the keyed rows, spread over `partitions` parts by (feature, timestamp): every later step of a
 * month (regional frames, subtiles, tiles, grid stats) groups by keys that include both, so it runs part by part.
 */
export function monthPartials(keyed: LazyFrame, roles: ColumnRoles, partitions: number): LazyFrame {
  return keyed.withColumns(normalisedTimestamp("month"))
    .repartition(partitions, { by: ["feature", "timestamp"] })
    .groupBy(...temporalKeys(roles)).agg(...partialAggs(roles, "rows"));
}

/** Partials of a finer resolution added up to a coarser one ("year" from months, "all" from years). */
export function rollUp(partials: LazyFrame, roles: ColumnRoles, res: "year" | "all", partitions: number): LazyFrame {
  const ts = res === "all" ? lit(0).alias("timestamp") : col("timestamp").cast("timestamp[ms]").dt.truncate("year").cast("int64").alias("timestamp");
  return partials.withColumns(ts)
    .repartition(partitions, { by: ["feature", "timestamp"] })
    .groupBy(...temporalKeys(roles)).agg(...partialAggs(roles, "partials"));
}

/**
 * The temporal values of partials: t_sum (0 when every value is missing, Q15), t_mean (null then); weighted runs
 * add t_wavg = Σ(value·w over valued rows) / Σ(w over all rows) (Q16) and the weight's mean under its own name.
 */
function temporalValues(roles: ColumnRoles): Expr[] {
  const w = roles.weight;
  const out: Expr[] = [
    col("v_sum").fillNull(0).alias("t_sum"),
    when(col("v_count").gt(0)).then(col("v_sum").div(col("v_count"))).otherwise(lit(null)).alias("t_mean"),
  ];
  if (w !== "") out.push(col("w_sum").div(col("n")).alias(w), missingAsNull(col("vw_sum").fillNull(0).div(col("w_sum")), false).alias("t_wavg"));
  return out;
}

/** Partials with their temporal values added (what the pipeline persists: every task reads the values, a coarser resolution the sums). */
export function withTemporalValues(partials: LazyFrame, roles: ColumnRoles): LazyFrame {
  return partials.withColumns(...temporalValues(roles));
}

/** temporal(res) from partials that carry their values (withTemporalValues): the keys, the values, the first row. */
export function temporalFrom(partials: LazyFrame, roles: ColumnRoles): LazyFrame {
  const values = ["t_sum", "t_mean", ...(roles.weight === "" ? [] : [roles.weight, "t_wavg"])];
  return partials.select(...temporalKeys(roles), ...values, FIRST_ROW);
}

/** temporal(res) straight from the keyed rows (small inputs and tests; the pipeline rolls months up instead). */
export function temporal(keyed: LazyFrame, roles: ColumnRoles, res: Resolution): LazyFrame {
  const partials = keyed.withColumns(normalisedTimestamp(res)).groupBy(...temporalKeys(roles)).agg(...partialAggs(roles, "rows"));
  return temporalFrom(withTemporalValues(partials, roles), roles);
}
