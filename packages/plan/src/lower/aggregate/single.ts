// Aggregation in one task: every row meets in one partition, all aggregates in one pass (aggFull).
import type { Step } from "@tessera/ops";
import type { GraphBuilder, Stage } from "../builder.js";
import { concatOf, mapStage } from "../builder.js";
import type { AggStrategyInput } from "./strategy.js";

/** A single input partition aggregates in place; several (holistic aggregates without keys) are concatenated first. */
export function singleAggregate(g: GraphBuilder, a: AggStrategyInput): Stage {
  const step: Step = { t: "aggFull", spec: a.spec };
  if (a.pre.parts.length === 1) return mapStage(a.pre, step, a.schemas.final, "aggregate");
  return { parts: [concatOf(g.materializeAll(a.pre), a.schemas.pre, [step], "agg-final")], fields: a.schemas.final, rows: a.pre.rows };
}
