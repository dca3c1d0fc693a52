// LocalCluster: a scheduler and workers on this machine, exposing a Client for collect/sink.
import type { TaskGraph } from "@tessera/graph";
import type { Client, RunOptions } from "@tessera/dataframe";
import { InProcessCluster } from "@tessera/worker";

export interface LocalClusterOptions {
  /** Number of workers (default 1). */
  readonly workers?: number;
  /** Kernel threads per worker (default: cores / workers; 0 runs kernels on the main thread). */
  readonly threads?: number;
  /** Bytes each worker may hold, as a number or a string such as "4GB". */
  readonly memoryLimit?: number | string;
  /** Dashboard port (served by the distributed scheduler; not used by the in-process cluster). */
  readonly dashboardPort?: number;
}

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** Parses "4GB", "512MiB" or a number of bytes. */
export function parseBytes(x: number | string): number {
  if (typeof x === "number") return x;
  const m = /^\s*([\d.]+)\s*([a-zA-Z]*)\s*$/.exec(x);
  const unit = UNITS[(m?.[2] || "B").toUpperCase()];
  if (!m || unit === undefined) throw new Error(`cannot parse a byte size from "${x}"`);
  return Math.round(Number(m[1]) * unit);
}

/** A Client over an in-process cluster. */
export class InProcessClient implements Client {
  constructor(readonly cluster: InProcessCluster) {}
  async run(graph: TaskGraph, opts: RunOptions = {}): Promise<Map<string, unknown>> {
    const start = performance.now();
    const onProgress = opts.onProgress;
    return this.cluster.submit(graph, {
      ...(onProgress ? { onProgress: (done: number, total: number) => onProgress({ done, total, elapsedMs: performance.now() - start }) } : {}),
      ...(opts.keep ? { keep: true } : {}),
    });
  }
  async release(keys: readonly string[]): Promise<void> {
    this.cluster.release(keys);
    await this.cluster.settled();
  }
  close(): Promise<void> { return this.cluster.close(); }
}

export class LocalCluster {
  private constructor(readonly client: Client, private readonly inner: InProcessCluster, readonly dashboardUrl: string | null) {}

  static async start(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    const inner = await InProcessCluster.start({
      ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
      ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
      ...(opts.memoryLimit !== undefined ? { memoryLimit: parseBytes(opts.memoryLimit) } : {}),
    });
    return new LocalCluster(new InProcessClient(inner), inner, null);
  }

  close(): Promise<void> { return this.inner.close(); }
}
