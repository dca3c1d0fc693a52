// One client's jobs at a scheduler: submits graphs, reports progress, settles each job with its outputs or its error.
import { assertNever, errorFromInfo } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import type { ClientToScheduler, JobDone, SchedulerToClient } from "@tessera/protocol";
import type { RunOptions } from "./client.js";

/** Reads a finished job's outputs from the workers holding them (in-process: their stores; remote: gathers). */
export type FetchOutputs = (done: JobDone) => Promise<Map<string, unknown>>;

export interface JobTrackerOptions {
  /** The client's id at the scheduler; stimulus ids are prefixed with it. */
  readonly clientId: string;
  /** Delivers a message to the scheduler (a socket, or the in-process hub). */
  readonly send: (msg: ClientToScheduler) => void;
  readonly fetchOutputs: FetchOutputs;
}

interface PendingJob {
  readonly graph: TaskGraph;
  readonly options: RunOptions;
  readonly started: number;
  readonly resolve: (values: Map<string, unknown>) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Written once for every Client: the in-process cluster and the remote client differ only in how messages travel
 * and how outputs are fetched. Invariant: every submit() promise settles, with the values of `graph.outputs` (in that
 * order), with the job's error, or with the error given to failAll().
 */
export class JobTracker {
  private readonly pending = new Map<string, PendingJob>();
  private jobs = 0;
  private releases = 0;
  private failure: unknown = null;

  constructor(private readonly options: JobTrackerOptions) {}

  /** Jobs submitted and not yet settled. */
  get running(): number {
    return this.pending.size;
  }

  submit(graph: TaskGraph, options: RunOptions = {}): Promise<Map<string, unknown>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const jobId = `job-${++this.jobs}`;
    const { clientId } = this.options;
    return new Promise((resolve, reject) => {
      this.pending.set(jobId, { graph, options, started: performance.now(), resolve, reject });
      this.options.send({ op: "graph-submitted", stimulusId: `${clientId}:submit-${jobId}`, clientId, jobId, graph });
    });
  }

  /** Releases outputs kept with { keep: true }. */
  release(keys: readonly string[]): void {
    const { clientId } = this.options;
    this.options.send({ op: "release-keys", stimulusId: `${clientId}:release-${++this.releases}`, clientId, keys });
  }

  /** A message from the scheduler about one of this client's jobs (others are ignored). */
  receive(msg: SchedulerToClient): void {
    const job = this.pending.get(msg.jobId);
    if (job === undefined) return;
    switch (msg.op) {
      case "job-progress":
        job.options.onProgress?.({ done: msg.done, total: msg.total, elapsedMs: performance.now() - job.started });
        break;
      case "job-done":
        this.pending.delete(msg.jobId);
        this.finish(msg, job).then(job.resolve, job.reject);
        break;
      case "job-erred":
        this.pending.delete(msg.jobId);
        job.reject(errorFromInfo(msg.error));
        break;
      default:
        assertNever(msg, "scheduler message to a client");
    }
  }

  /** Rejects every pending job with `e`; with `permanent`, later submits reject with it too (connection lost, closed). */
  failAll(e: unknown, permanent = true): void {
    if (permanent) this.failure ??= e;
    for (const job of this.pending.values()) job.reject(e);
    this.pending.clear();
  }

  /** Fetches the outputs, releases them unless kept, and reports the final progress. */
  private async finish(msg: JobDone, job: PendingJob): Promise<Map<string, unknown>> {
    const found = await this.options.fetchOutputs(msg);
    if (job.options.keep !== true) {
      const { clientId } = this.options;
      this.options.send({ op: "release-keys", stimulusId: `${clientId}:release-${msg.jobId}`, clientId, jobId: msg.jobId });
    }
    job.options.onProgress?.({ done: msg.total, total: msg.total, elapsedMs: performance.now() - job.started });
    const values = new Map<string, unknown>();
    for (const k of job.graph.outputs) values.set(k, found.get(k));
    return values;
  }
}
