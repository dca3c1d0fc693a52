// Region ids: the first depth+1 of [country, admin1, admin2, admin3] joined by "__", absent levels as "None" (§5.2).
import type { LazyFrame } from "tessera";
import { fromColumns } from "tessera";
import { REGION_LEVELS } from "../columns.js";

/** A regional output level: the name in keys and the depth of its ids (they differ only in quirk Q13). */
export interface RegionLevel {
  readonly name: string;
  readonly depth: number;
}

/** The columns an id of `depth` is made of that exist in the frame (the absent ones read "None"). */
export function idColumns(depth: number, regions: readonly string[]): string[] {
  return REGION_LEVELS.slice(0, depth + 1).filter((r) => regions.includes(r));
}

/** The id of a row at `depth`, from its values of the existing region columns. */
export function regionId(depth: number, regions: readonly string[], valueOf: (column: string) => string): string {
  return REGION_LEVELS.slice(0, depth + 1).map((r) => (regions.includes(r) ? valueOf(r) : "None")).join("__");
}

/** Levels named by position, ids by position (regional stats, aggregation, region lists). */
export function levelsByPosition(regions: readonly string[]): RegionLevel[] {
  return regions.map((_, i) => ({ name: REGION_LEVELS[i] as string, depth: i }));
}

/** Levels named by their column, ids by the column's own depth (regional time series). */
export function levelsByName(regions: readonly string[]): RegionLevel[] {
  return regions.map((r) => ({ name: r, depth: (REGION_LEVELS as readonly string[]).indexOf(r) }));
}

/**
 * `frame` with a `region_id` column for `depth`, joined from a small table of the distinct id-column tuples in
 * `tuples` (rows of the validated frame's region columns). Stands in for a string-concatenation expression.
 */
export function withRegionId(frame: LazyFrame, depth: number, regions: readonly string[], tuples: readonly Record<string, string>[]): LazyFrame {
  const cols = idColumns(depth, regions);
  const seen = new Map<string, Record<string, string>>();
  for (const t of tuples) {
    const k = cols.map((c) => t[c]).join("\u0000");
    if (!seen.has(k)) seen.set(k, t);
  }
  const table: Record<string, string[]> = Object.fromEntries(cols.map((c) => [c, [] as string[]]));
  table["region_id"] = [];
  for (const t of seen.values()) {
    for (const c of cols) table[c]!.push(t[c] as string);
    table["region_id"].push(regionId(depth, regions, (c) => t[c] as string));
  }
  return frame.join(fromColumns(table), { on: cols, how: "inner" });
}
