// Checks a submitted graph before it touches the scheduler's state: unique keys, known inputs, no cycles.
import { ProtocolError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import type { TaskGraph, TaskSpec } from "@tessera/graph";

/**
 * The graph's tasks by position and their inputs as positions (CSR): the inputs of task i are
 * edges[start[i]] .. edges[start[i + 1] - 1], in input order; -1 marks an input outside the graph (a known key).
 */
export interface GraphIndex {
  readonly position: ReadonlyMap<string, number>;
  readonly start: Int32Array;
  readonly edges: Int32Array;
}

export type IntakeResult =
  | { readonly ok: true; readonly index: GraphIndex }
  | { readonly ok: false; readonly error: ErrorInfo };

function invalid(message: string, details: Record<string, unknown>): IntakeResult {
  return { ok: false, error: new ProtocolError("INVALID_GRAPH", message, details).toInfo() };
}

/**
 * Accepts the graph if its keys are unique, every input is known and there is no cycle (Kahn's algorithm over
 * typed arrays: chains of 10^5 tasks and graphs of 10^6 are fine). An input or output may name a key outside the
 * graph if the scheduler already knows it (`known`). Returns the graph's index for the scheduler to build on.
 */
export function intakeGraph(graph: TaskGraph, known: (key: string) => boolean): IntakeResult {
  const tasks = graph.tasks;
  const n = tasks.length;
  const position = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const key = (tasks[i] as TaskSpec).key;
    position.set(key, i);
    if (position.size === i) {
      position.set(key, tasks.findIndex((t) => t.key === key));
      return invalid(`duplicate task key ${key}`, { key });
    }
  }
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = (start[i] as number) + (tasks[i] as TaskSpec).deps.length;
  const edges = new Int32Array(start[n] as number);
  const indegree = new Int32Array(n);
  const outdegree = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const t = tasks[i] as TaskSpec;
    let e = start[i] as number;
    for (const dep of t.deps) {
      const j = position.get(dep);
      if (j !== undefined) {
        edges[e] = j;
        indegree[i] = (indegree[i] as number) + 1;
        outdegree[j + 1] = (outdegree[j + 1] as number) + 1;
      } else if (known(dep)) {
        edges[e] = -1;
      } else {
        return invalid(`task ${t.key} depends on ${dep}, which is neither in the graph nor held by the scheduler`, { key: t.key, dep });
      }
      e++;
    }
  }
  for (const key of graph.outputs) {
    if (!position.has(key) && !known(key)) return invalid(`output ${key} is not a task of the graph`, { key });
  }
  // Dependents as CSR, then Kahn's algorithm.
  for (let j = 0; j < n; j++) outdegree[j + 1] = (outdegree[j + 1] as number) + (outdegree[j] as number);
  const dependents = new Int32Array(outdegree[n] as number);
  const fill = outdegree.slice(0, n);
  for (let i = 0; i < n; i++) {
    for (let e = start[i] as number; e < (start[i + 1] as number); e++) {
      const j = edges[e] as number;
      if (j >= 0) { dependents[fill[j] as number] = i; fill[j] = (fill[j] as number) + 1; }
    }
  }
  const stack = new Int32Array(n);
  let top = 0;
  for (let i = n - 1; i >= 0; i--) if (indegree[i] === 0) stack[top++] = i;
  let ordered = 0;
  while (top > 0) {
    const j = stack[--top] as number;
    ordered++;
    for (let e = outdegree[j] as number; e < (outdegree[j + 1] as number); e++) {
      const i = dependents[e] as number;
      indegree[i] = (indegree[i] as number) - 1;
      if (indegree[i] === 0) stack[top++] = i;
    }
  }
  if (ordered !== n) {
    const stuck = tasks.find((_, i) => (indegree[i] as number) > 0);
    return invalid(`the graph has a cycle through task ${stuck?.key}`, { key: stuck?.key });
  }
  return { ok: true, index: { position, start, edges } };
}
