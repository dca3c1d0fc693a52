// Checks a submitted graph before it touches the scheduler's state: unique keys, known inputs, no cycles.
import { ProtocolError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { TaskGraph, TaskSpec } from "@tessera/graph";

export type IntakeResult =
  | { readonly ok: true }
  | { readonly ok: false; readonly error: ErrorInfo };

function invalid(message: string, details: Record<string, unknown>): IntakeResult {
  return { ok: false, error: new ProtocolError("INVALID_GRAPH", message, details).toInfo() };
}

/**
 * Accepts the graph if its keys are unique, every input is known and there is no cycle (Kahn's algorithm,
 * iterative: chains of 100k tasks are fine). An input or output may name a key outside the graph if the
 * scheduler already knows it (`known`).
 */
export function intakeGraph(graph: TaskGraph, known: (key: string) => boolean): IntakeResult {
  const index = new Map<string, number>();
  graph.tasks.forEach((t, i) => {
    if (!index.has(t.key)) index.set(t.key, i);
  });
  if (index.size !== graph.tasks.length) {
    const seen = new Set<string>();
    const dup = graph.tasks.find((t) => (seen.has(t.key) ? true : (seen.add(t.key), false)));
    return invalid(`duplicate task key ${dup?.key}`, { key: dup?.key });
  }
  const indegree = new Int32Array(graph.tasks.length);
  const dependents = new Map<string, number[]>();
  for (let i = 0; i < graph.tasks.length; i++) {
    const t = graph.tasks[i] as TaskSpec;
    for (const dep of new Set(t.deps)) {
      if (index.has(dep)) {
        indegree[i] = (indegree[i] as number) + 1;
        const list = dependents.get(dep);
        if (list === undefined) dependents.set(dep, [i]);
        else list.push(i);
      } else if (!known(dep)) {
        return invalid(`task ${t.key} depends on ${dep}, which is neither in the graph nor held by the scheduler`, { key: t.key, dep });
      }
    }
  }
  for (const key of graph.outputs) {
    if (!index.has(key) && !known(key)) return invalid(`output ${key} is not a task of the graph`, { key });
  }
  let ordered = 0;
  const stack: number[] = [];
  for (let i = indegree.length - 1; i >= 0; i--) if (indegree[i] === 0) stack.push(i);
  while (stack.length > 0) {
    const i = stack.pop() as number;
    const t = graph.tasks[i] as TaskSpec;
    ordered++;
    for (const j of dependents.get(t.key) ?? []) {
      indegree[j] = (indegree[j] as number) - 1;
      if (indegree[j] === 0) stack.push(j);
    }
  }
  if (ordered !== graph.tasks.length) {
    const stuck = graph.tasks.find((_, i) => (indegree[i] as number) > 0);
    return invalid(`the graph has a cycle through task ${stuck?.key}`, { key: stuck?.key });
  }
  return { ok: true };
}
