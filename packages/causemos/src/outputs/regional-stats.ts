// Regional extrema (spec §8.2): per feature and level, the rows at each AGG− column's min and max, latest first, ≤ 20.
import type { LazyFrame } from "tessera";
import { col, concat, lit } from "tessera";
import { FIRST_ROW } from "../aggregate/temporal.js";
import { levelsByPosition } from "../metadata/region-ids.js";
import type { ResContext, TaskSinks } from "./context.js";
import { SINK } from "./context.js";
import type { RegionalFrames } from "./regional-frames.js";

/** At most this many rows per extrema list (Q21). */
export const EXTREMA_LIMIT = 20;

/**
 * The rows of `r` whose column equals its feature-wide min (or max), one list per (feature, kind, column): the
 * extremes per feature (persisted, tiny), joined back, one filter per list, then the first EXTREMA_LIMIT of each list
 * by timestamp descending, ties by the first appearance of their group in the validated rows (Q21).
 */
async function extremaLists(ctx: ResContext, r: LazyFrame, columns: readonly string[]): Promise<{ lists: LazyFrame; ext: LazyFrame }> {
  const ext = await r.groupBy("feature").agg(...columns.flatMap((c) => [col(c).min().alias(`${c}__min`), col(c).max().alias(`${c}__max`)])).persist(ctx.opts);
  const joined = r.join(ext, { on: "feature" });
  const lists = concat(columns.flatMap((c) => (["min", "max"] as const).map((kind) => joined
    .filter(col(c).eq(col(`${c}__${kind}`)))
    .select(col("feature"), lit(kind).alias("kind"), lit(c).alias("column"), col("region_id"), col("timestamp"), col(c).cast("float64").alias("value"), col(FIRST_ROW)))));
  const top = lists.groupBy("feature", "kind", "column").topK(EXTREMA_LIMIT, { by: ["timestamp", FIRST_ROW], descending: [true, false] });
  return { lists: top, ext };
}

/** The extrema.json sinks of every level (levels and ids by position); each object lists every column under min and max. */
export async function regionalStats(ctx: ResContext, frames: RegionalFrames): Promise<TaskSinks> {
  const columns = ctx.agg.filter((c) => c !== "s_count");
  const levels = levelsByPosition(ctx.roles.regions);
  const made = await Promise.all(levels.map(async (level) => extremaLists(ctx, await frames.at(level.depth), columns)));
  const held = made.map((m) => m.ext);
  const sinks = levels.map((level, i) => {
    const { lists } = made[i] as { lists: LazyFrame };
    return lists.sinkObjects(ctx.root, {
      ...SINK, path: `${ctx.res}/{feature:levels}/regional/${level.name}/stats/default/extrema.json`, columns: ["region_id", "timestamp", "value"],
      orderBy: ["timestamp", FIRST_ROW], descending: [true, false], json: { nest: ["kind", "column"], nestKeys: { kind: ["min", "max"], column: columns } },
    });
  });
  return { sinks, held };
}
