// Aggregation through a fixed merge tree: partial states merged `fanIn` at a time in partition order, then finalized.
import type { GraphBuilder, Stage } from "../builder.js";
import { concatOf, mapStage } from "../builder.js";
import type { AggStrategyInput } from "./strategy.js";

/** The tree's shape depends only on the partition count, so results do not depend on scheduling (DESIGN principle 6). */
export function treeAggregate(g: GraphBuilder, a: AggStrategyInput): Stage {
  const { spec, schemas, fanIn } = a;
  let level = g.materializeAll(mapStage(a.pre, { t: "aggPartial", spec }, schemas.state, "agg-partial"));
  while (level.length > fanIn) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += fanIn) {
      next.push(g.materialize(concatOf(level.slice(i, i + fanIn), schemas.state, [{ t: "aggMerge", spec }], "agg-merge"), schemas.state, next.length));
    }
    level = next;
  }
  return { parts: [concatOf(level, schemas.state, [{ t: "aggMerge", spec }, { t: "aggFinalize", spec }], "agg-final")], fields: schemas.final, rows: a.pre.rows };
}
