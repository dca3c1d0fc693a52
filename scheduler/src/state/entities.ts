// The scheduler's records: tasks, workers and jobs, linked by references (never serialized as such).
import type { ErrorInfo } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import type { Priority, RunSpec } from "@tessera/protocol";

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

/** The shared empty set behind every relation a task does not have (most tasks have few): no allocation. */
const NONE: ReadonlySet<never> = new Set<never>();

/**
 * A task on the scheduler. Relations are read through read-only sets and changed through methods; each set is
 * allocated on first use, since a Set costs far more than its owner and large graphs hold 10^5 tasks.
 */
export class SchedTask {
  state: TaskStateName = "released";
  readonly spec: RunSpec;
  /** Input keys in op order (duplicates kept); `dependencies` is the same as a set of tasks. */
  readonly inputs: readonly string[];
  processingOn: SchedWorker | null = null;
  /** The id of the current assignment to a worker; increases on every assignment. */
  runId = 0;
  nbytes = 0;
  /** The spec's estimate of the result's bytes, if any. */
  readonly nbytesHint: number | undefined;
  /** While a root task is processing: the bytes counted for it in its worker's rootBytes. */
  rootEstimate = 0;
  /** The worker a steal-request for the current run would move this task to; null when no steal is pending. */
  stealThief: SchedWorker | null = null;
  /** The run a steal failed for (it had started): not asked again. */
  stealFailedRun = 0;
  /** Running jobs that include this task and have not yet seen it finish. */
  readonly jobs = new Set<Job>();
  /** The result was held by some worker at least once (so running it again is a recomputation). */
  computed = false;
  /** Workers that died while this task was processing on them. */
  readonly suspects: string[] = [];
  /** Set when erred: the failed task's error (with task context) and which task failed. */
  error: ErrorInfo | null = null;
  blame: SchedTask | null = null;
  private deps: Set<SchedTask> | null = null;
  private dependentSet: Set<SchedTask> | null = null;
  private waitingSet: Set<SchedTask> | null = null;
  private waiterSet: Set<SchedTask> | null = null;
  private holders: Set<SchedWorker> | null = null;
  private wanted: Set<Job> | null = null;

  constructor(readonly key: string, spec: TaskSpec, readonly priority: Priority) {
    this.spec = spec.label === undefined ? { op: spec.op, args: spec.args } : { op: spec.op, args: spec.args, label: spec.label };
    this.inputs = spec.deps;
    this.nbytesHint = spec.nbytesHint;
  }

  get dependencies(): ReadonlySet<SchedTask> { return this.deps ?? NONE; }
  get dependents(): ReadonlySet<SchedTask> { return this.dependentSet ?? NONE; }
  /** Dependencies not in memory; non-empty exactly while waiting. */
  get waitingOn(): ReadonlySet<SchedTask> { return this.waitingSet ?? NONE; }
  /** Dependents that still need this result (waiting, queued or processing). */
  get waiters(): ReadonlySet<SchedTask> { return this.waiterSet ?? NONE; }
  get whoHas(): ReadonlySet<SchedWorker> { return this.holders ?? NONE; }
  /** Jobs holding this key as an output (until the client releases it). */
  get wantedBy(): ReadonlySet<Job> { return this.wanted ?? NONE; }

  /** Somebody needs this task's result: a running job, a dependent that has not finished, or a client holding it. */
  get needed(): boolean {
    return this.jobs.size > 0 || (this.waiterSet?.size ?? 0) > 0 || (this.wanted?.size ?? 0) > 0;
  }

  get isRoot(): boolean {
    return this.deps === null || this.deps.size === 0;
  }

  /** Makes `dep` an input of this task (and this task a dependent of `dep`). */
  linkInput(dep: SchedTask): void {
    (this.deps ??= new Set()).add(dep);
    (dep.dependentSet ??= new Set()).add(this);
  }

  /** Called as this task is forgotten. */
  unlinkFromInput(dep: SchedTask): void {
    dep.dependentSet?.delete(this);
    dep.waiterSet?.delete(this);
  }

  waitOn(dep: SchedTask): void { (this.waitingSet ??= new Set()).add(dep); }
  /** True when `dep` was waited on and no longer is. */
  stopWaitingOn(dep: SchedTask): boolean { return this.waitingSet?.delete(dep) ?? false; }
  clearWaitingOn(): void { this.waitingSet?.clear(); }

  addWaiter(d: SchedTask): void { (this.waiterSet ??= new Set()).add(d); }
  removeWaiter(d: SchedTask): boolean { return this.waiterSet?.delete(d) ?? false; }

  addHolder(w: SchedWorker): void { (this.holders ??= new Set()).add(w); }
  removeHolder(w: SchedWorker): boolean { return this.holders?.delete(w) ?? false; }
  clearHolders(): void { this.holders?.clear(); }

  addWantedBy(job: Job): void { (this.wanted ??= new Set()).add(job); }
  removeWantedBy(job: Job): boolean { return this.wanted?.delete(job) ?? false; }
}

export class SchedWorker {
  readonly processing = new Set<SchedTask>();
  readonly hasWhat = new Set<SchedTask>();
  /** Sum of nbytes of hasWhat: bytes of results the scheduler knows this worker holds. */
  nbytes = 0;
  /** Bytes the worker last reported holding in memory (heartbeat). */
  memory = 0;
  /** Bytes the worker last reported holding only on disk (heartbeat). */
  spilled = 0;
  /** The worker last reported it stopped starting tasks (memory past its pause fraction). */
  paused = false;
  /** Estimated bytes of the results of root tasks processing here (see SchedulerCore.rootEstimate). */
  rootBytes = 0;
  /** Pending steal-requests that would move a task to this worker, and away from it. */
  incomingSteals = 0;
  outgoingSteals = 0;
  /** Stimulus time of the last message from this worker. */
  lastSeen: number;
  /** Set while the worker drains (retire-worker or worker-retiring): it gets no new tasks; its results move to peers. */
  retiring: Retirement | null = null;

  constructor(readonly id: string, readonly nthreads: number, readonly memoryLimit: number, time: number) {
    this.lastSeen = time;
  }

  /** Tasks processing per thread. */
  get load(): number {
    return this.processing.size / this.nthreads;
  }
}

/** A worker's drain in progress: who asked, which of its results are being copied to which peer, what moved. */
export class Retirement {
  /** Clients that asked (retire-worker), answered with worker-retired once it closes. */
  readonly requestedBy: string[] = [];
  /** Results being copied now: task -> the peer asked to acquire it. */
  readonly replicas = new Map<SchedTask, SchedWorker>();
  /** Copies asked per task, so a key no peer manages to fetch is eventually left to lineage. */
  readonly attempts = new Map<SchedTask, number>();
  /** Results copied to peers, and their bytes as the peers measured them (add-keys). */
  moved = 0;
  movedBytes = 0;
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
