// The optimizer rule contract: a named, pure plan rewrite that returns the changed plan or nothing.
import type { PlanNode } from "../nodes.js";

/**
 * One logical rewrite. `apply` returns a new plan when it changed something and null otherwise
 * (never an equal copy), so the driver can tell when a fixed point is reached. A rule must keep the
 * root's schema (names and types) and the plan's result; the driver checks the schema after each rule.
 */
export interface OptimizerRule {
  /** Kebab-case, equal to the rule's file name. */
  readonly name: string;
  apply(plan: PlanNode): PlanNode | null;
}
