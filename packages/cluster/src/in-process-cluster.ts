// The embedded cluster: one scheduler and N workers in this process, wired by the in-process hub.
import { availableParallelism, totalmem } from "node:os";
import { ExecutionError, InternalError } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import type { Client, RunOptions } from "@tessera/client";
import { JobTracker } from "@tessera/client";
import type { JobDone } from "@tessera/protocol";
import { DashboardServer, SchedulerServer } from "@tessera/scheduler";
import { InlineRunner, OpRegistry, ProcessMemoryGuard, ThreadPool, WorkerShell, exposeGc, makeGraphAdmission } from "@tessera/worker";
import type { GraphAdmissionOptions, OpRunner } from "@tessera/worker";
import { InProcessHub } from "./in-process-hub.js";

export interface InProcessClusterOptions {
  readonly workers?: number;
  /** Threads per worker: 0 runs ops inline on the main thread. Default: available cores / workers. */
  readonly threads?: number;
  /** Bytes each worker may hold: past memoryTarget of it results spill to disk, past memoryPause no task starts. Default: RAM / workers. */
  readonly memoryLimit?: number;
  /** Spill threshold as a fraction of memoryLimit (default 0.6; false: never spill). */
  readonly memoryTarget?: number | false;
  /** Pause threshold as a fraction of memoryLimit (default 0.8; false: never pause). */
  readonly memoryPause?: number | false;
  /** Parent directory of each worker's spill directory (default os.tmpdir()). */
  readonly spillDir?: string;
  /** Run both state machines in validate mode (slow; for tests). */
  readonly validate?: boolean;
  readonly progressIntervalMs?: number;
  readonly rootSlack?: number;
  readonly heartbeatMs?: number;
  /** Serve the dashboard (HTML page, /api/status, /metrics) on this port of 127.0.0.1; 0 picks a free port. Default: none. */
  readonly dashboardPort?: number;
  /** Op modules the workers offer besides the production ops (tests, benchmarks; see OpRegistry.load). Default: none. */
  readonly opModules?: readonly string[];
  /** Storage prefixes tasks may read and write, checked at intake and by the workers. Default: unscoped (the user's own process). */
  readonly storageScope?: GraphAdmissionOptions["storageScope"];
  /**
   * After a job, once this process's resident memory outside the main thread's JavaScript heap grew by this many bytes
   * since the last collection, a full GC runs on the main thread on the next turn of the event loop, so results and
   * inputs nobody holds any more are returned to the system. They live in shared memory the pool threads allocated,
   * which the main thread's own GC trigger does not count, and a main thread that mostly waits on pool threads
   * allocates too little to collect by itself: without this, dead results of earlier jobs stay resident. Growth of
   * the heap itself (a large graph's task records) is left to V8, whose collections are incremental: a full GC for
   * it would stop the next job for as long as marking every live object takes. false: never. Default 256 MiB.
   */
  readonly collectGarbage?: number | false;
}

/**
 * Default growth of memory outside the heap after which a job's end is followed by a collection. 64 MiB was measured
 * against it (2026-12-08, G1 1e7 in one process): peaks of q6 and q7 fell from 621-633 and 789-804 MiB to 521-664
 * and 658-674, but each collection cost the main thread 24-39 ms as the next job started, and the next job faulted
 * the returned memory in again: back-to-back q5 runs averaged 800 ms against 740. Kept at 256 MiB.
 */
export const GARBAGE_GROWTH_BYTES = 256 << 20;

/** The process's resident memory minus the main thread's JavaScript heap: buffers, shared memory, pool threads. */
function memoryOutsideHeap(): number {
  const m = process.memoryUsage();
  return m.rss - m.heapTotal;
}

const CLIENT_ID = "in-process";

/**
 * Same code path as a real cluster (state machines, shells, pool), with a hub in place of sockets; a Client of itself.
 * Invariant: every run() promise settles, at the latest when the cluster closes.
 */
export class InProcessCluster implements Client {
  readonly scheduler: SchedulerServer;
  readonly workers: readonly WorkerShell[];
  private readonly hub: InProcessHub;
  private readonly jobs: JobTracker;
  private dashboard: DashboardServer | null = null;
  /** Collects this process's garbage after jobs (collectGarbage); null when disabled. */
  readonly garbage: ProcessMemoryGuard | null;

  private constructor(options: InProcessClusterOptions, ops: OpRegistry) {
    const nworkers = Math.max(1, options.workers ?? 1);
    const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / nworkers));
    const memoryLimit = options.memoryLimit ?? Math.floor(totalmem() / nworkers);
    this.hub = new InProcessHub((e) => this.fail(e));
    this.scheduler = new SchedulerServer(this.hub, {
      validate: options.validate ?? false,
      progressIntervalMs: options.progressIntervalMs ?? 100,
      rootSlack: options.rootSlack ?? 1,
      admission: makeGraphAdmission({ ops, storageScope: options.storageScope ?? null }),
      // Without heartbeats a quiet worker would look dead: no timeouts then.
      ...(options.heartbeatMs === 0 ? { tickMs: 0 } : {}),
    });
    this.hub.scheduler = this.scheduler;
    this.jobs = new JobTracker({ clientId: CLIENT_ID, send: (msg) => this.hub.toScheduler(msg), fetchOutputs: (msg) => this.fetchOutputs(msg) });
    this.hub.clients.set(CLIENT_ID, (msg) => this.jobs.receive(msg));
    const workers: WorkerShell[] = [];
    for (let i = 0; i < nworkers; i++) {
      const opModules = options.opModules ?? [];
      const storageScope = options.storageScope ?? null;
      const runner: OpRunner = threads === 0 ? new InlineRunner({ opModules, storageScope }) : new ThreadPool({ threads, opModules, storageScope });
      const shell = new WorkerShell({
        workerId: `worker-${i}`,
        runner,
        link: this.hub.workerLink(),
        memoryLimit,
        ...(options.memoryTarget !== undefined ? { memoryTarget: options.memoryTarget } : {}),
        ...(options.memoryPause !== undefined ? { memoryPause: options.memoryPause } : {}),
        ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
        heartbeatMs: options.heartbeatMs ?? 1000,
        validate: options.validate ?? false,
        onError: (e) => this.fail(e),
      });
      this.hub.workers.set(shell.workerId, shell);
      workers.push(shell);
    }
    this.workers = workers;
    const growth = options.collectGarbage ?? GARBAGE_GROWTH_BYTES;
    if (growth !== false) exposeGc();
    this.garbage = growth === false ? null : new ProcessMemoryGuard({ limit: Infinity, growthBytes: growth, measure: memoryOutsideHeap });
    this.scheduler.event({ op: "client-connected", clientId: CLIENT_ID });
    for (const w of workers) this.scheduler.event({ op: "worker-added", workerId: w.workerId, nthreads: w.nthreads, memoryLimit });
  }

  static async start(options: InProcessClusterOptions = {}): Promise<InProcessCluster> {
    // The scheduler's intake accepts the ops the workers offer: the production ops plus the named op modules.
    const cluster = new InProcessCluster(options, await OpRegistry.load(options.opModules));
    if (options.dashboardPort !== undefined) {
      try {
        cluster.dashboard = await DashboardServer.start({ port: options.dashboardPort, source: cluster.scheduler });
      } catch (e) {
        await cluster.close();
        throw e;
      }
    }
    return cluster;
  }

  /** The dashboard page's address (e.g. http://127.0.0.1:8787/), or null when started without dashboardPort. */
  get dashboardUrl(): string | null {
    return this.dashboard?.url ?? null;
  }

  /** Runs the graph; resolves with the values of graph.outputs (in that order), or rejects with the failing task's error. */
  run(graph: TaskGraph, options: RunOptions = {}): Promise<Map<string, unknown>> {
    const job = this.jobs.submit(graph, options);
    if (this.garbage !== null) {
      const after = (): void => { setImmediate(() => this.collectAfterJob()); };
      job.then(after, after);
    }
    return job;
  }

  /** The check after a job (see collectGarbage); after a collection, the floor is read once V8 has freed the buffers. */
  private collectAfterJob(): void {
    const guard = this.garbage;
    if (guard !== null && guard.check(true)) setTimeout(() => guard.check(true), 20).unref();
  }

  /** Releases outputs kept with { keep: true }; resolves once the workers have freed them. */
  async release(keys: readonly string[]): Promise<void> {
    this.jobs.release(keys);
    await this.settled();
  }

  /**
   * Loses a worker as if its process died: its data is gone, peers cannot reach it, and the scheduler recovers
   * (reschedules its tasks, recomputes results only it held). For tests of recovery.
   */
  async removeWorker(workerId: string): Promise<void> {
    const shell = this.hub.workers.get(workerId);
    if (shell === undefined) return;
    this.hub.workers.delete(workerId);
    this.hub.toScheduler({ op: "worker-removed", stimulusId: `remove-${workerId}`, workerId, reason: "removed by removeWorker()" });
    shell.store.clear();
    await shell.close();
  }

  /**
   * Resolves once no message is queued and no worker is executing: everything sent so far has had its effects
   * (e.g. after release(), the workers have freed the data). Checks once per event-loop turn.
   */
  async settled(): Promise<void> {
    const live = (): WorkerShell[] => this.workers.filter((w) => this.hub.workers.get(w.workerId) === w);
    while (!this.hub.idle || live().some((w) => w.state.executingCount > 0)) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  async close(): Promise<void> {
    this.jobs.failAll(new ExecutionError("CLUSTER_CLOSED", "the in-process cluster was closed"));
    this.hub.close();
    this.scheduler.close();
    await Promise.all([...this.workers.map((w) => w.close()), this.dashboard?.close()]);
    this.dashboard = null;
  }

  /** Reads the outputs from the workers' stores (by reference: no copy in-process). */
  private async fetchOutputs(msg: JobDone): Promise<Map<string, unknown>> {
    const byWorker = new Map<WorkerShell, string[]>();
    for (const o of msg.outputs) {
      const holder = o.workerIds.find((id) => this.hub.workers.has(id));
      const shell = holder === undefined ? undefined : this.hub.workers.get(holder);
      if (shell === undefined) throw new InternalError("OUTPUT_LOST", `output ${o.key} has no live holder`, { key: o.key });
      const keys = byWorker.get(shell);
      if (keys === undefined) byWorker.set(shell, [o.key]);
      else keys.push(o.key);
    }
    const found = new Map<string, unknown>();
    for (const [shell, keys] of byWorker) {
      const values = await shell.store.load(keys);
      keys.forEach((k, i) => found.set(k, values[i]));
    }
    return found;
  }

  /** A bug in a state machine or shell: fail every job now rather than hang. */
  private fail(e: unknown): void {
    this.jobs.failAll(e);
  }
}
