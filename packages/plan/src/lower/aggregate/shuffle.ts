// Aggregation by hash shuffle: each partition splits its rows (or partial states) by key hash; output j aggregates bucket j.
import type { Step } from "@tessera/ops";
import type { GraphBuilder, Stage } from "../builder.js";
import { concatOf, mapStage } from "../builder.js";
import type { AggStrategyInput } from "./strategy.js";

/** Partitions a hash-shuffled aggregation produces at most. */
export const SHUFFLE_MAX_OUTPUTS = 8;

/** Decomposable specs shuffle partial states and merge them; holistic ones shuffle rows and aggregate in one pass. */
export function shuffleAggregate(g: GraphBuilder, a: AggStrategyInput): Stage {
  const { spec, schemas } = a;
  const n = Math.min(a.pre.parts.length, SHUFFLE_MAX_OUTPUTS);
  const split = a.decomposable ? mapStage(a.pre, { t: "aggPartial", spec }, schemas.state, "agg-partial") : a.pre;
  const splitKeys = g.materializeAll(mapStage(split, { t: "hashSplit", keys: spec.keys, n }, split.fields, "agg-split"));
  const finish: Step[] = a.decomposable ? [{ t: "aggMerge", spec }, { t: "aggFinalize", spec }] : [{ t: "aggFull", spec }];
  const parts = [];
  for (let j = 0; j < n; j++) parts.push(concatOf(splitKeys.map((k) => g.pick(k, j)), split.fields, finish, "agg-final"));
  return { parts, fields: schemas.final, rows: a.pre.rows, partitioning: { by: spec.keys, buckets: n } };
}
