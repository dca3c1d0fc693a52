// The first n rows of each group in a sort order, chosen in one pass without sorting the rows (sort + groupHead, fused).
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { groupIds } from "../group-ids.js";
import { estimateGroupRatio } from "../group-estimate.js";
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
  // A full group's worst kept row's first sort word: most rows of a full group lose to it on that word alone, read
  // beside the group's count, without reaching the worst row's words at a random row of the batch.
  const worst = new Uint32Array(g.count);
  const first = words[0];
  const ids = g.ids;
  for (let i = 0; i < ids.length; i++) {
    const gi = ids[i]!;
    const base = gi * limit;
    let k = fill[gi]!;
    if (k === limit) {
      // Full: the row enters only if strictly better than the worst kept (ties keep the earlier row).
      if (limit === 0 || first === undefined) continue;
      const x = first[i]!, y = worst[gi]!;
      if (x > y || (x === y && compareWordRows(words, i, kept[base + limit - 1]!) >= 0)) continue;
      k = limit - 1;
    } else {
      fill[gi] = k + 1;
    }
    while (k > 0 && compareWordRows(words, i, kept[base + k - 1]!) < 0) {
      kept[base + k] = kept[base + k - 1]!;
      k--;
    }
    kept[base + k] = i;
    if (first !== undefined && fill[gi] === limit) worst[gi] = first[kept[base + limit - 1]!]!;
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

/**
 * A partition's groupTopN keeps at most `n` rows per group; past this estimated fraction of its rows, it does not pay
 * before the merge tree. Reducing costs a pass over the rows, and the merge groups the survivors again; passing the
 * rows on costs the merge one pass over them all. With f the fraction kept, that is 1 + 2f against 2 (moving a row
 * costing about as much as grouping it, as for partial aggregation): reducing pays while f < 1/2.
 */
export const TOP_N_PARTIAL_MAX_KEPT = 0.5;

/**
 * groupTopN on one partition of several whose results a merge tree reduces with groupTopN: the partition as it is
 * when, by the groups a sample of it shows, at least TOP_N_PARTIAL_MAX_KEPT of its rows would be kept (most groups
 * have only a few rows here). Either result reduces through the merge tree to the same rows, since every row the
 * whole input keeps is in it, in input order.
 */
export function groupTopNPartial(b: Batch, keys: readonly string[], n: number, spec: SortSpec): Batch {
  const limit = Math.max(0, Math.floor(n));
  if (limit > 0 && limit * estimateGroupRatio(b, keys) >= TOP_N_PARTIAL_MAX_KEPT) return b;
  return groupTopN(b, keys, n, spec);
}
