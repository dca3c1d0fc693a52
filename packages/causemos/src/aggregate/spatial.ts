// The spatial aggregation primitive (spec §7): aggregates of t_sum and t_mean (and t_wavg) per group, in AGG order.
import type { Expr, LazyFrame } from "tessera";
import { col } from "tessera";
import { FIRST_ROW } from "./temporal.js";
import { missingAsNull } from "../validate/validate.js";

export type SpatialAgg = "sum" | "mean" | "min" | "max";

/** An aggregate of a column skipping missing values; the sum of none is 0, the others null (pandas semantics). */
function aggOf(a: SpatialAgg, x: string): Expr {
  switch (a) {
    case "sum": return col(x).sum().fillNull(0);
    case "mean": return col(x).mean();
    case "min": return col(x).min();
    case "max": return col(x).max();
  }
}

/** The AGG column names for `aggs`, in CSV order (5 unweighted, 10 weighted for [sum, mean]). */
export function aggColumns(aggs: readonly SpatialAgg[], weighted: boolean): string[] {
  const out = [...aggs.map((a) => `s_${a}_t_sum`), ...aggs.map((a) => `s_${a}_t_mean`), "s_count"];
  if (weighted) out.push(...aggs.map((a) => `s_${a}_t_wavg`), "s_wavg_t_sum", "s_wavg_t_mean", "s_wavg_t_wavg");
  return out;
}

/**
 * spatial(T, groupBy, aggs, w): per group the aggregates of t_sum then t_mean, s_count (points with a t_mean),
 * and when weighted (w ≠ "") the aggregates of t_wavg and s_wavg_X = Σ(X·w̄ over points with X) / Σ(w̄ over all).
 * With `firstRow`, also the group's first raw row (FIRST_ROW), for ordering ties.
 */
export function spatial(t: LazyFrame, groupBy: readonly string[], aggs: readonly SpatialAgg[], weight: string, firstRow = false): LazyFrame {
  const exprs: Expr[] = [
    ...aggs.map((a) => aggOf(a, "t_sum").alias(`s_${a}_t_sum`)),
    ...aggs.map((a) => aggOf(a, "t_mean").alias(`s_${a}_t_mean`)),
    col("t_mean").count().alias("s_count"),
  ];
  const wavg = ["t_sum", "t_mean", "t_wavg"].map((x) => `s_wavg_${x}`);
  if (weight !== "") {
    exprs.push(...aggs.map((a) => aggOf(a, "t_wavg").alias(`s_${a}_t_wavg`)));
    for (const x of ["t_sum", "t_mean", "t_wavg"]) exprs.push(col(x).mul(col(weight)).sum().fillNull(0).div(col(weight).sum()).alias(`s_wavg_${x}`));
  }
  if (firstRow) exprs.push(col(FIRST_ROW).min().alias(FIRST_ROW));
  const out = t.groupBy(...groupBy).agg(...exprs);
  return weight === "" ? out : out.withColumns(...wavg.map((c) => missingAsNull(col(c), false).alias(c)));
}
