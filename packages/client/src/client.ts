// The client seam: anything that runs a task graph and returns its outputs (the in-process cluster, a remote scheduler).
import type { TaskGraph } from "@tessera/graph";

export interface Progress {
  readonly done: number;
  readonly total: number;
  readonly elapsedMs: number;
}

export interface RunOptions {
  readonly onProgress?: (p: Progress) => void;
  /** Keep the outputs in the cluster's memory after returning them, until `release(keys)`. */
  readonly keep?: boolean;
}

/** Runs graphs. Implementations: `InProcessCluster` (@tessera/cluster, the embedded default) and `RemoteClient`. */
export interface Client {
  run(graph: TaskGraph, opts?: RunOptions): Promise<Map<string, unknown>>;
  /** Frees outputs kept with `keep: true` (clients that cannot keep outputs leave it out). */
  release?(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}
