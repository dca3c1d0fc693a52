// The client seam: anything that runs a task graph and returns its outputs (embedded cluster now, remote later).
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

/** Runs graphs. Implementations: the in-process cluster (embedded default) and, later, a remote scheduler. */
export interface Client {
  run(graph: TaskGraph, opts?: RunOptions): Promise<Map<string, unknown>>;
  /** Frees outputs kept with `keep: true` (clients that cannot keep outputs leave it out). */
  release?(keys: readonly string[]): Promise<void>;
  close(): Promise<void>;
}

type ClientFactory = () => Promise<Client>;
let defaultFactory: ClientFactory | null = null;
let defaultClient: Promise<Client> | null = null;

/** Installs how the default client is made (the umbrella package installs the embedded cluster). */
export function setDefaultClientFactory(f: ClientFactory): void {
  defaultFactory = f;
}

/** The client used when a terminal gets none: started on first use, closed at process exit. */
export function defaultClientInstance(): Promise<Client> {
  if (!defaultFactory) throw new Error("no default Tessera client is configured");
  if (!defaultClient) defaultClient = defaultFactory();
  return defaultClient;
}

/** Closes the default client if one was started (tests, CLI exit). */
export async function closeDefaultClient(): Promise<void> {
  const c = defaultClient;
  defaultClient = null;
  if (c) await (await c).close();
}
