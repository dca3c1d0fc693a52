// Distinct rows over a subset of columns, keeping the first or last occurrence of each.
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { groupIds } from "../group-ids.js";
import { columnIndex } from "./sort-keys.js";

/**
 * One row per distinct value of `subset` (all columns when null): the first or last occurrence, output in input
 * order of the kept rows (so keep = "first" yields first-occurrence order). Nulls equal nulls, NaN equals NaN,
 * dict and plain strings compare by value.
 */
export function unique(b: Batch, subset: readonly string[] | null, keep: "first" | "last"): Batch {
  const cols = subset === null ? b.columns : subset.map((name) => b.columns[columnIndex(b.fields, name)]!);
  const g = groupIds(cols, b.length);
  if (keep === "first") return g.count === b.length ? b : takeBatch(b, g.firstRow); // firstRow ascends: ids follow first appearance
  const last = new Int32Array(g.count);
  const ids = g.ids;
  for (let i = 0; i < ids.length; i++) last[ids[i]!] = i;
  const rows = new Int32Array(g.count);
  for (let i = 0, k = 0; i < ids.length; i++) if (last[ids[i]!] === i) rows[k++] = i;
  return g.count === b.length ? b : takeBatch(b, rows);
}
