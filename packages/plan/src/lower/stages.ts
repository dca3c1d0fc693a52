// The plan stages of a task graph: one per task label (labels name the plan's stages), in plan order, with what each reads.
import type { TaskGraph, TaskSpec } from "@tessera/graph";

/** A plan stage as dashboards and progress bars show it (the wire's PlanStage has the same shape). */
export interface PlanStage {
  /** The label name its tasks carry. */
  readonly name: string;
  /** What it does, e.g. "read parquet → filter → aggPartial". */
  readonly title: string;
  /** The stages its tasks read from. */
  readonly inputs: readonly string[];
}

/** Words for an op's work in a stage title; a pipeline is described by its source and steps instead. */
function describeTask(t: TaskSpec): string {
  if (t.op !== "pipeline") return t.op;
  const a = t.args as { source?: { type?: unknown; pieces?: readonly unknown[]; count?: unknown }; steps?: readonly { t?: unknown }[] };
  const source = a.source;
  const parts: string[] = [];
  if (source?.type === "inputs") parts.push(Number(source.count) > 1 ? `concat ${String(source.count)}` : "input");
  else if (typeof source?.type === "string") parts.push(`read ${source.type}`);
  for (const step of a.steps ?? []) if (typeof step.t === "string") parts.push(step.t);
  return parts.join(" → ");
}

/**
 * One stage per distinct label name (unlabelled tasks: their op), in order of first appearance in the graph; its
 * title describes its first task, its inputs are the stages its tasks read from (other than itself).
 */
export function planStages(graph: TaskGraph): PlanStage[] {
  const stageOf = new Map<string, string>();
  const stages = new Map<string, { title: string; inputs: Set<string> }>();
  for (const t of graph.tasks) {
    const name = t.label?.name ?? t.op;
    stageOf.set(t.key, name);
    if (!stages.has(name)) stages.set(name, { title: describeTask(t), inputs: new Set() });
  }
  for (const t of graph.tasks) {
    const s = stages.get(stageOf.get(t.key) as string);
    for (const dep of t.deps) {
      const from = stageOf.get(dep);
      if (from !== undefined && from !== stageOf.get(t.key)) s?.inputs.add(from);
    }
  }
  return [...stages].map(([name, s]) => ({ name, title: s.title, inputs: [...s.inputs] }));
}
