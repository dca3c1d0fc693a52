// K-way merge of batches that are each already sorted by the same spec (the reduce side of a distributed sort).
import { InternalError } from "@tessera/common";
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { concatBatches } from "../concat.js";
import { identityIndices } from "./radix.js";
import { makeRowComparator, type RowComparator } from "./row-comparator.js";
import { sortKeyColumns, type SortSpec } from "./sort-keys.js";

/**
 * Merges batches each sorted by `spec` into one sorted batch. Stable: equal keys keep batch order, then row order,
 * so the result equals a stable sort of the concatenation. Precondition (not checked): every input is sorted.
 * Runs are merged pairwise bottom-up (log2 k rounds over typed index arrays); adjacent runs already in
 * order are copied without comparing row by row.
 */
export function mergeSorted(batches: readonly Batch[], spec: SortSpec): Batch {
  if (batches.length === 0) throw new InternalError("MERGE_NO_INPUT", "mergeSorted needs at least one batch (for its schema)");
  if (batches.length === 1) {
    sortKeyColumns(batches[0]!, spec); // validates the spec
    return batches[0]!;
  }
  const all = concatBatches(batches);
  const keys = sortKeyColumns(all, spec);
  const cmp = makeRowComparator(keys, keys, spec);
  let bounds: number[] = [0];
  for (const b of batches) bounds.push(bounds[bounds.length - 1]! + b.length);
  let src: Int32Array = identityIndices(all.length); // each run is already in order
  let dst: Int32Array = new Int32Array(all.length);
  while (bounds.length > 2) {
    const next: number[] = [0];
    for (let r = 0; r + 1 < bounds.length; r += 2) {
      const lo = bounds[r]!;
      const mid = bounds[r + 1]!;
      const hi = r + 2 < bounds.length ? bounds[r + 2]! : mid;
      mergeRuns(src, dst, lo, mid, hi, cmp);
      next.push(hi);
    }
    bounds = next;
    const t = src;
    src = dst;
    dst = t;
  }
  return takeBatch(all, src);
}

/** Merges src[lo,mid) and src[mid,hi) (each sorted) into dst[lo,hi); ties take the left run first. */
function mergeRuns(src: Int32Array, dst: Int32Array, lo: number, mid: number, hi: number, cmp: RowComparator): void {
  if (mid === lo || mid === hi || cmp(src[mid - 1]!, src[mid]!) <= 0) {
    dst.set(src.subarray(lo, hi), lo);
    return;
  }
  let i = lo;
  let j = mid;
  let k = lo;
  while (i < mid && j < hi) {
    const a = src[i]!;
    const b = src[j]!;
    if (cmp(b, a) < 0) { dst[k++] = b; j++; } else { dst[k++] = a; i++; }
  }
  while (i < mid) dst[k++] = src[i++]!;
  while (j < hi) dst[k++] = src[j++]!;
}
