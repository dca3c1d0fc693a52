// Region ids: the first depth+1 of [country, admin1, admin2, admin3] joined by "__", absent levels as "None" (§5.2).
import type { Expr } from "tessera";
import { col, concatStr, lit } from "tessera";
import { REGION_LEVELS } from "../columns.js";

/** A regional output level: the name in keys and the depth of its ids (they differ only in quirk Q13). */
export interface RegionLevel {
  readonly name: string;
  readonly depth: number;
}

/** The id of a row at `depth`, from its values of the existing region columns (for tests and readers). */
export function regionId(depth: number, regions: readonly string[], valueOf: (column: string) => string): string {
  return REGION_LEVELS.slice(0, depth + 1).map((r) => (regions.includes(r) ? valueOf(r) : "None")).join("__");
}

/** The region id at `depth` as an expression: the level columns joined by "__", a level column that does not exist read as "None". */
export function regionIdExpr(depth: number, regions: readonly string[]): Expr {
  return concatStr(REGION_LEVELS.slice(0, depth + 1).map((r) => (regions.includes(r) ? col(r) : lit("None"))), "__").alias("region_id");
}

/** Levels named by position, ids by position (regional stats, aggregation, region lists). */
export function levelsByPosition(regions: readonly string[]): RegionLevel[] {
  return regions.map((_, i) => ({ name: REGION_LEVELS[i] as string, depth: i }));
}

/** Levels named by their column, ids by the column's own depth (regional time series). */
export function levelsByName(regions: readonly string[]): RegionLevel[] {
  return regions.map((r) => ({ name: r, depth: (REGION_LEVELS as readonly string[]).indexOf(r) }));
}
