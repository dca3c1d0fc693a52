// Aggregation by hash shuffle: each partition splits its rows (or partial states) by key hash; output j aggregates bucket j.
import type { Step } from "@tessera/ops";
import type { GraphBuilder, Stage } from "../builder.js";
import { concatOf, mapStage } from "../builder.js";
import type { AggStrategyInput } from "./strategy.js";
import { DEFAULT_PARTITION_ROWS } from "../scan.js";

/** Partitions a hash-shuffled aggregation makes whatever its size (fewer only with fewer inputs); large inputs get more (shuffleOutputs). */
export const SHUFFLE_MAX_OUTPUTS = 8;

/**
 * Output partitions of a shuffle: as many as the inputs up to SHUFFLE_MAX_OUTPUTS, and more for large inputs, so that
 * no output partition is fed more than about DEFAULT_PARTITION_ROWS rows (each is one task's working set: with 10^7
 * groups in 8 outputs, a task held 90 MB of inputs and several times that while merging).
 */
export function shuffleOutputs(pre: Stage): number {
  const parts = pre.parts.length;
  return Math.max(1, Math.min(parts, Math.max(SHUFFLE_MAX_OUTPUTS, Math.ceil(pre.rows / DEFAULT_PARTITION_ROWS))));
}

/** Decomposable specs shuffle partial states and merge them; holistic ones shuffle rows and aggregate in one pass. */
export function shuffleAggregate(g: GraphBuilder, a: AggStrategyInput): Stage {
  const { spec, schemas } = a;
  const n = shuffleOutputs(a.pre);
  const split = a.decomposable ? mapStage(a.pre, { t: "aggPartial", spec }, schemas.state, "agg-partial") : a.pre;
  const splitKeys = g.materializeAll(mapStage(split, { t: "hashSplit", keys: spec.keys, n }, split.fields, "agg-split"));
  const finish: Step[] = a.decomposable ? [{ t: "aggMerge", spec }, { t: "aggFinalize", spec }] : [{ t: "aggFull", spec }];
  const parts = [];
  for (let j = 0; j < n; j++) parts.push(concatOf(splitKeys.map((k) => g.pick(k, j)), split.fields, finish, "agg-final"));
  return { parts, fields: schemas.final, rows: a.pre.rows };
}
