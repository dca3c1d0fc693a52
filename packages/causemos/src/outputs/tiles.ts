// Tiles and grid stats (spec §11): subtiles at level 14, their parents at levels 6..14 as 64x64-bin tiles of zooms 0..8.
import type { LazyFrame } from "tessera";
import { col, lit, tile, tileBins, when } from "tessera";
import { CAUSEMOS_TILE_ENCODER, TILE_VALUES } from "../tiles/tile-encoder.js";
import type { ResContext, TaskSinks } from "./context.js";
import { SINK } from "./context.js";

export const MAX_SUBTILE_PRECISION = 14;
export const LEVEL_DIFF = 6;
export const TILE_ZOOMS = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;

/**
 * The subtile frame (§11.2): points grouped into level-14 cells by feature and timestamp, weights ignored (Q5):
 * s_sum_t_sum, s_sum_t_mean (missing skipped) and s_count (points with a t_mean).
 */
export function subtiles(t: LazyFrame): LazyFrame {
  return t.withColumns(tile.x("lng", MAX_SUBTILE_PRECISION).alias("x14"), tile.y("lat", MAX_SUBTILE_PRECISION).alias("y14"))
    .groupBy("feature", "timestamp", "x14", "y14")
    .agg(col("t_sum").sum().fillNull(0).alias("s_sum_t_sum"), col("t_mean").sum().fillNull(0).alias("s_sum_t_mean"), col("t_mean").count().alias("s_count"));
}

/** Level-L cells of the subtiles for L = 6..14, as bins of tiles at zoom L − 6: feature, timestamp, z, x, y, bin, sums. */
export function tileCells(sub: LazyFrame): LazyFrame {
  return tileBins(sub, {
    cellX: "x14", cellY: "y14", precision: MAX_SUBTILE_PRECISION, zoom: TILE_ZOOMS, binLevel: LEVEL_DIFF, by: ["feature", "timestamp"],
    aggs: [col("s_sum_t_sum").sum().alias("s_sum_t_sum"), col("s_sum_t_mean").sum().alias("s_sum_t_mean"), col("s_count").sum().cast("float64").alias("weight")],
  });
}

export const GRID_COLUMNS = ["zoom", "min_s_sum_t_sum", "max_s_sum_t_sum", "min_s_sum_t_mean", "max_s_sum_t_mean", "min_s_mean_t_sum", "max_s_mean_t_sum", "min_s_mean_t_mean", "max_s_mean_t_mean"];

/** Grid stats (§11.6): per feature, timestamp and cell level, min and max over cells of sums and means per point. */
export function gridStats(cells: LazyFrame): LazyFrame {
  const perPoint = (x: string) => when(col("weight").gt(0)).then(col(x).div(col("weight"))).otherwise(lit(null));
  return cells.withColumns(perPoint("s_sum_t_sum").alias("s_mean_t_sum"), perPoint("s_sum_t_mean").alias("s_mean_t_mean"))
    .groupBy("feature", "timestamp", "z")
    .agg(...["s_sum_t_sum", "s_sum_t_mean", "s_mean_t_sum", "s_mean_t_mean"].flatMap((c) => [col(c).min().alias(`min_${c}`), col(c).max().alias(`max_${c}`)]))
    .withColumns(col("z").add(LEVEL_DIFF).alias("zoom"));
}

/**
 * The tiles (skipping tiles with a negative x or y, Q10) and grid stats of one resolution. Both read the same cells;
 * run in one job, the cells are computed once, part by part (T is partitioned by feature and timestamp).
 */
export function tilesAndGridStats(ctx: ResContext): TaskSinks {
  const cells = tileCells(subtiles(ctx.t));
  const tiles = cells.filter(col("x").gte(0).and(col("y").gte(0))).sinkTiles(ctx.root, {
    path: `${ctx.res}/{feature:levels}/tiles/{timestamp}-{z}-{x}-{y}.tile`, encoder: CAUSEMOS_TILE_ENCODER, binLevel: LEVEL_DIFF, values: TILE_VALUES,
    commit: null, lazy: true,
  });
  const grid = gridStats(cells).sinkObjects(ctx.root, { ...SINK, path: `${ctx.res}/{feature:levels}/stats/grid/{timestamp}.csv`, columns: GRID_COLUMNS, orderBy: "zoom" });
  return { sinks: [tiles, grid], held: [] };
}
