// First n rows of every group, in input order (groupby().head(n)).
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { groupIds } from "../group-ids.js";
import { columnIndex } from "./sort-keys.js";

/** The first `n` rows of each group of `keys` (nulls form a group), keeping the input order of rows. */
export function groupHead(b: Batch, keys: readonly string[], n: number): Batch {
  const cols = keys.map((name) => b.columns[columnIndex(b.fields, name)]!);
  const limit = Math.max(0, Math.floor(n));
  const g = groupIds(cols, b.length);
  const seen = new Int32Array(g.count);
  const ids = g.ids;
  const rows = new Int32Array(b.length);
  let k = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (seen[id]! < limit) {
      seen[id]!++;
      rows[k++] = i;
    }
  }
  return k === b.length ? b : takeBatch(b, rows.subarray(0, k));
}
