// Rule simplify-expressions: folds constants in every expression; removes always-true filters, empties always-false ones.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { containsAgg, outputName, typeOf } from "@tessera/expr";
import type { PlanNode } from "../../nodes.js";
import { schemaOf } from "../../schema.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";
import { isFalsy, isTrue, simplifyExpr } from "../simplify-expr.js";

/**
 * filter(true) disappears. filter(false or null) becomes `limit 0` over its input: an exact,
 * data-independent "no rows" that keeps the schema, and that push-down-limit sinks into the scan
 * (scan.limit = 0). A scan predicate that folds to true is dropped; to false, it stays `false`
 * (prune-row-groups then drops every file).
 */
export const simplifyExpressions: OptimizerRule = {
  name: "simplify-expressions",
  apply(plan) {
    const memo = new Map<PlanNode, Schema>();
    return rewritePlan(plan, (n) => simplifyNode(n, (p) => schemaOf(p, memo)));
  },
};

function simplifyNode(n: PlanNode, schema: (p: PlanNode) => Schema): PlanNode | null {
  switch (n.kind) {
    case "filter": {
      const pred = simplifyExpr(n.predicate) ?? n.predicate;
      if (isTrue(pred)) return n.input;
      if (isFalsy(pred)) return { kind: "limit", input: n.input, n: 0, offset: 0 };
      return pred === n.predicate ? null : { ...n, predicate: pred };
    }
    case "scan": {
      if (n.predicate === null) return null;
      const pred = simplifyExpr(n.predicate);
      if (pred === null) return null;
      return { ...n, predicate: isTrue(pred) ? null : pred };
    }
    case "select": case "withColumns": {
      const exprs = simplifyList(n.exprs, schema(n.input));
      return exprs ? { ...n, exprs } : null;
    }
    case "aggregate": {
      const inp = schema(n.input);
      const keys = simplifyList(n.keys, inp);
      const aggs = simplifyList(n.aggs, inp);
      return keys || aggs ? { ...n, keys: keys ?? n.keys, aggs: aggs ?? n.aggs } : null;
    }
    default: return null;
  }
}

/** Simplifies output expressions keeping each one's name (re-aliased), type and aggregate-ness (else left as is). */
function simplifyList(exprs: readonly ExprNode[], input: Schema): ExprNode[] | null {
  let changed = false;
  const out = exprs.map((e) => {
    const s = simplifyExpr(e);
    if (s === null) return e;
    const named: ExprNode = outputName(s) === outputName(e) ? s : { op: "alias", arg: s, name: outputName(e) };
    if (typeOf(named, input) !== typeOf(e, input) || containsAgg(named) !== containsAgg(e)) return e; // select/agg validity needs the agg
    changed = true;
    return named;
  });
  return changed ? out : null;
}
