// Range partitioning for distributed sort: sample keys per partition, pick boundaries, route rows to ranges.
import { InternalError } from "@tessera/common";
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { concatBatches } from "../concat.js";
import { makeRowComparator } from "./row-comparator.js";
import { sortIndices } from "./sort.js";
import { sortKeyColumns, sortKeyIndices, type SortSpec } from "./sort-keys.js";

/** The key columns of `b` (spec order) as a batch of their own. */
function keyBatch(b: Batch, spec: SortSpec): Batch {
  const idx = sortKeyIndices(b.fields, spec);
  return { fields: idx.map((i) => b.fields[i]!), columns: idx.map((i) => b.columns[i]!), length: b.length };
}

/**
 * k evenly spaced rows (row floor((j + 0.5) * n / k) of the sorted order, j < k) of the key columns of `b`,
 * sorted; all rows when k >= n. Deterministic, so a re-run task samples the same keys.
 */
export function sampleSortKeys(b: Batch, spec: SortSpec, k: number): Batch {
  const keys = keyBatch(b, spec);
  const order = sortIndices(keys, spec);
  const n = order.length;
  if (k >= n) return takeBatch(keys, order);
  const picks = new Int32Array(Math.max(0, Math.floor(k)));
  for (let j = 0; j < picks.length; j++) picks[j] = order[Math.floor(((j + 0.5) * n) / picks.length)]!;
  return takeBatch(keys, picks);
}

/**
 * n - 1 boundary rows (key columns, sorted) splitting the pooled samples into n ranges of about equal count:
 * sample floor(j * m / n) of the m sorted samples for j = 1..n-1. Repeated bounds are kept, so the count is
 * always n - 1 (a range may then be empty); with no sample rows the bounds are all null, which still routes
 * rows consistently. `samples` must hold at least one (possibly empty) batch to carry the key schema.
 */
export function rangeBounds(samples: readonly Batch[], spec: SortSpec, n: number): Batch {
  if (samples.length === 0) throw new InternalError("RANGE_NO_SAMPLES", "rangeBounds needs at least one sample batch (for its schema)");
  if (!Number.isInteger(n) || n < 1) throw new InternalError("RANGE_PARTITIONS", `partition count must be a positive integer, got ${n}`);
  const pooled = keyBatch(samples.length === 1 ? samples[0]! : concatBatches(samples.map((s) => keyBatch(s, spec))), spec);
  const order = sortIndices(pooled, spec);
  const m = order.length;
  const picks = new Int32Array(n - 1);
  for (let j = 1; j < n; j++) picks[j - 1] = m === 0 ? -1 : order[Math.floor((j * m) / n)]!;
  return takeBatch(pooled, picks);
}

/**
 * Splits `b` into bounds.length + 1 batches: row r goes to partition p = the number of bounds strictly below it
 * (rows equal to bound p land in p). Row order is preserved within each output, so concatenating the sorted
 * outputs gives a globally sorted result. `bounds` holds the key columns by name (as from rangeBounds).
 */
export function rangePartition(b: Batch, bounds: Batch, spec: SortSpec): Batch[] {
  const rowKeys = sortKeyColumns(b, spec);
  const boundKeys = sortKeyColumns(bounds, spec);
  const cmp = makeRowComparator(rowKeys, boundKeys, spec);
  const nb = bounds.length;
  const n = b.length;
  const pid = new Int32Array(n);
  const counts = new Int32Array(nb + 1);
  for (let r = 0; r < n; r++) {
    let lo = 0;
    let hi = nb;
    while (lo < hi) { // lower bound: first bound not below row r
      const mid = (lo + hi) >>> 1;
      if (cmp(r, mid) > 0) lo = mid + 1;
      else hi = mid;
    }
    pid[r] = lo;
    counts[lo]!++;
  }
  const rows = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(nb + 1);
  for (let r = 0; r < n; r++) {
    const p = pid[r]!;
    rows[p]![fill[p]!++] = r;
  }
  return rows.map((idx) => takeBatch(b, idx));
}
