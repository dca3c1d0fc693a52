// Regional time series (§8.3) and regional aggregation (§8.4): one CSV per (feature, region) or (feature, timestamp).
import { col } from "tessera";
import { spatial } from "../aggregate/spatial.js";
import { levelsByName, levelsByPosition } from "../metadata/region-ids.js";
import { fanOut } from "../write/fan-out.js";
import { KeyTemplate } from "../write/key-template.js";
import { csvRenderer } from "../write/renderers.js";
import type { ResContext } from "./context.js";
import { featuresWith } from "./context.js";
import type { RegionalFrames } from "./regional-frames.js";

/** Regional time series: levels by column name and depth (Q13); qualifier files for shallow levels only (Q26). */
export async function regionalTimeseries(ctx: ResContext, frames: RegionalFrames): Promise<void> {
  const w = ctx.roles.weight;
  const columns = ["timestamp", ...ctx.agg];
  for (const [i, level] of levelsByName(ctx.roles.regions).entries()) {
    const constants = { ...ctx.constants, __level: level.name };
    const key = new KeyTemplate("{base}/{res}/{feature}/regional/{__level}/timeseries/default/{region_id}.csv");
    await fanOut(await frames.at(level.depth), ctx.writer, { partitionBy: ["feature", "region_id"], orderBy: ["timestamp"], render: csvRenderer(key, constants, columns) });
    if (i > ctx.regionalTimeseriesMaxLevel) continue;
    for (const q of ctx.q2.columns) {
      const rq = spatial(frames.forFeatures(featuresWith(ctx.q2, q), level.depth), ["feature", "region_id", "timestamp", q], ["sum", "mean"], w)
        .withColumns(col(q).alias("__qvalue"));
      const qkey = new KeyTemplate("{base}/{res}/{feature}/regional/{__level}/timeseries/qualifiers/{__q}/{__qvalue}/{region_id}.csv");
      await fanOut(rq, ctx.writer, { partitionBy: ["feature", "region_id", "__qvalue"], orderBy: ["timestamp"], render: csvRenderer(qkey, { ...constants, __q: q }, columns) });
    }
  }
}

/** Regional aggregation: levels and ids by position; one CSV of regions per (feature, timestamp), per qualifier too. */
export async function regionalAggregation(ctx: ResContext, frames: RegionalFrames): Promise<void> {
  const w = ctx.roles.weight;
  for (const level of levelsByPosition(ctx.roles.regions)) {
    const constants = { ...ctx.constants, __level: level.name };
    const key = new KeyTemplate("{base}/{res}/{feature}/regional/{__level}/aggs/{timestamp}/default/default.csv");
    const r = (await frames.at(level.depth)).rename({ region_id: "id" });
    await fanOut(r, ctx.writer, { partitionBy: ["feature", "timestamp"], orderBy: ["id"], render: csvRenderer(key, constants, ["id", ...ctx.agg]) });
    for (const q of ctx.q1.columns) {
      const rq = spatial(frames.forFeatures(featuresWith(ctx.q1, q), level.depth), ["feature", "timestamp", "region_id", q], ["sum", "mean"], w)
        .rename({ region_id: "id", [q]: "qualifier" });
      const qkey = new KeyTemplate("{base}/{res}/{feature}/regional/{__level}/aggs/{timestamp}/qualifiers/{__q}.csv");
      await fanOut(rq, ctx.writer, { partitionBy: ["feature", "timestamp"], orderBy: ["id", "qualifier"], render: csvRenderer(qkey, { ...constants, __q: q }, ["id", "qualifier", ...ctx.agg]) });
    }
  }
}
