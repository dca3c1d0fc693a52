// The scheduler's records: tasks, workers and jobs, linked by references (never serialized as such).
import type { ErrorInfo } from "@tessera/common";
import type { TaskSpec } from "@tessera/graph";
import type { Priority, RunSpec, TaskLabel } from "@tessera/protocol";
import { Members } from "./members.js";
import type { ReadonlyMembers } from "./members.js";

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

/** Extra facts some transitions need, passed along with a recommendation. */
export type TransitionArg =
  | { readonly kind: "finished"; readonly worker: SchedWorker; readonly nbytes: number }
  | { readonly kind: "failed"; readonly error: ErrorInfo; readonly blame: SchedTask }
  | { readonly kind: "assign"; readonly worker: SchedWorker }
  | { readonly kind: "worker-gone" }
  /** The victim dropped the task for a steal; `thief` (if still eligible) gets it. */
  | { readonly kind: "stolen"; readonly thief: SchedWorker | undefined };

/** The shared empty relation behind every relation a task does not have (most tasks have few): no allocation. */
const NONE: ReadonlyMembers<never> = new Members<never>();

/**
 * What the tasks of one job with one label share: how their results and run times turned out so far, to estimate
 * the next ones (root admission by bytes, placement and stealing).
 */
export class TaskGroup {
  resultBytes = 0;
  results = 0;
  runMs = 0;
  runs = 0;
}

/**
 * A task on the scheduler. Relations are read through read-only views and changed through methods; each is
 * allocated on first use and holds its first member inline (Members), since large graphs hold 10^6 tasks.
 */
export class SchedTask {
  state: TaskStateName = "released";
  readonly op: string;
  readonly args: unknown;
  readonly label: TaskLabel | undefined;
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
  /** The result was held by some worker at least once (so running it again is a recomputation). */
  computed = false;
  /** Workers that died while this task was processing on them (null: none). */
  suspects: string[] | null = null;
  /** Set when erred: the failed task's error (with task context) and which task failed. */
  error: ErrorInfo | null = null;
  blame: SchedTask | null = null;
  /** A pending recommendation (SchedulerCore.recommend): the state to move to next, null when none. */
  recTo: TaskStateName | null = null;
  recArg: TransitionArg | undefined = undefined;
  private jobSet: Members<Job> | null = null;
  private deps: Members<SchedTask> | null = null;
  private dependentSet: Members<SchedTask> | null = null;
  private waitingSet: Members<SchedTask> | null = null;
  private waiterSet: Members<SchedTask> | null = null;
  private holders: Members<SchedWorker> | null = null;
  private wanted: Members<Job> | null = null;
  private ids: readonly string[] | null = null;
  /**
   * A slot for one observer of the state machine, which never reads or writes it: the dashboard's record of this task
   * (its job-graph records, the run in flight). Kept here, the record costs no index of its own and goes with the task.
   */
  view: unknown = undefined;

  constructor(readonly key: string, spec: TaskSpec, readonly priority: Priority, readonly group: TaskGroup) {
    this.op = spec.op;
    this.args = spec.args;
    this.label = spec.label;
    this.inputs = spec.deps;
    this.nbytesHint = spec.nbytesHint;
  }

  /** What a worker needs to run it (built per assignment: it is sent, not kept). */
  get spec(): RunSpec {
    return this.label === undefined ? { op: this.op, args: this.args } : { op: this.op, args: this.args, label: this.label };
  }

  /** Running jobs that include this task and have not yet seen it finish. */
  get jobs(): ReadonlyMembers<Job> { return this.jobSet ?? NONE; }
  addJob(job: Job): void { (this.jobSet ??= new Members()).add(job); }
  removeJob(job: Job): boolean { return this.jobSet?.delete(job) ?? false; }
  clearJobs(): void { this.jobSet = null; }

  get dependencies(): ReadonlyMembers<SchedTask> { return this.deps ?? NONE; }
  get dependents(): ReadonlyMembers<SchedTask> { return this.dependentSet ?? NONE; }
  /** Dependencies not in memory; non-empty exactly while waiting. */
  get waitingOn(): ReadonlyMembers<SchedTask> { return this.waitingSet ?? NONE; }
  /** Dependents that still need this result (waiting, queued or processing). */
  get waiters(): ReadonlyMembers<SchedTask> { return this.waiterSet ?? NONE; }
  get whoHas(): ReadonlyMembers<SchedWorker> { return this.holders ?? NONE; }
  /** Jobs holding this key as an output (until the client releases it). */
  get wantedBy(): ReadonlyMembers<Job> { return this.wanted ?? NONE; }

  /** Somebody needs this task's result: a running job, a dependent that has not finished, or a client holding it. */
  get needed(): boolean {
    return (this.jobSet?.size ?? 0) > 0 || (this.waiterSet?.size ?? 0) > 0 || (this.wanted?.size ?? 0) > 0;
  }

  get isRoot(): boolean {
    return this.deps === null || this.deps.size === 0;
  }

  /** Makes `dep` an input of this task (and this task a dependent of `dep`). */
  linkInput(dep: SchedTask): void {
    (this.deps ??= new Members()).add(dep);
    (dep.dependentSet ??= new Members()).add(this);
  }

  /** Called as this task is forgotten. */
  unlinkFromInput(dep: SchedTask): void {
    dep.dependentSet?.delete(this);
    dep.waiterSet?.delete(this);
  }

  waitOn(dep: SchedTask): void { (this.waitingSet ??= new Members()).add(dep); }
  /** True when `dep` was waited on and no longer is. */
  stopWaitingOn(dep: SchedTask): boolean { return this.waitingSet?.delete(dep) ?? false; }
  clearWaitingOn(): void { this.waitingSet?.clear(); }

  addWaiter(d: SchedTask): void { (this.waiterSet ??= new Members()).add(d); }
  removeWaiter(d: SchedTask): boolean { return this.waiterSet?.delete(d) ?? false; }

  addHolder(w: SchedWorker): void { (this.holders ??= new Members()).add(w); this.ids = null; }
  removeHolder(w: SchedWorker): boolean { this.ids = null; return this.holders?.delete(w) ?? false; }
  clearHolders(): void { this.holders?.clear(); this.ids = null; }

  /** The ids of the workers holding the result (one array, shared by every message until the holders change). */
  holderIds(): readonly string[] {
    if (this.ids === null) {
      const ids: string[] = [];
      for (const w of this.whoHas) ids.push(w.id);
      this.ids = ids;
    }
    return this.ids;
  }

  addWantedBy(job: Job): void { (this.wanted ??= new Members()).add(job); }
  removeWantedBy(job: Job): boolean { return this.wanted?.delete(job) ?? false; }
}

/**
 * The workers by what they can take, kept current by the workers themselves as their load changes, so the
 * scheduler finds a thief, a victim or a worker with room for a root task without scanning every worker.
 */
export class WorkerIndex {
  /** Workers with a thread that has nothing to run (counting tasks on their way to it by steals). */
  readonly idle = new Set<SchedWorker>();
  /**
   * Workers with more tasks than threads (all of them when paused), not counting ones already being stolen, and a
   * task worth stealing left.
   */
  readonly saturated = new Set<SchedWorker>();
  /** Workers not paused or draining with fewer than nthreads + their root slack tasks processing: candidates for root tasks. */
  readonly rootRoom = new Set<SchedWorker>();

  /** Workers filed so far (their ordinals). */
  arrivals = 0;

  constructor(readonly rootSlack: number) {}

  /** Whether `w` takes root tasks now: accepting work, with fewer than nthreads + its root slack tasks processing. */
  hasRootRoom(w: SchedWorker): boolean {
    return w.accepting && w.processing.size < w.nthreads + Math.max(this.rootSlack, w.rootSlack);
  }

  /**
   * Re-files `w` after its load, steals, pause or drain changed; a retired worker is dropped. A draining worker
   * is never idle nor has root room, and is saturated while it has a task that may be stolen away.
   */
  update(w: SchedWorker): void {
    const gone = w.retired;
    file(this.idle, w, !gone && w.idleSlots > 0);
    file(this.saturated, w, !gone && w.excess > 0 && w.stealable.size > w.outgoingSteals);
    file(this.rootRoom, w, !gone && this.hasRootRoom(w));
  }
}

function file(set: Set<SchedWorker>, w: SchedWorker, member: boolean): void {
  if (member) set.add(w);
  else set.delete(w);
}

export class SchedWorker {
  private readonly running = new Set<SchedTask>();
  private readonly movable = new Set<SchedTask>();
  /** Order of arrival among the scheduler's workers: ties in load go to the earlier one. */
  readonly ordinal: number;
  readonly hasWhat = new Set<SchedTask>();
  /** Sum of nbytes of hasWhat: bytes of results the scheduler knows this worker holds. */
  nbytes = 0;
  /** Bytes the worker last reported holding in memory (heartbeat). */
  memory = 0;
  /** Bytes the worker last reported holding only on disk (heartbeat). */
  spilled = 0;
  private pausedNow = false;
  private slack = 0;
  /** Estimated bytes of the results of root tasks processing here (see SchedulerCore.rootEstimate). */
  rootBytes = 0;
  /** It took the last root task given to it below its cap: it takes the next ones until full (SchedulerCore.rootWorker). */
  rootRun = false;
  private incoming = 0;
  private outgoing = 0;
  private gone = false;
  private drain: Retirement | null = null;
  /** Stimulus time of the last message from this worker. */
  lastSeen: number;

  constructor(readonly id: string, readonly nthreads: number, readonly memoryLimit: number, time: number, private readonly index: WorkerIndex) {
    this.lastSeen = time;
    this.ordinal = index.arrivals++;
    index.update(this);
  }

  /** Tasks sent to this worker and not finished. */
  get processing(): ReadonlySet<SchedTask> { return this.running; }
  /** Of those, the ones another worker could run for less than moving their inputs there costs (see stealing.ts). */
  get stealable(): ReadonlySet<SchedTask> { return this.movable; }
  addProcessing(t: SchedTask, stealable: boolean): void {
    this.running.add(t);
    if (stealable || this.drain !== null) this.movable.add(t);
    this.index.update(this);
  }
  removeProcessing(t: SchedTask): void {
    this.movable.delete(t);
    if (this.running.delete(t)) this.index.update(this);
  }
  /** `t` refused a steal (it had started): not a candidate any more. */
  pin(t: SchedTask): void { if (this.movable.delete(t)) this.index.update(this); }

  /** Root tasks this worker may have processing beyond its threads, when more than the scheduler's rootSlack (rootQueueMs). */
  get rootSlack(): number { return this.slack; }
  set rootSlack(n: number) { if (n !== this.slack) { this.slack = n; this.index.update(this); } }

  /** The worker last reported it stopped starting tasks (memory past its pause fraction). */
  get paused(): boolean { return this.pausedNow; }
  set paused(p: boolean) { if (p !== this.pausedNow) { this.pausedNow = p; this.index.update(this); } }

  /** Pending steal-requests that would move a task to this worker, and away from it. */
  get incomingSteals(): number { return this.incoming; }
  get outgoingSteals(): number { return this.outgoing; }
  adjustSteals(incoming: number, outgoing: number): void {
    this.incoming += incoming;
    this.outgoing += outgoing;
    this.index.update(this);
  }

  /** Set while the worker drains (retire-worker or worker-retiring): it gets no new tasks; its results move to peers. */
  get retiring(): Retirement | null { return this.drain; }
  /**
   * The worker starts draining (see drain.ts): out of the idle and root sets, and every task it has not started
   * becomes stealable, so idle peers take them (one that started is refused and pinned, and finishes here).
   */
  startRetiring(): Retirement {
    if (this.drain === null) {
      this.drain = new Retirement();
      for (const t of this.running) this.movable.add(t);
      this.index.update(this);
    }
    return this.drain;
  }

  /** May be given new tasks: neither paused nor draining. */
  get accepting(): boolean { return !this.pausedNow && this.drain === null; }

  /** Threads with nothing to run, counting tasks already on their way here by steals (none when paused or draining). */
  get idleSlots(): number { return this.accepting ? this.nthreads - this.running.size - this.incoming : 0; }
  /** Tasks beyond what the threads run (all of them when paused or draining), not counting ones already being stolen. */
  get excess(): number { return this.running.size - this.outgoing - (this.accepting ? this.nthreads : 0); }

  /** Tasks processing per thread. */
  get load(): number {
    return this.running.size / this.nthreads;
  }

  /** Less loaded than `other`, ties to the earlier worker. */
  lighterThan(other: SchedWorker): boolean {
    const a = this.load;
    const b = other.load;
    return a < b || (a === b && this.ordinal < other.ordinal);
  }

  /** The worker left: out of the index for good. */
  retire(): void {
    this.gone = true;
    this.index.update(this);
  }

  get retired(): boolean { return this.gone; }
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
  /**
   * How many tasks of this job have not reached memory yet: those whose `jobs` list it. A count and a list rather
   * than a set, so a 10^6-task job hashes nothing per task.
   */
  pending = 0;
  /** The tasks that were pending when the job took them (for release); emptied once none is pending. */
  tasks: SchedTask[] = [];
  readonly outputs: SchedTask[] = [];
  total = 0;
  lastProgressAt: number;

  constructor(readonly clientId: string, readonly jobId: string, readonly seq: number, time: number) {
    this.lastProgressAt = time;
  }

  get done(): number {
    return this.total - this.pending;
  }

  /** The tasks of this job that have not reached memory yet. */
  pendingTasks(): SchedTask[] {
    return this.tasks.filter((t) => t.jobs.has(this));
  }
}

/** Jobs are unique per client; this is their key in the scheduler's maps. */
export function jobKey(clientId: string, jobId: string): string {
  return `${clientId}\u0000${jobId}`;
}
