// Times no-op graphs on Tessera's in-process cluster (scheduler and worker state machines, ops run inline).
import { TEST_OPS_MODULE } from "@tessera/worker/testing";
import { InProcessCluster, LocalCluster } from "tessera";
import { noopGraph } from "./noop-graph.js";

export interface NoopTiming {
  readonly tasks: number;
  /** Seconds from submit to results, per run (null: not run, see note). */
  readonly seconds: readonly number[] | null;
  /** Why a size was not run (its estimate from the smaller graph's rate is over the limit). */
  readonly note?: string;
}

/** How many timed runs a graph of n tasks gets. */
export type RunsFor = (n: number) => number;

/**
 * Times `runs(n)` graphs of each size through `submit`, after a warm-up of two 10,000-task graphs. A size whose estimate
 * (the previous size's fastest µs/task × tasks × runs(n)) exceeds `limitMs` is skipped with a note.
 */
async function timeGraphs(
  label: string, submit: (graph: ReturnType<typeof noopGraph>) => Promise<Map<string, unknown>>,
  sizes: readonly number[], runs: RunsFor, limitMs: number, log: (s: string) => void,
): Promise<NoopTiming[]> {
  for (let i = 0; i < 2; i++) await submit(noopGraph(1e4));
  const out: NoopTiming[] = [];
  let secondsPerTask: number | null = null;
  for (const n of sizes) {
    const estimate = secondsPerTask === null ? null : secondsPerTask * n * runs(n);
    if (estimate !== null && estimate * 1000 > limitMs) {
      const note = `skipped: ${Math.round(estimate)} s estimated from the smaller graph's rate, over the ${Math.round(limitMs / 1000)} s limit (--timeout)`;
      log(`  ${label}, ${n} tasks: ${note}`);
      out.push({ tasks: n, seconds: null, note });
      continue;
    }
    const seconds: number[] = [];
    for (let r = 0; r < runs(n); r++) {
      const graph = noopGraph(n);
      const t0 = performance.now();
      const values = await submit(graph);
      seconds.push((performance.now() - t0) / 1000);
      if (values.size !== graph.outputs.length) throw new Error(`${label}: ${values.size} results for ${graph.outputs.length} outputs`);
      log(`  ${label}, ${n} tasks, run ${r + 1}: ${seconds.at(-1)!.toFixed(3)} s`);
    }
    secondsPerTask = Math.min(...seconds) / n;
    out.push({ tasks: n, seconds });
  }
  return out;
}

/**
 * The same graphs through Tessera's distributed runtime: LocalCluster.start({ workers, threads, opModule: TEST_OPS_MODULE }) starts a scheduler
 * process and worker processes on 127.0.0.1, and its RemoteClient submits over WebSockets. Ops run on each worker's
 * thread pool (threads >= 1), as in production. Times include the results' trip back to the client.
 */
export async function tesseraWebSocketNoop(
  workers: number, threads: number, sizes: readonly number[], runs: RunsFor, limitMs: number, log: (s: string) => void,
): Promise<NoopTiming[]> {
  const cluster = await LocalCluster.start({ workers, threads, opModule: TEST_OPS_MODULE });
  try {
    return await timeGraphs(`tessera websocket ${workers}w×${threads}t`, (g) => cluster.client.run(g), sizes, runs, limitMs, log);
  } finally {
    await cluster.close();
  }
}

/**
 * Runs `runs(n)` timed graphs of each size on a fresh in-process cluster with `workers` workers and threads 0 (no
 * thread hop: the scheduler's cost per task is what remains), after a warm-up of two 10,000-task graphs.
 */
export async function tesseraNoop(
  workers: number, sizes: readonly number[], runs: RunsFor, log: (s: string) => void, limitMs = Infinity,
): Promise<NoopTiming[]> {
  const cluster = await InProcessCluster.start({ workers, threads: 0, opModules: [TEST_OPS_MODULE] });
  try {
    return await timeGraphs(`tessera in-process ${workers}w`, (g) => cluster.run(g), sizes, runs, limitMs, log);
  } finally {
    await cluster.close();
  }
}

/** Whether this build has a WebSocket transport to benchmark (the public API then exports connect()). */
export async function websocketAvailable(): Promise<boolean> {
  const api = (await import("tessera")) as Record<string, unknown>;
  return typeof api["connect"] === "function";
}
