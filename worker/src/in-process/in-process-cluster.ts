// The embedded cluster: one scheduler and N workers in this process, wired by the in-process hub.
import { availableParallelism, totalmem } from "node:os";
import { ExecutionError, InternalError, assertNever, errorFromInfo } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import { DashboardServer, SchedulerServer } from "@tessera/scheduler";
import type { JobDone, SchedulerToClient } from "@tessera/scheduler";
import { InlineRunner } from "../pool/inline-runner.js";
import type { OpRunner } from "../pool/op-runner.js";
import { ThreadPool } from "../pool/thread-pool.js";
import { WorkerShell } from "../shell/worker-shell.js";
import { InProcessHub } from "./in-process-hub.js";
import { makeGraphAdmission } from "../ops/graph-admission.js";

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
}

export interface SubmitOptions {
  /** Called as tasks finish (throttled by the scheduler) and once more with done === total. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Keep the outputs on the workers after returning them (release them with release(keys)). Default false. */
  readonly keep?: boolean;
}

interface PendingJob {
  readonly graph: TaskGraph;
  readonly options: SubmitOptions;
  readonly resolve: (values: Map<string, unknown>) => void;
  readonly reject: (e: unknown) => void;
}

const CLIENT_ID = "in-process";

/**
 * Same code path as a real cluster (state machines, shells, pool), with a hub in place of sockets.
 * Invariant: every submit promise settles, at the latest when the cluster closes.
 */
export class InProcessCluster {
  readonly scheduler: SchedulerServer;
  readonly workers: readonly WorkerShell[];
  private readonly hub: InProcessHub;
  private readonly pending = new Map<string, PendingJob>();
  private jobs = 0;
  private releases = 0;
  private failure: unknown = null;
  private dashboard: DashboardServer | null = null;

  private constructor(options: InProcessClusterOptions) {
    const nworkers = Math.max(1, options.workers ?? 1);
    const threads = options.threads ?? Math.max(1, Math.floor(availableParallelism() / nworkers));
    const memoryLimit = options.memoryLimit ?? Math.floor(totalmem() / nworkers);
    this.hub = new InProcessHub((e) => this.fail(e));
    this.scheduler = new SchedulerServer(this.hub, {
      validate: options.validate ?? false,
      progressIntervalMs: options.progressIntervalMs ?? 100,
      rootSlack: options.rootSlack ?? 1,
      admission: makeGraphAdmission(),
      // Without heartbeats a quiet worker would look dead: no timeouts then.
      ...(options.heartbeatMs === 0 ? { tickMs: 0 } : {}),
    });
    this.hub.scheduler = this.scheduler;
    this.hub.clients.set(CLIENT_ID, (msg) => this.onMessage(msg));
    const workers: WorkerShell[] = [];
    for (let i = 0; i < nworkers; i++) {
      const runner: OpRunner = threads === 0 ? new InlineRunner() : new ThreadPool({ threads });
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
    this.scheduler.event({ op: "client-connected", clientId: CLIENT_ID });
    for (const w of workers) this.scheduler.event({ op: "worker-added", workerId: w.workerId, nthreads: w.nthreads, memoryLimit });
  }

  static async start(options: InProcessClusterOptions = {}): Promise<InProcessCluster> {
    const cluster = new InProcessCluster(options);
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
  submit(graph: TaskGraph, options: SubmitOptions = {}): Promise<Map<string, unknown>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const jobId = `job-${++this.jobs}`;
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { graph, options, resolve, reject });
      this.hub.toScheduler({ op: "graph-submitted", stimulusId: `submit-${jobId}`, clientId: CLIENT_ID, jobId, graph });
    });
  }

  /** Releases outputs kept with { keep: true }. */
  release(keys: readonly string[]): void {
    this.hub.toScheduler({ op: "release-keys", stimulusId: `release-keys-${++this.releases}`, clientId: CLIENT_ID, keys });
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
    this.rejectAll(new ExecutionError("CLUSTER_CLOSED", "the in-process cluster was closed"));
    this.hub.close();
    this.scheduler.close();
    await Promise.all([...this.workers.map((w) => w.close()), this.dashboard?.close()]);
    this.dashboard = null;
  }

  private onMessage(msg: SchedulerToClient): void {
    const job = this.pending.get(msg.jobId);
    if (job === undefined) return;
    switch (msg.op) {
      case "job-progress":
        job.options.onProgress?.(msg.done, msg.total);
        break;
      case "job-done":
        this.pending.delete(msg.jobId);
        this.collect(msg, job).then(job.resolve, job.reject);
        break;
      case "job-erred":
        this.pending.delete(msg.jobId);
        job.reject(errorFromInfo(msg.error));
        break;
      default:
        assertNever(msg, "scheduler message to a client");
    }
  }

  /** Reads the outputs from the workers' stores (by reference: no copy in-process), then releases them unless kept. */
  private async collect(msg: JobDone, job: PendingJob): Promise<Map<string, unknown>> {
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
    if (job.options.keep !== true) {
      this.hub.toScheduler({ op: "release-keys", stimulusId: `release-${msg.jobId}`, clientId: CLIENT_ID, jobId: msg.jobId });
    }
    job.options.onProgress?.(msg.total, msg.total);
    const values = new Map<string, unknown>();
    for (const k of job.graph.outputs) values.set(k, found.get(k));
    return values;
  }

  /** A bug in a state machine or shell: fail every job now rather than hang. */
  private fail(e: unknown): void {
    this.failure ??= e;
    this.rejectAll(e);
  }

  private rejectAll(e: unknown): void {
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
  }
}
