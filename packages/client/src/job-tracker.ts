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
  /** Times the job was submitted again after the scheduler said it did not know it. */
  resubmits: number;
}

/** Submissions of one job the tracker makes before it fails it (each after a job-unknown). */
const MAX_RESUBMITS = 5;

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
  private id: string;

  constructor(private readonly options: JobTrackerOptions) {
    this.id = options.clientId;
  }

  /** The client's id at the scheduler (changes if a reconnection got a new one). */
  get clientId(): string {
    return this.id;
  }

  /** Jobs submitted and not yet settled. */
  get running(): number {
    return this.pending.size;
  }

  submit(graph: TaskGraph, options: RunOptions = {}): Promise<Map<string, unknown>> {
    if (this.failure !== null) return Promise.reject(this.failure);
    const jobId = `job-${++this.jobs}`;
    return new Promise((resolve, reject) => {
      const job: PendingJob = { graph, options, started: performance.now(), resolve, reject, resubmits: 0 };
      this.pending.set(jobId, job);
      this.sendGraph(jobId, job);
    });
  }

  /** Releases outputs kept with { keep: true }. */
  release(keys: readonly string[]): void {
    this.options.send({ op: "release-keys", stimulusId: `${this.id}:release-${++this.releases}`, clientId: this.id, keys });
  }

  /**
   * After reconnecting (as `clientId`, the old id or a new one): asks the scheduler after every unsettled job. Jobs it
   * still has go on; jobs it does not know come back as job-unknown and are submitted again.
   */
  resubscribe(clientId: string): void {
    this.id = clientId;
    if (this.pending.size === 0) return;
    this.options.send({ op: "resubscribe", stimulusId: `${clientId}:resubscribe-${++this.releases}`, clientId, jobIds: [...this.pending.keys()] });
  }

  /** A message from the scheduler about one of this client's jobs (others are ignored). */
  receive(msg: SchedulerToClient): void {
    if (msg.op === "worker-retired") return;
    const job = this.pending.get(msg.jobId);
    if (job === undefined) return;
    switch (msg.op) {
      case "job-progress":
        job.options.onProgress?.({
          done: msg.done, total: msg.total, elapsedMs: performance.now() - job.started, ...(msg.stages !== undefined ? { stages: msg.stages } : {}),
        });
        break;
      case "job-done":
        this.pending.delete(msg.jobId);
        this.finish(msg, job).then(job.resolve, (e: unknown) => this.outputsFailed(msg.jobId, job, e));
        break;
      case "job-erred":
        this.pending.delete(msg.jobId);
        job.reject(errorFromInfo(msg.error));
        break;
      case "job-unknown":
        if (++job.resubmits > MAX_RESUBMITS) {
          this.pending.delete(msg.jobId);
          job.reject(errorFromInfo({
            name: "ExecutionError", code: "JOB_LOST", category: "execution",
            message: `the scheduler lost job ${msg.jobId} ${MAX_RESUBMITS} times after it was submitted again`,
          }));
        } else {
          this.sendGraph(msg.jobId, job);
        }
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

  private sendGraph(jobId: string, job: PendingJob): void {
    const plan = job.options.plan;
    this.options.send({
      op: "graph-submitted", stimulusId: `${this.id}:submit-${jobId}${job.resubmits > 0 ? `-${job.resubmits}` : ""}`, clientId: this.id, jobId,
      graph: job.graph, ...(plan !== undefined ? { plan } : {}),
    });
  }

  /**
   * The outputs could not be fetched. If their holders died after job-done (OUTPUT_LOST), the scheduler recomputes
   * them: the job waits again and asks for news after a pause (it was not released), a few times. Else it fails.
   */
  private outputsFailed(jobId: string, job: PendingJob, e: unknown): void {
    const lost = typeof e === "object" && e !== null && (e as { code?: unknown }).code === "OUTPUT_LOST";
    if (!lost || ++job.resubmits > MAX_RESUBMITS || this.failure !== null) {
      job.reject(e);
      return;
    }
    this.pending.set(jobId, job);
    setTimeout(() => {
      if (this.pending.get(jobId) !== job) return;
      this.options.send({ op: "resubscribe", stimulusId: `${this.id}:refetch-${jobId}-${job.resubmits}`, clientId: this.id, jobIds: [jobId] });
    }, 250 * job.resubmits);
  }

  /** Fetches the outputs, releases them unless kept, and reports the final progress. */
  private async finish(msg: JobDone, job: PendingJob): Promise<Map<string, unknown>> {
    const found = await this.options.fetchOutputs(msg);
    if (job.options.keep !== true) {
      this.options.send({ op: "release-keys", stimulusId: `${this.id}:release-${msg.jobId}`, clientId: this.id, jobId: msg.jobId });
    }
    job.options.onProgress?.({ done: msg.total, total: msg.total, elapsedMs: performance.now() - job.started });
    const values = new Map<string, unknown>();
    for (const k of job.graph.outputs) values.set(k, found.get(k));
    return values;
  }
}
