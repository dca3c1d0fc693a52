// Pivots whose columns were not given: their `on` values are read from the data before the plan is typed (as DuckDB's PIVOT does).
import type { LitValue } from "@tessera/expr";
import type { Batch } from "@tessera/kernels";
import { columnToArray } from "@tessera/kernels";
import type { PlanNode } from "@tessera/plan";
import { lowerPlan, optimize, planInputs, resolveSources, schemaOf, withInputs } from "@tessera/plan";
import type { Client } from "@tessera/client";

/** Sorts pivot column values: ascending (numbers, text, booleans), null last, so the columns do not depend on partitioning. */
function compareValues(a: LitValue, b: LitValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

/** The distinct values of `on` over `input` (a resolved plan), sorted. */
async function distinctValues(input: PlanNode, on: string, run: (p: PlanNode) => Promise<Batch[]>): Promise<LitValue[]> {
  const plan: PlanNode = { kind: "unique", input: { kind: "select", input, exprs: [{ op: "col", name: on }] }, subset: null, keep: "first" };
  const values: LitValue[] = [];
  for (const b of await run(plan)) for (const v of columnToArray(b.columns[0]!)) values.push(v as LitValue);
  return [...new Set(values)].sort(compareValues);
}

/**
 * `plan` with every pivot's `onValues` filled in, bottom-up (a pivot over a pivot sees its input's columns), each
 * by a query on `client`. Plans without unresolved pivots come back unchanged, without running anything.
 */
export async function resolvePivots(plan: PlanNode, client: () => Promise<Client>): Promise<PlanNode> {
  const run = async (p: PlanNode): Promise<Batch[]> => {
    const resolved = await resolveSources(p);
    schemaOf(resolved);
    const phys = lowerPlan(optimize(resolved).plan);
    const out = await (await client()).run(phys.graph);
    return phys.outputs.map((k) => out.get(k) as Batch);
  };
  const walk = async (p: PlanNode): Promise<PlanNode> => {
    const ins = planInputs(p);
    const next = await Promise.all(ins.map(walk));
    const rebuilt = next.every((x, i) => x === ins[i]) ? p : withInputs(p, next);
    if (rebuilt.kind !== "pivot" || rebuilt.onValues !== null) return rebuilt;
    return { ...rebuilt, onValues: await distinctValues(rebuilt.input, rebuilt.on, run) };
  };
  return hasUnresolvedPivot(plan) ? walk(plan) : plan;
}

function hasUnresolvedPivot(p: PlanNode): boolean {
  return (p.kind === "pivot" && p.onValues === null) || planInputs(p).some(hasUnresolvedPivot);
}
