// Rule merge-filters: filter(filter(x, a), b) becomes filter(x, a AND b), dropping repeated conjuncts.
import { conjuncts } from "@tessera/expr";
import { andDistinct } from "../predicates.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";

/** Merged conjuncts keep their order: the inner filter's first, then the outer's. */
export const mergeFilters: OptimizerRule = {
  name: "merge-filters",
  apply(plan) {
    return rewritePlan(plan, (n) => {
      if (n.kind !== "filter" || n.input.kind !== "filter") return null;
      const predicate = andDistinct([...conjuncts(n.input.predicate), ...conjuncts(n.predicate)]);
      return { kind: "filter", input: n.input.input, predicate };
    });
  },
};

