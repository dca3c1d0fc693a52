// Partial aggregation that pays for itself: before a shuffle, a partition aggregates only when that shrinks what moves.
import type { DType } from "@tessera/common";
import type { AggSpec } from "@tessera/expr";
import { aggStateFields, isOrderSensitive } from "@tessera/expr";
import type { Batch, Column } from "../column.js";
import { getColumn, noRows } from "../batch-ops.js";
import { estimateGroupRatio } from "../group-estimate.js";
import { arrayCtorOf } from "../dtype-arrays.js";
import { hashPartition } from "../hash-partition.js";
import { aggMerge, aggPartial } from "./aggregate.js";

/** "auto": estimate from a sample of the partition; "never": statistics already say it does not reduce. */
export type PartialMode = "auto" | "never";

/** Bytes per row of a column as it would move: fixed-width values, dictionary indices, or string bytes and offsets. */
function rowBytes(c: Column): number {
  const valid = c.valid === null ? 0 : 1;
  if (c.kind === "num") return c.values.BYTES_PER_ELEMENT + valid;
  if (c.kind === "dict") return 4 + valid;
  return 4 + valid + (c.length === 0 ? 0 : ((c.offsets[c.length] as number) - (c.offsets[0] as number)) / c.length);
}

function typeBytes(t: DType): number {
  return t === "utf8" ? 4 : arrayCtorOf(t).BYTES_PER_ELEMENT;
}

/**
 * Whether partial aggregation of `b` before the shuffle costs less than shuffling its rows. With r = groups / rows,
 * moving a row costs about as much as grouping it, and states being `w` times as wide as rows: aggregating first
 * costs 1 + r (grouping rows, then states again after the shuffle) plus r·w (moving states), against 1 + 1
 * (moving rows, grouping them once): it pays while r (1 + w) < 1.
 */
export function partialPays(b: Batch, spec: AggSpec, ratio: number): boolean {
  const keyBytes = spec.keys.reduce((s, k) => s + rowBytes(getColumn(b, k)), 0);
  const inputs = new Set(spec.aggs.flatMap((a) => a.inputs));
  let raw = keyBytes;
  for (const name of inputs) raw += rowBytes(getColumn(b, name));
  const state = keyBytes + aggStateFields(spec).reduce((s, f) => s + typeBytes(f.type), 0);
  return ratio * (1 + state / Math.max(1, raw)) < 1;
}

/**
 * Splits a partition for a hash-shuffled aggregation into 2n batches: n pieces of partial states by key hash, then
 * n pieces of rows by key hash. The hash is of the keys `by` (some of the spec's keys; all of them by default: rows
 * equal on all keys are equal on any of them). One half is empty: states when partial aggregation pays (see
 * partialPays; always for order-sensitive specs, whose states must merge in partition order), rows otherwise.
 */
export function aggSplit(b: Batch, spec: AggSpec, n: number, mode: PartialMode, by: readonly string[] = spec.keys): Batch[] {
  const aggregate = isOrderSensitive(spec) || (mode === "auto" && partialPays(b, spec, estimateGroupRatio(b, spec.keys)));
  if (aggregate) {
    const states = hashPartition(aggPartial(b, spec), by, n);
    const empty = noRows(b);
    return [...states, ...states.map(() => empty)];
  }
  const rows = hashPartition(b, by, n);
  const empty = aggPartial(noRows(b), spec);
  return [...rows.map(() => empty), ...rows];
}

/**
 * The merge side of aggSplit: `states` (the concatenated state pieces) and `rows` (the concatenated row pieces, whose
 * partitions did not aggregate first). Rows are aggregated here once; a side with no rows costs nothing.
 */
export function aggMergeRows(states: Batch, rows: Batch, spec: AggSpec): Batch {
  if (rows.length === 0) return aggMerge([states], spec);
  const fromRows = aggPartial(rows, spec);
  return states.length === 0 ? fromRows : aggMerge([states, fromRows], spec);
}
