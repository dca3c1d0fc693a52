// The first n rows of each group in a sort order, chosen in one pass without sorting the rows (sort + groupHead, fused).
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { groupIds } from "../group-ids.js";
import { columnIndex, type SortSpec } from "./sort-keys.js";
import { compareWordRows, orderWords } from "./order-words.js";

/** groupTopN keeps at most this many rows per group (larger n sorts instead: each kept row costs O(n) to insert). */
export const TOP_N_MAX = 64;

/**
 * The rows a stable sort by `spec` followed by groupHead(keys, n) keeps, in input order (not sorted): per group, the
 * n smallest by the sort words, ties going to the earlier row. Concatenating such results of consecutive partitions
 * and applying groupTopN again gives the same rows as over the whole input, so it reduces through a merge tree.
 */
export function groupTopN(b: Batch, keys: readonly string[], n: number, spec: SortSpec): Batch {
  const limit = Math.max(0, Math.floor(n));
  const g = groupIds(keys.map((name) => b.columns[columnIndex(b.fields, name)]!), b.length);
  const words = orderWords(b, spec);
  const kept = new Int32Array(g.count * limit); // per group, its kept rows from best to worst
  const fill = new Int32Array(g.count);
  const ids = g.ids;
  for (let i = 0; i < ids.length; i++) {
    const gi = ids[i]!;
    const base = gi * limit;
    let k = fill[gi]!;
    if (k === limit) {
      // Full: the row enters only if strictly better than the worst kept (ties keep the earlier row).
      if (limit === 0 || compareWordRows(words, i, kept[base + limit - 1]!) >= 0) continue;
      k = limit - 1;
    } else {
      fill[gi] = k + 1;
    }
    while (k > 0 && compareWordRows(words, i, kept[base + k - 1]!) < 0) {
      kept[base + k] = kept[base + k - 1]!;
      k--;
    }
    kept[base + k] = i;
  }
  const mark = new Uint8Array(b.length);
  let total = 0;
  for (let gi = 0; gi < g.count; gi++) {
    const base = gi * limit;
    for (let k = 0; k < fill[gi]!; k++) mark[kept[base + k]!] = 1;
    total += fill[gi]!;
  }
  if (total === b.length) return b;
  const rows = new Int32Array(total);
  for (let i = 0, k = 0; i < mark.length; i++) if (mark[i] === 1) rows[k++] = i;
  return takeBatch(b, rows);
}
