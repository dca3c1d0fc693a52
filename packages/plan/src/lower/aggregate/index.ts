// Lowers groupBy().agg(): pre-projection, the strategy's aggregation (single, tree or shuffle), the final projection.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { isDecomposable } from "@tessera/expr";
import type { GraphBuilder, Stage } from "../builder.js";
import { groupedBy, mapStage } from "../builder.js";
import { aggSchemas, decomposeAggregate } from "./decompose.js";
import { shuffleAggregate } from "./shuffle.js";
import { singleAggregate } from "./single.js";
import type { AggOptions, AggPath, AggStrategyInput } from "./strategy.js";
import { choosePath, partialModeOf } from "./strategy.js";
import { treeAggregate } from "./tree.js";

export { decomposeAggregate } from "./decompose.js";
export type { AggDecomposition } from "./decompose.js";
export { SHUFFLE_MAX_OUTPUTS } from "./shuffle.js";
export { TREE_MAX_GROUPS } from "./strategy.js";
export type { AggOptions } from "./strategy.js";

/** Default fan-in of the merge tree (partial states merged 8 at a time). */
export const DEFAULT_FAN_IN = 8;

const PATHS: { readonly [P in AggPath]: (g: GraphBuilder, a: AggStrategyInput) => Stage } = {
  local: (_g, a) => mapStage(a.pre, { t: "aggFull", spec: a.spec }, a.schemas.final, "aggregate"),
  single: singleAggregate,
  tree: treeAggregate,
  shuffle: shuffleAggregate,
};

/** Lowers an aggregate over `input` into a stage producing `fields`. */
export function lowerAggregate(g: GraphBuilder, input: Stage, keys: readonly ExprNode[], aggs: readonly ExprNode[], fields: Schema, opts: AggOptions): Stage {
  const d = decomposeAggregate(keys, aggs, input.fields);
  const schemas = aggSchemas(d, input.fields);
  const decomposable = isDecomposable(d.spec);
  const pre = mapStage(input, { t: "project", exprs: d.pre }, schemas.pre, "aggregate");
  // Rows of a group already share a part (the input is partitioned by some of the keys): aggregate each part alone.
  const local = input.parts.length > 1 && groupedBy(pre, d.spec.keys);
  const path = local ? "local" : choosePath(input.parts.length, d.spec, decomposable, opts);
  const partial = partialModeOf(opts.groupsBound, input.rows / Math.max(1, input.parts.length));
  const aggregated = PATHS[path](g, { pre, spec: d.spec, decomposable, schemas, fanIn: opts.fanIn, partial, keyEstimates: opts.keyEstimates ?? [] });
  // The final projection, in one place for every strategy: the user's output columns from keys and aggregates.
  const rows = Math.max(1, Math.min(input.rows, input.rows / 4));
  return mapStage(aggregated, { t: "project", exprs: d.post }, fields, "aggregate", rows);
}
