// Regional time series (§8.3) and regional aggregation (§8.4): one CSV per (feature, region) or (feature, timestamp).
import type { LazySink } from "tessera";
import { col, lit } from "tessera";
import { spatial } from "../aggregate/spatial.js";
import { levelsByName, levelsByPosition } from "../metadata/region-ids.js";
import type { ResContext, TaskSinks } from "./context.js";
import { SINK, featuresWith } from "./context.js";
import type { RegionalFrames } from "./regional-frames.js";

/** Regional time series: levels by column name and depth (Q13); qualifier files for shallow levels only (Q26). */
export async function regionalTimeseries(ctx: ResContext, frames: RegionalFrames): Promise<TaskSinks> {
  const w = ctx.roles.weight;
  const columns = ["timestamp", ...ctx.agg];
  const sinks: LazySink[] = [];
  for (const [i, level] of levelsByName(ctx.roles.regions).entries()) {
    const r = await frames.at(level.depth);
    sinks.push(r.sinkObjects(ctx.root, { ...SINK, path: `${ctx.res}/{feature:levels}/regional/${level.name}/timeseries/default/{region_id:levels}.csv`, columns, orderBy: "timestamp" }));
    if (i > ctx.regionalTimeseriesMaxLevel) continue;
    for (const q of ctx.q2.columns) {
      const rq = spatial(frames.forFeatures(featuresWith(ctx.q2, q), level.depth), ["feature", "region_id", "timestamp", q], ["sum", "mean"], w)
        .withColumns(col(q).alias("__qvalue"), lit(q).alias("__q"));
      sinks.push(rq.sinkObjects(ctx.root, {
        ...SINK, path: `${ctx.res}/{feature:levels}/regional/${level.name}/timeseries/qualifiers/{__q:levels}/{__qvalue:levels}/{region_id:levels}.csv`, columns, orderBy: "timestamp",
      }));
    }
  }
  return { sinks, held: [] };
}

/** Regional aggregation: levels and ids by position; one CSV of regions per (feature, timestamp), per qualifier too. */
export async function regionalAggregation(ctx: ResContext, frames: RegionalFrames): Promise<TaskSinks> {
  const w = ctx.roles.weight;
  const sinks: LazySink[] = [];
  for (const level of levelsByPosition(ctx.roles.regions)) {
    const r = (await frames.at(level.depth)).rename({ region_id: "id" });
    sinks.push(r.sinkObjects(ctx.root, { ...SINK, path: `${ctx.res}/{feature:levels}/regional/${level.name}/aggs/{timestamp}/default/default.csv`, columns: ["id", ...ctx.agg], orderBy: "id" }));
    for (const q of ctx.q1.columns) {
      const rq = spatial(frames.forFeatures(featuresWith(ctx.q1, q), level.depth), ["feature", "timestamp", "region_id", q], ["sum", "mean"], w)
        .rename({ region_id: "id", [q]: "qualifier" }).withColumns(lit(q).alias("__q"));
      sinks.push(rq.sinkObjects(ctx.root, {
        ...SINK, path: `${ctx.res}/{feature:levels}/regional/${level.name}/aggs/{timestamp}/qualifiers/{__q:levels}.csv`, columns: ["id", "qualifier", ...ctx.agg], orderBy: ["id", "qualifier"],
      }));
    }
  }
  return { sinks, held: [] };
}
