// Stable multi-key sort of a batch: normalized Uint32 keys per column, then LSD radix passes (no comparator calls).
import type { Batch } from "../column.js";
import { takeBatch } from "../batch-ops.js";
import { identityIndices, radixSortByKey } from "./radix.js";
import { foldedKey, packKeys, sortKeyColumns, type SortSpec } from "./sort-keys.js";

/**
 * Row ids of `b` in sorted order. STABLE: rows with equal keys keep their input order.
 * NaN sorts after +Infinity, -0 equals 0, strings order by UTF-8 bytes; nulls go first or last per key
 * regardless of direction.
 */
export function sortIndices(b: Batch, spec: SortSpec): Int32Array {
  const cols = sortKeyColumns(b, spec);
  const folded = cols.map((c, k) => foldedKey(c, spec.descending[k]!, spec.nullsLast[k]!));
  const packed = packKeys(folded);
  let order: Int32Array = identityIndices(b.length);
  let spare: Int32Array = new Int32Array(b.length);
  for (let k = packed.length - 1; k >= 0; k--) { // least significant key first: LSD over keys is stable
    const sorted = radixSortByKey(order, packed[k]!.keys, spare);
    if (sorted !== order) {
      spare = order;
      order = sorted;
    }
  }
  return order;
}

/** `b` with its rows reordered by `spec` (stable). */
export function sortBatch(b: Batch, spec: SortSpec): Batch {
  return takeBatch(b, sortIndices(b, spec));
}
