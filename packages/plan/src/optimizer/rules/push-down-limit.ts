// Rule push-down-limit: limits sink below row-wise nodes, into scans without predicates, and onto union inputs.
import { containsAgg } from "@tessera/expr";
import type { PlanNode, ScanNode } from "../../nodes.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";

type Limit = Extract<PlanNode, { kind: "limit" }>;

/**
 * limit over select (row-wise) / withColumns / rename / drop moves below them; limit over limit merges;
 * limit over a scan without predicate sets scan.limit = n + offset and stays (a scan limit is an upper
 * bound per read, the node keeps the exact count); limit over union puts a copy (n + offset, no offset)
 * on each input not already that small and stays. Limits never pass sorts, filters, joins or aggregates.
 */
export const pushDownLimit: OptimizerRule = {
  name: "push-down-limit",
  apply: (plan) => rewritePlan(plan, (n) => (n.kind === "limit" ? pushLimit(n) : null)),
};

function pushLimit(l: Limit): PlanNode | null {
  const inp = l.input;
  const want = l.n + l.offset;
  switch (inp.kind) {
    case "limit": {
      const merged: Limit = { ...l, input: inp.input, n: Math.min(l.n, Math.max(0, inp.n - l.offset)), offset: inp.offset + l.offset };
      return pushLimit(merged) ?? merged;
    }
    case "select":
      if (inp.exprs.some(containsAgg)) return null;
      return { ...inp, input: sunk({ ...l, input: inp.input }) };
    case "withColumns": case "rename": case "drop":
      return { ...inp, input: sunk({ ...l, input: inp.input }) } as PlanNode;
    case "scan":
      return inp.predicate !== null || (inp.limit !== null && inp.limit <= want) ? null : { ...l, input: { ...inp, limit: want } satisfies ScanNode };
    case "union": {
      let changed = false;
      const inputs = inp.inputs.map((x) => {
        if (maxRows(x) <= want) return x;
        changed = true;
        return sunk({ kind: "limit", input: x, n: want, offset: 0 });
      });
      return changed ? { ...l, input: { ...inp, inputs } } : null;
    }
    default: return null;
  }
}

function sunk(l: Limit): PlanNode {
  return pushLimit(l) ?? l;
}

/** An upper bound on the rows `p` yields (Infinity when unknown); stops copying limits that are already there. */
function maxRows(p: PlanNode): number {
  switch (p.kind) {
    case "limit": return Math.min(p.n, Math.max(0, maxRows(p.input) - p.offset));
    case "scan": return p.limit ?? Infinity;
    case "select": return p.exprs.some(containsAgg) ? 1 : maxRows(p.input);
    case "withColumns": case "rename": case "drop": case "sort": case "filter": case "repartition": case "unique":
      return maxRows(p.input);
    case "union": return p.inputs.reduce((n, x) => n + maxRows(x), 0);
    default: return Infinity;
  }
}
