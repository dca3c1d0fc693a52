// Times no-op graphs on Tessera's in-process cluster (scheduler and worker state machines, ops run inline).
import { InProcessCluster } from "@tessera/worker";
import { noopGraph } from "./noop-graph.js";

export interface NoopTiming {
  readonly tasks: number;
  /** Seconds from submit to results, per run. */
  readonly seconds: readonly number[];
}

/**
 * Runs `runs` timed graphs of each size on a fresh in-process cluster with `workers` workers and threads 0 (no
 * thread hop: the scheduler's cost per task is what remains), after a warm-up of two 10,000-task graphs.
 */
export async function tesseraNoop(workers: number, sizes: readonly number[], runs: number, log: (s: string) => void): Promise<NoopTiming[]> {
  const cluster = await InProcessCluster.start({ workers, threads: 0 });
  try {
    for (let i = 0; i < 2; i++) await cluster.submit(noopGraph(1e4));
    const out: NoopTiming[] = [];
    for (const n of sizes) {
      const seconds: number[] = [];
      for (let r = 0; r < runs; r++) {
        const graph = noopGraph(n);
        const t0 = performance.now();
        await cluster.submit(graph);
        seconds.push((performance.now() - t0) / 1000);
        log(`  tessera in-process ${workers}w, ${n} tasks, run ${r + 1}: ${seconds.at(-1)!.toFixed(3)} s`);
      }
      out.push({ tasks: n, seconds });
    }
    return out;
  } finally {
    await cluster.close();
  }
}

/** Whether this build has a WebSocket transport to benchmark (the public API then exports connect()). */
export async function websocketAvailable(): Promise<boolean> {
  const api = (await import("tessera")) as Record<string, unknown>;
  return typeof api["connect"] === "function";
}
