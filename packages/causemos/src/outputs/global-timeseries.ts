// Global time series (spec §8.1): one global.csv per feature, and per qualifier one pivot table per AGG column.
import type { LazyFrame, LazySink } from "tessera";
import { col, len, lit } from "tessera";
import { spatial } from "../aggregate/spatial.js";
import type { ResContext, TaskSinks } from "./context.js";
import { SINK, featuresWith } from "./context.js";

/**
 * The global time series' sinks, and the row count of each feature's global.csv ({res}_timeseries_size). Pivot
 * tables are written wide per object: a row per timestamp, a column per q-value of that feature (Q20: a column with
 * a gap holds floats).
 */
export async function globalTimeseries(ctx: ResContext): Promise<TaskSinks & { sizes: Map<string, number> }> {
  const w = ctx.roles.weight;
  const held: LazyFrame[] = [];
  const g = await spatial(ctx.t, ["feature", "timestamp"], ["sum", "mean"], w).persist(ctx.opts);
  held.push(g);
  const n = await g.groupBy("feature").agg(len().alias("n")).collect(ctx.opts);
  const names = Array.from(n.getChild("feature")!, (v) => String(v));
  const counts = Array.from(n.getChild("n")!.toArray() as BigInt64Array, Number);
  const sizes = new Map(names.map((f, i) => [f, counts[i] as number]));
  const sinks: LazySink[] = [g.sinkObjects(ctx.root, { ...SINK, path: `${ctx.res}/{feature:levels}/timeseries/global/global.csv`, columns: ["timestamp", ...ctx.agg], orderBy: "timestamp" })];
  const perQualifier = await Promise.all(ctx.q1.columns.map((q) => {
    const t = ctx.t.filter(col("feature").isIn(featuresWith(ctx.q1, q)));
    return spatial(t, ["feature", "timestamp", q], ["sum", "mean"], w).withColumns(lit(q).alias("__q")).persist(ctx.opts);
  }));
  for (const [i, q] of ctx.q1.columns.entries()) {
    const gq = perQualifier[i] as LazyFrame;
    held.push(gq);
    for (const c of ctx.agg) {
      sinks.push(gq.sinkObjects(ctx.root, {
        ...SINK, path: `${ctx.res}/{feature:levels}/timeseries/qualifiers/{__q:levels}/${c}.csv`, pivot: { index: "timestamp", on: q, values: c }, orderBy: ["timestamp", q],
      }));
    }
  }
  return { sinks, held, sizes };
}
