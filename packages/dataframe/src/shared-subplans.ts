// Work several plans share (the same aggregation feeding two sinks): marked so it is planned, and run, once.
import type { PlanNode } from "@tessera/plan";
import { planInputs, withInputs } from "@tessera/plan";

/** Node kinds whose results are worth computing once and handing to several consumers (row-wise steps are not). */
const WORK: ReadonlySet<PlanNode["kind"]> = new Set(["aggregate", "join", "sort", "pivot", "topK", "unique", "groupHead", "union", "repartition"]);

function doesWork(p: PlanNode, memo: Map<PlanNode, boolean>): boolean {
  let hit = memo.get(p);
  if (hit === undefined) {
    hit = WORK.has(p.kind) || planInputs(p).some((x) => doesWork(x, memo));
    memo.set(p, hit);
  }
  return hit;
}

/**
 * The plans with each subplan that two or more of them read (the same node, as LazyFrames share them) wrapped in
 * one cache node, when it does more than row-wise work: the optimizer leaves a cache node's inside as it is and
 * lowering materializes it, so all plans lower it to the same tasks and one job computes it once.
 */
export function markSharedSubplans(plans: readonly PlanNode[]): PlanNode[] {
  const users = new Map<PlanNode, Set<number>>();
  plans.forEach((root, i) => {
    const seen = new Set<PlanNode>();
    const walk = (p: PlanNode): void => {
      if (seen.has(p)) return;
      seen.add(p);
      let u = users.get(p);
      if (u === undefined) users.set(p, (u = new Set()));
      u.add(i);
      planInputs(p).forEach(walk);
    };
    walk(root);
  });
  const work = new Map<PlanNode, boolean>();
  const wrappers = new Map<PlanNode, PlanNode>();
  const mark = (p: PlanNode, top: boolean): PlanNode => {
    if (!top && (users.get(p)?.size ?? 0) > 1 && doesWork(p, work)) {
      let w = wrappers.get(p);
      if (w === undefined) wrappers.set(p, (w = { kind: "cache", input: p }));
      return w;
    }
    const ins = planInputs(p);
    const next = ins.map((x) => mark(x, false));
    return next.every((x, i) => x === ins[i]) ? p : withInputs(p, next);
  };
  return plans.map((p) => mark(p, true));
}
