// The logical optimizer: an ordered list of rules run to a fixed point, each checked to keep the plan's schema.
import type { Schema } from "@tessera/common";
import { InternalError, isTesseraError } from "@tessera/common";
import type { PlanNode } from "../nodes.js";
import { schemaOf } from "../schema.js";
import type { OptimizerRule } from "./rule.js";
import { mergeFilters } from "./rules/merge-filters.js";
import { pruneRowGroups } from "./rules/prune-row-groups.js";
import { pushDownLimit } from "./rules/push-down-limit.js";
import { pushDownPredicates } from "./rules/push-down-predicates.js";
import { pushDownProjections } from "./rules/push-down-projections.js";
import { pushDownBands } from "./rules/push-down-bands.js";
import { simplifyExpressions } from "./rules/simplify-expressions.js";

export type { OptimizerRule } from "./rule.js";
export { scanStats } from "./scan-stats.js";
export type { ScanStats } from "./scan-stats.js";
export { simplifyExpressions, mergeFilters, pushDownPredicates, pruneRowGroups, pushDownProjections, pushDownLimit, pushDownBands };

/** The default rules, in the order each pass runs them. */
export const DEFAULT_RULES: readonly OptimizerRule[] = [
  // First: folded predicates split into simple conjuncts that the later rules understand, and
  // filter(true) / filter(false) are gone (false became `limit 0`, which push-down-limit sinks).
  simplifyExpressions,
  // Before pushdown: a stack of filters moves as one set of conjuncts and lands as one scan predicate.
  mergeFilters,
  // Before pruning (row groups are pruned by scan predicates, so predicates must reach the scans) and
  // before projections (a predicate inside a scan no longer needs its columns in the scan's output).
  pushDownPredicates,
  // After predicates reach scans; it only reads scan predicates and statistics.
  pruneRowGroups,
  // After predicates are placed, so each node asks only for what its final filters and outputs read.
  pushDownProjections,
  // Last: scan.limit is only valid without a scan predicate, so predicates must have settled first;
  // a limit never moves below a filter, so running after them loses nothing.
  pushDownLimit,
  // Independent of the rules above (they never enter a raster): raster reads decode only the bands used.
  pushDownBands,
];

export interface OptimizeOptions {
  /** Rules to run, in order (default DEFAULT_RULES). */
  readonly rules?: readonly OptimizerRule[];
  /** Upper bound on passes over the rule list (default 10); a pass where no rule changes anything ends early. */
  readonly maxPasses?: number;
}

export interface OptimizeResult {
  readonly plan: PlanNode;
  /** Names of the rules that changed the plan, in the order they did (a rule appears at most once per pass). */
  readonly applied: string[];
}

/**
 * Optimizes a resolved plan (sources with their metadata; memory sources are fine). The result has the
 * same root schema (names and types) and the same rows. A rule that changes the schema or builds an
 * invalid plan is a bug: InternalError OPTIMIZER_SCHEMA_CHANGED / OPTIMIZER_RULE_FAILED naming the rule.
 * An invalid input plan throws its PlanError from schemaOf before any rule runs.
 */
export function optimize(plan: PlanNode, opts: OptimizeOptions = {}): OptimizeResult {
  const rules = opts.rules ?? DEFAULT_RULES;
  const maxPasses = opts.maxPasses ?? 10;
  const expected = schemaOf(plan);
  const applied: string[] = [];
  let current = plan;
  for (let pass = 0; pass < maxPasses; pass++) {
    let changed = false;
    for (const rule of rules) {
      const next = runRule(rule, current);
      if (next === null) continue;
      checkSchema(rule.name, expected, next);
      current = next;
      applied.push(rule.name);
      changed = true;
    }
    if (!changed) break;
  }
  return { plan: current, applied };
}

function runRule(rule: OptimizerRule, plan: PlanNode): PlanNode | null {
  try {
    return rule.apply(plan);
  } catch (e) {
    throw ruleFailed(rule.name, e);
  }
}

function checkSchema(rule: string, expected: Schema, plan: PlanNode): void {
  let got: Schema;
  try {
    got = schemaOf(plan);
  } catch (e) {
    throw ruleFailed(rule, e);
  }
  const show = (s: Schema): string => s.map((f) => `${f.name}: ${f.type}`).join(", ");
  if (got.length !== expected.length || got.some((f, i) => f.name !== expected[i]?.name || f.type !== expected[i]?.type)) {
    throw new InternalError("OPTIMIZER_SCHEMA_CHANGED", `optimizer rule "${rule}" changed the plan's schema from (${show(expected)}) to (${show(got)})`, { rule });
  }
}

function ruleFailed(rule: string, e: unknown): InternalError {
  const detail = isTesseraError(e) ? `${e.code}: ${e.message}` : e instanceof Error ? e.message : String(e);
  return new InternalError("OPTIMIZER_RULE_FAILED", `optimizer rule "${rule}" failed or built an invalid plan (${detail})`, { rule });
}
