// The client seam: anything that runs a task graph and returns its outputs (the in-process cluster, a remote scheduler).
import type { TaskGraph } from "@tessera/graph";
import type { PlanSummary, StageProgress } from "@tessera/protocol";

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
  /** Per plan stage (tasks and result bytes), when the scheduler reports them. */
  readonly stages?: readonly StageProgress[];
}

export interface RunOptions {
  readonly onProgress?: (p: Progress) => void;
  /** Keep the outputs in the cluster's memory after returning them, until `release(keys)`. */
  readonly keep?: boolean;
  /** The plan behind the graph (stages and explain text), sent along for the dashboard. */
  readonly plan?: PlanSummary;
}

/** Runs graphs. Implementations: `InProcessCluster` (@tessera/cluster, the embedded default) and `RemoteClient`. */
export interface Client {
  run(graph: TaskGraph, opts?: RunOptions): Promise<Map<string, unknown>>;
  /** Frees outputs kept with `keep: true` (clients that cannot keep outputs leave it out). */
  release?(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
