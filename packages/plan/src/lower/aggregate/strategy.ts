// Which way an aggregation runs: in one task, through a fixed merge tree, or by hash shuffle.
import type { AggSpec } from "@tessera/expr";
import type { PartialMode } from "@tessera/kernels";
import type { AggStrategy } from "../../nodes.js";
import type { Stage } from "../builder.js";
import type { AggSchemas } from "./decompose.js";
import type { KeyEstimate } from "../estimate.js";

/** Few enough groups (known from statistics) that partial states stay small: merge them through the tree. */
export const TREE_MAX_GROUPS = 100_000;
/**
 * The same for groups only estimated (a sampled dictionary): an estimate can be wrong, and a tree whose partial
 * states turn out large merges them in one task, so it is taken only well below TREE_MAX_GROUPS. (G1 1e7 on 2 threads:
 * 100 and 10,000 string groups ran 2.3× and 1.6× faster through the tree than shuffled, 100,000 groups 2× slower.)
 */
export const TREE_MAX_ESTIMATED_GROUPS = 16_384;

/** local: every part aggregates alone, when the input is partitioned by (some of) the keys. */
export type AggPath = "local" | "single" | "tree" | "shuffle";

/** What every strategy gets: the pre-projected rows, the kernels' spec and the schemas around them. */
export interface AggStrategyInput {
  readonly pre: Stage;
  readonly spec: AggSpec;
  readonly decomposable: boolean;
  readonly schemas: AggSchemas;
  readonly fanIn: number;
  /** Whether shuffling partitions may aggregate before the shuffle ("auto") or statistics say it would not reduce ("never"). */
  readonly partial: PartialMode;
  readonly keyEstimates: readonly KeyEstimate[];
}

export interface AggOptions {
  readonly strategy: AggStrategy;
  readonly fanIn: number;
  /** Upper bound on the groups from statistics (null: unknown). */
  readonly groupsBound: number | null;
  /** Estimate of the groups: the bound, or a sampled dictionary's estimate (null: unknown; absent: as the bound). */
  readonly groupsEstimate?: number | null;
  /** Estimates of single keys, where known: a shuffle may hash one key that spreads the rows well (shuffleKeys). */
  readonly keyEstimates?: readonly KeyEstimate[];
}

/**
 * "never" when statistics bound the groups so high that a partition of `rowsPerPartition` rows (uniform keys) would
 * hold at least half as many groups as rows: partitions then skip straight to the shuffle. Otherwise each partition
 * decides from a sample ("auto").
 */
export function partialModeOf(groupsBound: number | null, rowsPerPartition: number): PartialMode {
  if (groupsBound === null || rowsPerPartition <= 0) return "auto";
  const expected = groupsBound * -Math.expm1(-rowsPerPartition / groupsBound);
  return expected >= rowsPerPartition / 2 ? "never" : "auto";
}

/**
 * One partition: single. Otherwise "auto" takes the tree only when statistics prove the groups few (or a sampled
 * dictionary makes them very likely few), and shuffles
 * otherwise so the final merge is parallel; holistic aggregates always shuffle, or (without keys) meet in one task.
 */
export function choosePath(partitions: number, spec: AggSpec, decomposable: boolean, opts: AggOptions): AggPath {
  if (partitions === 1) return "single";
  const estimate = opts.groupsEstimate ?? null;
  const fewGroups = opts.groupsBound !== null ? opts.groupsBound <= TREE_MAX_GROUPS : estimate !== null && estimate <= TREE_MAX_ESTIMATED_GROUPS;
  const shuffle = spec.keys.length > 0 && (opts.strategy === "shuffle" || (opts.strategy === "auto" && (!decomposable || !fewGroups)));
  if (shuffle) return "shuffle";
  return decomposable ? "tree" : "single";
}
