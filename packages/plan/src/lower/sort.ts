// Lowers sort by sampled range partitioning: local sort, sample, bounds, range split, k-way merge per range.
import type { Schema } from "@tessera/common";
import type { GraphBuilder, Stage } from "./builder.js";
import { concatOf, mapStage } from "./builder.js";
import type { SortSpec } from "@tessera/kernels";
import type { MergeSortedArgs, RangeBoundsArgs, Step } from "@tessera/ops";

/** Rows sampled from each sorted partition to choose range bounds. */
export const SAMPLES_PER_PARTITION = 256;

export function lowerSort(g: GraphBuilder, input: Stage, spec: SortSpec): Stage {
  const fields: Schema = input.fields;
  const sorted = mapStage(input, { t: "sort", spec }, fields, "sort-local");
  if (input.parts.length === 1) return sorted;
  const n = input.parts.length;
  const sortedKeys = g.materializeAll(sorted);
  const samples = sortedKeys.map((k, i) => g.materialize(
    { source: { type: "inputs", count: 1, fields }, deps: [k], steps: [{ t: "sample", spec, k: SAMPLES_PER_PARTITION }], label: "sort-sample" }, fields, i));
  const boundsArgs: RangeBoundsArgs = { spec, n };
  const bounds = g.add("range-bounds", boundsArgs, samples, "sort-bounds");
  const splits = sortedKeys.map((k, i) => g.materialize(
    { source: { type: "inputs", count: 1, fields }, deps: [k, bounds], steps: [{ t: "rangeSplit", spec, side: 1 }], label: "sort-split" }, fields, i));
  const parts = [];
  for (let j = 0; j < n; j++) {
    const args: MergeSortedArgs = { spec, fields };
    parts.push({ key: g.add("merge-sorted", args, splits.map((k) => g.pick(k, j)), "sort-merge", j) });
  }
  return { parts, fields, rows: input.rows };
}

/**
 * sort(spec) followed by groupBy(keys).head(n), without sorting every row: each partition keeps its rows that can
 * still be among the first n of their group (groupTopN; all of them where that would keep most: groupTopNPartial), a
 * fixed merge tree (fan-in `fanIn`, partition order) reduces them, and only the survivors (at most n per group) are
 * sorted.
 */
export function lowerSortedHead(g: GraphBuilder, input: Stage, spec: SortSpec, keys: readonly string[], n: number, fanIn: number): Stage {
  const fields: Schema = input.fields;
  const top: Step = { t: "groupTopN", keys, n, spec };
  const sort: Step = { t: "sort", spec };
  const kept = mapStage(input, input.parts.length === 1 ? top : { ...top, partial: true }, fields, "top-n");
  if (kept.parts.length === 1) return mapStage(kept, sort, fields, "top-n");
  let level = g.materializeAll(kept);
  while (level.length > fanIn) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += fanIn) next.push(g.materialize(concatOf(level.slice(i, i + fanIn), fields, [top], "top-n-merge"), fields, next.length));
    level = next;
  }
  return { parts: [concatOf(level, fields, [top, sort], "top-n-final")], fields, rows: input.rows };
}
