// "Changed or nothing" tree rewrites: rebuild only the nodes on a changed path, return null when nothing changed.
import type { ExprNode } from "@tessera/expr";
import { children, withChildren } from "@tessera/expr";
import type { PlanNode } from "../nodes.js";
import { planInputs, withInputs } from "../nodes.js";

/**
 * Bottom-up plan rewrite: `f` sees each node after its inputs were rewritten and returns a replacement
 * or null (keep it). Unchanged subtrees keep their identity; the result is null when nothing changed.
 */
export function rewritePlan(p: PlanNode, f: (n: PlanNode) => PlanNode | null): PlanNode | null {
  const inputs = planInputs(p);
  let changed = false;
  const next = inputs.map((x) => {
    const r = rewritePlan(x, f);
    if (r !== null) changed = true;
    return r ?? x;
  });
  const base = changed ? withInputs(p, next) : p;
  return f(base) ?? (changed ? base : null);
}

/** Bottom-up expression rewrite with the same contract as rewritePlan. */
export function rewriteExpr(e: ExprNode, f: (n: ExprNode) => ExprNode | null): ExprNode | null {
  const kids = children(e);
  let changed = false;
  const next = kids.map((x) => {
    const r = rewriteExpr(x, f);
    if (r !== null) changed = true;
    return r ?? x;
  });
  const base = changed ? withChildren(e, next) : e;
  return f(base) ?? (changed ? base : null);
}
