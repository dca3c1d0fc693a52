// Rule push-down-predicates: moves filter conjuncts as far down as semantics allow, finally into scan.predicate.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { conjuncts } from "@tessera/expr";
import type { PlanNode } from "../../nodes.js";
import { planInputs, withInputs } from "../../nodes.js";
import { schemaOf } from "../../schema.js";
import { routeConjunct } from "../predicate-routes.js";
import { andDistinct } from "../predicates.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";

/**
 * Each filter is split into conjuncts; each conjunct sinks node by node (see predicate-routes) and the
 * ones that reach a scan join its predicate, which the scan applies exactly, so no filter stays above.
 * A scan with a limit takes no predicate (its limit counts unfiltered rows). Conjuncts that cannot move
 * stay in a filter where they stopped.
 */
export const pushDownPredicates: OptimizerRule = {
  name: "push-down-predicates",
  apply(plan) {
    const memo = new Map<PlanNode, Schema>();
    const schema = (p: PlanNode): Schema => schemaOf(p, memo);
    return rewritePlan(plan, (n) => (n.kind === "filter" ? pushInto(n.input, conjuncts(n.predicate), schema) : null));
  },
};

/** A plan equal to filter(n, AND preds) with preds pushed below `n` where possible; null if none can move. */
function pushInto(n: PlanNode, preds: readonly ExprNode[], schema: (p: PlanNode) => Schema): PlanNode | null {
  if (n.kind === "scan") {
    if (n.limit !== null) return null;
    return { ...n, predicate: andDistinct([...(n.predicate ? conjuncts(n.predicate) : []), ...preds]) };
  }
  if (n.kind === "filter") return sink(n.input, [...conjuncts(n.predicate), ...preds], schema);
  const inputs = planInputs(n);
  const below: ExprNode[][] = inputs.map(() => []);
  const stay: ExprNode[] = [];
  for (const p of preds) {
    const route = routeConjunct(n, p, schema);
    if (route === null) stay.push(p);
    else route.forEach((q, i) => { if (q !== null) below[i]?.push(q); });
  }
  if (stay.length === preds.length) return null;
  const moved = withInputs(n, inputs.map((x, i) => sink(x, below[i] ?? [], schema)));
  return stay.length === 0 ? moved : { kind: "filter", input: moved, predicate: andDistinct(stay) };
}

/** `x` filtered by `preds`, pushed as deep as they go (x itself when preds is empty). */
function sink(x: PlanNode, preds: readonly ExprNode[], schema: (p: PlanNode) => Schema): PlanNode {
  if (preds.length === 0) return x;
  return pushInto(x, preds, schema) ?? { kind: "filter", input: x, predicate: andDistinct(preds) };
}
