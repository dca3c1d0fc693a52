// Splits a batch into n partitions by key hash (row order preserved within each partition).
import type { Batch, Column } from "./column.js";
import { getColumn } from "./batch-ops.js";
import { hashColumns } from "./hash.js";
import { takeDictSplit } from "./compact-dict.js";
import { takeColumn } from "./take.js";

/** The partition (hash % n) of each row by the given key columns. */
export function partitionIds(cols: readonly Column[], length: number, n: number): Uint32Array {
  const h = hashColumns(cols, length);
  if (n < 32768) {
    // hash % n in int32 arithmetic: ((hi16 % n) * 65536 + lo16) % n, avoiding double-precision modulo.
    for (let i = 0; i < length; i++) {
      const x = h[i] as number;
      h[i] = ((((x >>> 16) % n) << 16) + (x & 0xffff)) % n;
    }
  } else {
    for (let i = 0; i < length; i++) h[i] = (h[i] as number) % n;
  }
  return h;
}

/** Row indices of each partition, ascending. */
export function partitionIndices(parts: Uint32Array, n: number): Int32Array[] {
  const counts = new Int32Array(n);
  for (let i = 0; i < parts.length; i++) counts[parts[i] as number] = (counts[parts[i] as number] as number) + 1;
  const out: Int32Array[] = [];
  for (let p = 0; p < n; p++) out.push(new Int32Array(counts[p] as number));
  const fill = new Int32Array(n);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const f = fill[p] as number;
    (out[p] as Int32Array)[f] = i;
    fill[p] = f + 1;
  }
  return out;
}

/**
 * Row i goes to partition hashColumns(keys)[i] % n; each output keeps the input's row order. Same key → same
 * partition in every batch and thread. Each output's dictionaries keep only the entries it uses, so the buckets
 * of a high-cardinality key do not each carry (and later re-hash) the whole dictionary.
 */
export function hashPartition(b: Batch, keys: readonly string[], n: number): Batch[] {
  const cols = keys.map((k) => getColumn(b, k));
  const lists = partitionIndices(partitionIds(cols, b.length, n), n);
  const pieces = b.columns.map((c): readonly Column[] => (c.kind === "dict" ? takeDictSplit(c, lists) : lists.map((idx) => takeColumn(c, idx))));
  return lists.map((idx, j) => ({ fields: b.fields, columns: pieces.map((p) => p[j] as Column), length: idx.length }));
}
