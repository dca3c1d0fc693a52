// LocalCluster: a scheduler and workers on this machine, exposing a Client for collect/sink.
import type { ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import type { Client } from "@tessera/client";
import { connect } from "@tessera/client";
import { InProcessCluster } from "@tessera/cluster";
import { MEMORY_ENV, spawnCli, stopProcess } from "./cluster-processes.js";

export interface LocalClusterOptions {
  /** Number of workers (default 1). */
  readonly workers?: number;
  /** Kernel threads per worker (default: cores / workers; 0 runs kernels on the main thread). */
  readonly threads?: number;
  /** Bytes each worker may hold, as a number or a string such as "4GB". */
  readonly memoryLimit?: number | string;
  /** Dashboard port (served by the distributed scheduler; not used by the in-process cluster). */
  readonly dashboardPort?: number;
  /** Real scheduler and worker processes (default), or everything in this process (false: tests, tiny jobs). */
  readonly processes?: boolean;
  /** Shared secret for the processes (default $TESSERA_TOKEN). */
  readonly token?: string;
  /** An op module the workers offer besides the production ops (tests, benchmarks; `tessera worker --op-module`, and the scheduler's). */
  readonly opModule?: string;
}

/**
 * glibc settings for worker processes (unless the environment sets its own): besides the fixed mmap threshold every
 * spawned process gets (MEMORY_ENV), threads share two arenas, so memory a worker frees goes back to the system
 * instead of staying in its RSS (about 100-150 MB less at the peak of a spilling 10^7-row group-by; see the README).
 */
export const WORKER_MALLOC_ENV: Readonly<Record<string, string>> = { ...MEMORY_ENV, MALLOC_ARENA_MAX: "2" };

const UNITS: Record<string, number> = { B: 1, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, KIB: 1024, MIB: 1024 ** 2, GIB: 1024 ** 3, TIB: 1024 ** 4 };

/** Parses "4GB", "512MiB" or a number of bytes. */
export function parseBytes(x: number | string): number {
  if (typeof x === "number") return x;
  const m = /^\s*([\d.]+)\s*([a-zA-Z]*)\s*$/.exec(x);
  const unit = UNITS[(m?.[2] || "B").toUpperCase()];
  if (!m || unit === undefined) throw new Error(`cannot parse a byte size from "${x}"`);
  return Math.round(Number(m[1]) * unit);
}

/**
 * A scheduler and workers on this machine. By default real processes (`tessera scheduler` and `tessera worker`
 * on 127.0.0.1, as in production, reached through a RemoteClient); `processes: false` runs them in this process.
 */
export class LocalCluster {
  private constructor(
    readonly client: Client,
    readonly dashboardUrl: string | null,
    /** The scheduler's ws:// URL (null in-process). */
    readonly schedulerUrl: string | null,
    private readonly stop: () => Promise<void>,
  ) {}

  static async start(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    if (opts.processes === false) {
      const inner = await InProcessCluster.start({
        ...(opts.workers !== undefined ? { workers: opts.workers } : {}),
        ...(opts.threads !== undefined ? { threads: opts.threads } : {}),
        ...(opts.memoryLimit !== undefined ? { memoryLimit: parseBytes(opts.memoryLimit) } : {}),
        ...(opts.dashboardPort !== undefined ? { dashboardPort: opts.dashboardPort } : {}),
        ...(opts.opModule !== undefined ? { opModules: [opts.opModule] } : {}),
      });
      return new LocalCluster(inner, inner.dashboardUrl, null, () => inner.close());
    }
    const nworkers = Math.max(1, opts.workers ?? 1);
    const threads = opts.threads ?? Math.max(1, Math.floor(availableParallelism() / nworkers));
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (opts.token !== undefined) env["TESSERA_TOKEN"] = opts.token;
    // The scheduler's intake must know the op module's ops too, or it refuses their tasks.
    const opModule = opts.opModule !== undefined ? ["--op-module", opts.opModule] : [];
    const scheduler = await spawnCli(
      ["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-port", String(opts.dashboardPort ?? 0), "--log-level", "warn", ...opModule],
      /listening on (ws:\/\/\S+)/, env,
    );
    const workers: ChildProcess[] = [];
    const stopAll = async (): Promise<void> => {
      await Promise.all(workers.map((w) => stopProcess(w)));
      await stopProcess(scheduler.child);
    };
    try {
      const memory = opts.memoryLimit !== undefined ? ["--memory-limit", String(parseBytes(opts.memoryLimit))] : [];
      const started = await Promise.all(Array.from({ length: nworkers }, (_, i) => spawnCli(
        ["worker", scheduler.url, "--threads", String(threads), "--name", `local-${i}`, "--log-level", "warn", ...memory, ...opModule],
        /serving peers at (ws:\/\/\S+)/, { ...WORKER_MALLOC_ENV, ...env },
      )));
      for (const w of started) workers.push(w.child);
      const client = await connect(scheduler.url, { token: opts.token ?? process.env["TESSERA_TOKEN"] ?? null });
      const dashboardUrl = /dashboard at (http\S+)/.exec(scheduler.output)?.[1] ?? null;
      return new LocalCluster(client, dashboardUrl, scheduler.url, async () => {
        await client.close();
        await stopAll();
      });
    } catch (e) {
      for (const w of workers) w.kill("SIGKILL");
      scheduler.child.kill("SIGKILL");
      throw e;
    }
  }

  close(): Promise<void> { return this.stop(); }
}
