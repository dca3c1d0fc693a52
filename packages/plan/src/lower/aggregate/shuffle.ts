// Aggregation by hash shuffle: each partition splits its rows (or partial states) by key hash; output j aggregates bucket j.
import type { Step } from "@tessera/ops";
import type { GraphBuilder, Stage } from "../builder.js";
import { concatOf, mapStage } from "../builder.js";
import type { AggStrategyInput } from "./strategy.js";
import type { KeyEstimate } from "../estimate.js";
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

/** A shuffle may hash one key alone when its estimated values are at least this many per output partition. */
export const SPREAD_PER_OUTPUT = 16;

/**
 * The keys a shuffle into `n` outputs hashes: rows equal on all keys are equal on any of them, so one key with enough
 * values to spread the rows evenly serves, and hashing it alone is cheaper. A text key is preferred: each output then
 * holds a slice of its values, so the merge after the shuffle encodes that key in a table a fraction of the size (G1
 * q10: 2,600 values of id3 per output instead of 92,000). Otherwise the key with the most values; all keys when no
 * single key is known to spread the rows.
 */
export function shuffleKeys(keys: readonly string[], estimates: readonly KeyEstimate[], n: number): readonly string[] {
  if (keys.length <= 1) return keys;
  const spread = estimates.filter((e) => keys.includes(e.name) && e.distinct >= SPREAD_PER_OUTPUT * n);
  if (spread.length === 0) return keys;
  const best = spread.reduce((a, b) => (a.text !== b.text ? (a.text ? a : b) : a.distinct >= b.distinct ? a : b));
  return [best.name];
}

/**
 * Holistic specs shuffle rows and aggregate them in one pass. Decomposable ones split each partition into partial
 * states or rows (aggSplit: states only where partial aggregation reduces what moves), and output j merges the
 * state pieces of bucket j with its row pieces, aggregated once.
 */
export function shuffleAggregate(g: GraphBuilder, a: AggStrategyInput): Stage {
  const { spec, schemas } = a;
  const n = shuffleOutputs(a.pre);
  const by = shuffleKeys(spec.keys, a.keyEstimates, n);
  const parts = [];
  if (!a.decomposable) {
    const splits = g.materializeAll(mapStage(a.pre, { t: "hashSplit", keys: by, n }, schemas.pre, "agg-split"));
    for (let j = 0; j < n; j++) parts.push(concatOf(splits.map((k) => g.pick(k, j)), schemas.pre, [{ t: "aggFull", spec }], "agg-final"));
    return { parts, fields: schemas.final, rows: a.pre.rows, partitioning: { by, buckets: n } };
  }
  const splits = g.materializeAll(mapStage(a.pre, { t: "aggSplit", spec, n, partial: a.partial, ...(by === spec.keys ? {} : { by }) }, schemas.state, "agg-split"));
  for (let j = 0; j < n; j++) {
    const states = splits.map((k) => g.pick(k, j));
    const rows = splits.map((k) => g.pick(k, n + j));
    const side = rows.map((_, i) => states.length + i);
    const finish: Step[] = [{ t: "aggMergeRows", spec, side, rowFields: schemas.pre }, { t: "aggFinalize", spec }];
    parts.push(concatOf(states, schemas.state, finish, "agg-final", rows));
  }
  return { parts, fields: schemas.final, rows: a.pre.rows, partitioning: { by, buckets: n } };
}
