// The scheduler's records: tasks, workers and jobs, linked by references (never serialized as such).
import type { ErrorInfo } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import type { Priority, RunSpec } from "./messages.js";

/**
 * A task's state on the scheduler.
 * - released: known (spec and lineage kept) but not wanted right now, or about to be (re)scheduled
 * - waiting: wanted; some dependency is not in memory yet
 * - queued: ready but not sent: a root task while every worker is saturated, or any ready task while no worker is connected
 * - processing: sent to exactly one worker
 * - memory: held by at least one worker
 * - erred: failed, or a dependency failed (`blame` is the task that failed)
 * - forgotten: dropped from the scheduler (no job, client or dependent refers to it)
 */
export type TaskStateName = "released" | "waiting" | "queued" | "processing" | "memory" | "erred" | "forgotten";

export const TASK_STATES: readonly TaskStateName[] = ["released", "waiting", "queued", "processing", "memory", "erred", "forgotten"];

export class SchedTask {
  state: TaskStateName = "released";
  readonly spec: RunSpec;
  /** Input keys in op order (duplicates kept); `dependencies` is the same as a set of tasks. */
  readonly inputs: readonly string[];
  readonly dependencies = new Set<SchedTask>();
  readonly dependents = new Set<SchedTask>();
  /** Dependencies not in memory; non-empty exactly while waiting. */
  readonly waitingOn = new Set<SchedTask>();
  /** Dependents that still need this result (waiting, queued or processing). */
  readonly waiters = new Set<SchedTask>();
  readonly whoHas = new Set<SchedWorker>();
  processingOn: SchedWorker | null = null;
  /** The id of the current assignment to a worker; increases on every assignment. */
  runId = 0;
  nbytes = 0;
  /** Running jobs that include this task and have not yet seen it finish. */
  readonly jobs = new Set<Job>();
  /** Jobs holding this key as an output (until the client releases it). */
  readonly wantedBy = new Set<Job>();
  /** Workers that died while this task was processing on them. */
  readonly suspects: string[] = [];
  /** Set when erred: the failed task's error (with task context) and which task failed. */
  error: ErrorInfo | null = null;
  blame: SchedTask | null = null;

  constructor(readonly key: string, spec: TaskSpec, readonly priority: Priority) {
    this.spec = spec.label === undefined ? { op: spec.op, args: spec.args } : { op: spec.op, args: spec.args, label: spec.label };
    this.inputs = spec.deps;
  }

  /** Somebody needs this task's result: a running job, a dependent that has not finished, or a client holding it. */
  get needed(): boolean {
    return this.jobs.size > 0 || this.waiters.size > 0 || this.wantedBy.size > 0;
  }

  get isRoot(): boolean {
    return this.dependencies.size === 0;
  }
}

export class SchedWorker {
  readonly processing = new Set<SchedTask>();
  readonly hasWhat = new Set<SchedTask>();
  /** Sum of nbytes of hasWhat: bytes of results the scheduler knows this worker holds. */
  nbytes = 0;
  /** Bytes the worker last reported holding (heartbeat). */
  memory = 0;
  lastSeen: number;

  constructor(readonly id: string, readonly nthreads: number, readonly memoryLimit: number, time: number) {
    this.lastSeen = time;
  }

  /** Tasks processing per thread. */
  get load(): number {
    return this.processing.size / this.nthreads;
  }
}

export type JobStatus = "running" | "done" | "erred";

export class Job {
  status: JobStatus = "running";
  /** Tasks of this job that have not reached memory yet. */
  readonly pending = new Set<SchedTask>();
  readonly outputs: SchedTask[] = [];
  total = 0;
  lastProgressAt: number;

  constructor(readonly clientId: string, readonly jobId: string, readonly seq: number, time: number) {
    this.lastProgressAt = time;
  }

  get done(): number {
    return this.total - this.pending.size;
  }
}

/** Jobs are unique per client; this is their key in the scheduler's maps. */
export function jobKey(clientId: string, jobId: string): string {
  return `${clientId}\u0000${jobId}`;
}
