// The task contract: a graph of plain-data tasks (key, op, args, dependencies) the scheduler runs without knowing ops.

/**
 * One unit of work. `op` names an operation in the workers' op table; `args` is plain data (msgpack-able). Untyped
 * here, as the scheduler sees it; `@tessera/ops` says which ops exist and the type of each one's args.
 */
export interface TaskSpec {
  /** Unique within the graph; stable for equal work (structural), so results can be shared and recomputed. */
  readonly key: string;
  readonly op: string;
  readonly args: unknown;
  /** Keys whose results this task takes as inputs, in order. */
  readonly deps: readonly string[];
  /** Lower runs first among ready tasks (graph order). */
  readonly priority?: number;
  /** A label for progress, errors and the dashboard, e.g. "scan-parquet" and the partition index. */
  readonly label?: { readonly name: string; readonly partition?: number };
  /** Expected bytes of the result, if the planner knows; the scheduler admits root tasks by such estimates. */
  readonly nbytesHint?: number;
}

/** A whole graph plus which keys the client wants back. */
export interface TaskGraph {
  readonly tasks: readonly TaskSpec[];
  readonly outputs: readonly string[];
}

/** Validates that every dependency exists and there is no cycle; returns tasks in a topological order. */
export function topoOrder(graph: TaskGraph): TaskSpec[] {
  const byKey = new Map<string, TaskSpec>();
  for (const t of graph.tasks) {
    if (byKey.has(t.key)) throw new Error(`duplicate task key ${t.key}`);
    byKey.set(t.key, t);
  }
  const state = new Map<string, 1 | 2>();
  const out: TaskSpec[] = [];
  const visit = (k: string): void => {
    const s = state.get(k);
    if (s === 2) return;
    if (s === 1) throw new Error(`cycle through task ${k}`);
    const t = byKey.get(k);
    if (!t) throw new Error(`missing dependency ${k}`);
    state.set(k, 1);
    for (const d of t.deps) visit(d);
    state.set(k, 2);
    out.push(t);
  };
  for (const t of graph.tasks) visit(t.key);
  return out;
}

/**
 * Decides whether a graph may run here, reading what it must (installed modules, the storage scope); throws a
 * TesseraError naming what it refuses. The scheduler knows nothing about ops: whoever starts it supplies this
 * (`tessera scheduler` and the in-process cluster install the workers' check, see @tessera/worker).
 */
export type GraphAdmission = (graph: TaskGraph) => void;
