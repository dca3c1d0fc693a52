// The scheduler's data and its recommendation loop: transitions run one at a time through the "from->to" table.
import { InternalError } from "@tessera/common";
import type { ErrorInfo } from "@tessera/common";
import { PriorityHeap, StoryLog, TransitionLookup, comparePriority } from "@tessera/protocol";
import { WorkerIndex } from "./entities.js";
import type { Job, SchedTask, SchedWorker, TaskStateName, TransitionArg } from "./entities.js";
import type { DepLocation, SchedulerMessage } from "@tessera/protocol";

export interface SchedulerOptions {
  /** Check every invariant after every stimulus and throw InternalError when one fails (tests). */
  readonly validate?: boolean;
  /** A worker takes new root tasks while it has fewer than nthreads + rootSlack tasks processing. Infinity disables queueing. */
  readonly rootSlack?: number;
  /**
   * Root tasks of groups that run fast get more slack: enough that a worker's threads stay busy for this many ms (by
   * the group's mean run time) while its results travel to the scheduler and new tasks come back, up to
   * MAX_ROOT_SLACK_PER_THREAD per thread. Default 2; 0 keeps the slack at rootSlack.
   */
  readonly rootQueueMs?: number;
  /** A task fails with TASK_KILLED_WORKERS once this many workers died while it was processing on them. */
  readonly maxWorkerDeaths?: number;
  /** At most one job-progress message per job per this many ms (stimulus time). */
  readonly progressIntervalMs?: number;
  /** Transitions kept for story(). */
  readonly storyCapacity?: number;
  /**
   * Second admission rule for root tasks: a worker takes one while the estimated bytes of its processing root
   * tasks' results, plus this one's, fit in this fraction of its memory limit (one is always admitted).
   * Default 0.5; Infinity disables.
   */
  readonly rootBytesFraction?: number;
  /** Move queued-but-not-started tasks from saturated workers to idle ones (default true). */
  readonly stealing?: boolean;
  /** A worker not heard from for this long (checked on tick stimuli) is removed as dead. Default 10,000 ms. */
  readonly workerTimeoutMs?: number;
  /**
   * After a restart, nothing is sent to workers until every worker of the previous process has rejoined (reporting
   * the results it holds) or this long has passed (checked on ticks): what a slower worker holds is not recomputed
   * by a faster one. Default 10,000 ms.
   */
  readonly rejoinGraceMs?: number;
  /**
   * The rate (bytes per ms) at which a worker is assumed to fetch inputs from another: placement weighs it against
   * queues, and a task is stolen only when fetching the inputs its worker holds takes less than the task is expected
   * to run. Default 100,000 (100 MB/s).
   */
  readonly transferBytesPerMs?: number;
}

/** Inputs up to this many bytes never keep a task from being stolen. */
export const STEAL_FREE_BYTES = 1 << 16;
/** What fetching one input from another worker costs beyond its bytes (ms), when placing a task. */
export const FETCH_LATENCY_MS = 1;
/** The run time assumed for a task whose group has no finished task yet (ms), when placing it. */
export const UNKNOWN_TASK_MS = 1;
/** Most root tasks per thread a worker is given ahead (rootQueueMs), however fast their group runs. */
export const MAX_ROOT_SLACK_PER_THREAD = 256;
/** Run times below this (ms; workers report whole milliseconds) count as this when sizing a worker's root slack. */
const MIN_ROOT_TASK_MS = 0.005;

export type { TransitionArg } from "./entities.js";

/** A transition changes `t.state` (usually to the finish state of its key) and may recommend others. */
export type TransitionFn = (s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined) => void;

/** Transition functions keyed "from->to"; pairs not listed are reached through "released" (see transition()). */
export type TransitionTable = Readonly<Record<string, TransitionFn>>;

export class SchedulerCore {
  readonly tasks = new Map<string, SchedTask>();
  readonly workers = new Map<string, SchedWorker>();
  /** The workers by what they can take (idle threads, too many tasks, room for a root task). */
  readonly index: WorkerIndex;
  readonly jobs = new Map<string, Job>();
  readonly clients = new Map<string, Set<Job>>();
  /** Ready root tasks waiting for a worker with a free slot. */
  readonly rootQueue = new PriorityHeap<SchedTask>();
  /** Ready tasks that arrived while no worker could take them (none connected, or all draining). */
  readonly noWorkerQueue = new PriorityHeap<SchedTask>();
  readonly log: StoryLog;
  readonly validate: boolean;
  readonly rootSlack: number;
  readonly rootQueueMs: number;
  readonly maxWorkerDeaths: number;
  readonly progressIntervalMs: number;
  readonly rootBytesFraction: number;
  readonly stealing: boolean;
  readonly workerTimeoutMs: number;
  readonly rejoinGraceMs: number;
  /** After a restart: workers of the previous process not back yet, and until when (stimulus time) they are waited for. */
  readonly awaited = new Set<string>();
  awaitUntil = 0;
  readonly transferBytesPerMs: number;
  /** Stimulus time of the previous tick, to tell a stalled scheduler from silent workers. */
  lastTick: number | null = null;
  runCounter = 0;
  jobSeq = 0;
  /** Workers draining (see drain.ts); never chosen for a task. */
  readonly retiring = new Set<SchedWorker>();
  /** Tasks sent to a worker again after their result had been held once (lost results computed again from lineage). */
  recomputed = 0;
  /** Task state changes since the scheduler started (every transition that changed a state). */
  transitionCount = 0;

  stimulusId = "";
  time = 0;
  private out: SchedulerMessage[] = [];
  /**
   * For observers of a stimulus's effects (the dashboard), reset as each stimulus begins: the tasks behind its
   * compute-task messages in their order, and the tasks of the graph it took in by graph position.
   */
  readonly sentTasks: SchedTask[] = [];
  intakeTasks: readonly (SchedTask | undefined)[] | null = null;
  /** The task whose current run a task-finished or task-erred reported on (null: none, or a late reply). */
  reported: SchedTask | null = null;
  private readonly pendingFree = new Map<SchedWorker, string[]>();
  /** Tasks with a pending recommendation (held on the task: recTo, recArg), in first-recommended order. */
  private recOrder: SchedTask[] = [];
  private readonly jobsToRelease: Job[] = [];
  private releaseJobFn: ((job: Job) => void) | null = null;
  private balanceFn: ((s: SchedulerCore) => void) | null = null;

  /** `transitions` is the "from->to" table (transitions.ts), passed in so this file imports none of its functions. */
  private readonly transitions: TransitionLookup<TransitionFn>;

  constructor(options: SchedulerOptions, transitions: TransitionTable) {
    this.transitions = new TransitionLookup(transitions);
    this.validate = options.validate ?? false;
    this.rootSlack = options.rootSlack ?? 1;
    this.rootQueueMs = options.rootQueueMs ?? 2;
    this.index = new WorkerIndex(this.rootSlack);
    this.maxWorkerDeaths = options.maxWorkerDeaths ?? 3;
    this.progressIntervalMs = options.progressIntervalMs ?? 100;
    this.rootBytesFraction = options.rootBytesFraction ?? 0.5;
    this.stealing = options.stealing ?? true;
    this.workerTimeoutMs = options.workerTimeoutMs ?? 10_000;
    this.rejoinGraceMs = options.rejoinGraceMs ?? 10_000;
    this.transferBytesPerMs = options.transferBytesPerMs ?? 100_000;
    this.log = new StoryLog(options.storyCapacity ?? 100_000);
  }

  /** Installs how a failed job is released (jobs.ts), deferred until the error cascade has settled. */
  setJobReleaser(fn: (job: Job) => void): void {
    this.releaseJobFn = fn;
  }

  begin(stimulusId: string, time: number): void {
    this.stimulusId = stimulusId;
    this.time = time;
    this.out = [];
    this.sentTasks.length = 0;
    this.intakeTasks = null;
    this.reported = null;
  }

  /** Flushes batched free-keys (per worker, in order) and returns the stimulus's messages. */
  end(): SchedulerMessage[] {
    for (const w of [...this.pendingFree.keys()]) this.flushFree(w);
    const out = this.out;
    this.out = [];
    return out;
  }

  send(msg: SchedulerMessage): void {
    if (msg.op === "compute-task") {
      const w = this.workers.get(msg.workerId);
      if (w !== undefined) this.flushFree(w);
    }
    this.out.push(msg);
  }

  /** Tells worker `w` to drop `key`; batched per worker and flushed before any later compute-task to it. */
  free(w: SchedWorker, key: string): void {
    const keys = this.pendingFree.get(w);
    if (keys === undefined) this.pendingFree.set(w, [key]);
    else keys.push(key);
  }

  private flushFree(w: SchedWorker): void {
    const keys = this.pendingFree.get(w);
    if (keys === undefined) return;
    this.pendingFree.delete(w);
    if (this.workers.get(w.id) === w) this.out.push({ op: "free-keys", stimulusId: this.stimulusId, workerId: w.id, keys });
  }

  recommend(t: SchedTask, to: TaskStateName, arg?: TransitionArg): void {
    if (t.recTo === null) this.recOrder.push(t);
    t.recTo = to;
    t.recArg = arg;
  }

  /** Releases `t` if nobody needs it; a released task is forgotten once it has no dependents either. */
  releaseIfUnneeded(t: SchedTask): void {
    if (t.needed) return;
    if (t.state === "released") {
      // Also overrides a pending recommendation to recompute it, made while it was still needed.
      if (t.dependents.size === 0) this.recommend(t, "forgotten");
      else t.recTo = null;
    } else if (t.state !== "forgotten") {
      this.recommend(t, "released");
    }
  }

  /** Installs work stealing (stealing.ts), run once the queues are drained at the end of every stimulus. */
  setBalancer(fn: (s: SchedulerCore) => void): void {
    this.balanceFn = fn;
  }

  deferJobRelease(job: Job): void {
    this.jobsToRelease.push(job);
  }

  /** Runs recommendations until none are left, then fills free worker slots from the queues. */
  run(): void {
    for (;;) {
      // An array cursor, not map.entries().next(): V8 maps scan deleted slots from the front, making that O(n^2).
      for (let i = 0; i < this.recOrder.length; i++) {
        const t = this.recOrder[i] as SchedTask;
        const to = t.recTo;
        if (to === null) continue;
        const arg = t.recArg;
        t.recTo = null;
        t.recArg = undefined;
        this.transition(t, to, arg);
      }
      this.recOrder = [];
      const job = this.jobsToRelease.shift();
      if (job !== undefined) {
        this.releaseJobFn?.(job);
        continue;
      }
      if (this.drainQueues()) continue;
      if (this.stealing) this.balanceFn?.(this);
      return;
    }
  }

  /** Runs one transition; a pair missing from the table goes through "released". */
  transition(t: SchedTask, to: TaskStateName, arg?: TransitionArg): void {
    const from = t.state;
    if (from === to) return;
    const fn = this.transitions.get(from, to);
    if (fn !== undefined) {
      fn(this, t, arg);
      if (t.state !== from) {
        this.transitionCount++;
        this.log.record(t.key, from, t.state, this.stimulusId, this.time);
      }
      return;
    }
    if (from !== "released" && to !== "released" && this.transitions.get("released", to) !== undefined) {
      this.transition(t, "released");
      if (t.state === "released") this.transition(t, to, arg);
      return;
    }
    throw new InternalError("BAD_TRANSITION", `no transition ${from}->${to} for task ${t.key}`, { key: t.key, stimulusId: this.stimulusId });
  }

  /** Workers that may be given tasks (connected and not draining); none while waiting for workers to rejoin. */
  get placeable(): number {
    return this.awaited.size > 0 ? 0 : this.workers.size - this.retiring.size;
  }

  enqueue(t: SchedTask): void {
    (t.isRoot && this.placeable > 0 ? this.rootQueue : this.noWorkerQueue).push(t);
  }

  /** Assigns queued tasks while workers have room; returns whether it recommended anything. */
  private drainQueues(): boolean {
    // Nothing starts while every worker drains, or while the previous process's workers are awaited.
    if (this.placeable === 0) return false;
    let moved = false;
    for (let t = this.noWorkerQueue.pop(); t !== undefined; t = this.noWorkerQueue.pop()) {
      if (t.state !== "queued") continue;
      this.recommend(t, "processing");
      moved = true;
    }
    if (moved) return true;
    for (;;) {
      const t = peekQueued(this.rootQueue);
      if (t === undefined) return moved;
      const w = this.rootWorker(t);
      if (w === undefined) return moved;
      this.rootQueue.pop();
      this.transition(t, "processing", { kind: "assign", worker: w });
      moved = true;
    }
  }

  /**
   * Where a ready task should run, or undefined to queue it. Root tasks go to the least loaded worker with a
   * free slot (and wait behind queued tasks of higher priority); others to the worker where they would start
   * soonest: the inputs it lacks fetched, then its queue per thread (the worker holding the most input bytes
   * unless it is far busier), an idle worker being considered too.
   */
  decideWorker(t: SchedTask): SchedWorker | undefined {
    if (this.placeable === 0) return undefined;
    if (t.isRoot) {
      const head = peekQueued(this.rootQueue);
      if (head !== undefined && head !== t && comparePriority(head.priority, t.priority) < 0) return undefined;
      return this.rootWorker(t);
    }
    // Expected start on w: fetching the inputs w lacks (a latency per input, bytes at transferBytesPerMs), then
    // waiting behind its tasks per thread (each as long as this task's group runs). Before any task of the group has
    // finished, a task gathering several inputs (a merge after a shuffle) is assumed to run at least as long as
    // fetching them all would take: the merges of a stage, ready together, then spread over the workers instead of
    // all queueing where a few more of their bytes are (and none is stealable until the group's time is known). A
    // task of one input (a pick of a split) is assumed cheap, and stays with its input.
    let total = 0;
    let inputs = 0;
    for (const dep of t.dependencies) { total += dep.nbytes; inputs++; }
    const runMs = this.expectedMs(t) ?? (inputs > 1 ? Math.max(UNKNOWN_TASK_MS, total / this.transferBytesPerMs) : UNKNOWN_TASK_MS);
    const cost = (w: SchedWorker, held: number, heldInputs: number): number =>
      (total - held) / this.transferBytesPerMs + (inputs - heldInputs) * FETCH_LATENCY_MS + w.load * runMs;
    let best: SchedWorker | undefined;
    let bestCost = Infinity;
    const consider = (w: SchedWorker, held: number, heldInputs: number): void => {
      if (!w.accepting) return;
      const c = cost(w, held, heldInputs);
      if (c < bestCost || (c === bestCost && best !== undefined && w.lighterThan(best))) { best = w; bestCost = c; }
    };
    const single = inputs === 1 ? (t.dependencies[Symbol.iterator]().next().value as SchedTask) : null;
    if (single !== null) {
      // One input (the common case): its holders are the candidates.
      for (const w of single.whoHas) consider(w, single.nbytes, 1);
    } else {
      const held = new Map<SchedWorker, number>();
      const heldInputs = new Map<SchedWorker, number>();
      for (const dep of t.dependencies) {
        for (const w of dep.whoHas) {
          held.set(w, (held.get(w) ?? 0) + dep.nbytes);
          heldInputs.set(w, (heldInputs.get(w) ?? 0) + 1);
        }
      }
      for (const [w, bytes] of held) consider(w, bytes, heldInputs.get(w) as number);
    }
    for (const w of this.index.idle) {
      if (single === null || !single.whoHas.has(w)) consider(w, 0, 0);
      break;
    }
    return best ?? this.leastLoaded(() => true);
  }

  /**
   * The worker to take root task `t`, among those with room under both rules: fewer than rootCap tasks processing
   * (nthreads + rootSlack, or more for a group that runs fast, see rootSlackFor), and room for `t`'s estimated bytes in
   * its root-bytes budget (rootBytesFraction of its memory). In order of preference:
   * 1. a worker with a thread that has nothing to run (the least loaded), so no thread idles while tasks queue;
   * 2. a worker in a run: it took the previous root tasks and is not full yet;
   * 3. a worker down to its low water, half its slack (the least loaded): it starts a run.
   * A worker past its low water and not in a run takes none. Consecutive root tasks (siblings feeding the same
   * dependents, in graph order) so land together in runs of about half the slack, where alternating workers one task
   * at a time would split every group and send half its results between workers. With the slack at one task, a worker
   * takes one as its slot frees, as before.
   */
  private rootWorker(t: SchedTask): SchedWorker | undefined {
    const bytes = this.rootEstimate(t);
    let best: SchedWorker | undefined;
    let bestRank = -1;
    for (const w of this.index.rootRoom) {
      const n = w.processing.size;
      const cap = this.rootCap(t, w);
      if (n >= cap) continue;
      if (w.rootBytes !== 0 && w.rootBytes + bytes > this.rootBytesFraction * w.memoryLimit) continue;
      const rank = n < w.nthreads ? 2 : w.rootRun ? 1 : n <= w.nthreads + ((cap - w.nthreads) >> 1) ? 0 : -1;
      if (rank < 0) continue;
      if (rank > bestRank || (rank === bestRank && w.lighterThan(best as SchedWorker))) {
        best = w;
        bestRank = rank;
      }
    }
    return best;
  }

  /**
   * How many tasks `w` may have processing when it takes root task `t`: nthreads + rootSlack, or + rootSlackFor(t, w)
   * when `w` is filed with a larger slack (the index files it by the slack of the group that last finished there;
   * `t`'s own group decides).
   */
  rootCap(t: SchedTask, w: SchedWorker): number {
    return w.nthreads + (w.rootSlack > this.rootSlack ? this.rootSlackFor(t, w) : this.rootSlack);
  }

  /** Expected bytes of root task `t`'s result: its spec's hint, else the mean of its group's finished ones, else 0. */
  rootEstimate(t: SchedTask): number {
    if (t.nbytesHint !== undefined) return t.nbytesHint;
    const g = t.group;
    return g.results === 0 ? 0 : Math.round(g.resultBytes / g.results);
  }

  /** Records a finished root task's result size for its group (same job, same label). */
  recordRootSize(t: SchedTask): void {
    t.group.resultBytes += t.nbytes;
    t.group.results++;
  }

  /** Records how long a task ran (worker-reported), for its group's expected run time. */
  recordDuration(t: SchedTask, ms: number): void {
    if (!(ms >= 0)) return;
    t.group.runMs += ms;
    t.group.runs++;
    if (t.isRoot && t.processingOn !== null) t.processingOn.rootSlack = this.rootSlackFor(t, t.processingOn);
  }

  /**
   * The root slack of `w` for tasks of `t`'s group: rootSlack, or as many tasks as keep its threads busy for
   * rootQueueMs at the group's mean run time (so a round trip to the scheduler leaves no thread idle), at most
   * MAX_ROOT_SLACK_PER_THREAD per thread. A group with no finished task yet, or whose tasks run for rootQueueMs or
   * longer, gets rootSlack.
   */
  rootSlackFor(t: SchedTask, w: SchedWorker): number {
    const ms = this.expectedMs(t);
    if (ms === undefined || this.rootQueueMs <= 0) return this.rootSlack;
    const perThread = Math.min(MAX_ROOT_SLACK_PER_THREAD, Math.floor(this.rootQueueMs / Math.max(ms, MIN_ROOT_TASK_MS)));
    return Math.max(this.rootSlack, perThread * w.nthreads);
  }

  /**
   * Whether another worker could take `t` from `w` at a profit: the inputs `w` holds are small, or fetching them
   * (at transferBytesPerMs) takes less than tasks of its group have run on average. Unknown run times count as 0.
   */
  stealable(t: SchedTask, w: SchedWorker): boolean {
    if (!this.stealing) return false;
    let held = 0;
    for (const dep of t.dependencies) if (dep.whoHas.has(w)) held += dep.nbytes;
    if (held <= STEAL_FREE_BYTES) return true;
    const ms = this.expectedMs(t);
    return ms !== undefined && held <= this.transferBytesPerMs * ms;
  }

  /** Mean run time of the finished tasks of `t`'s group, or undefined before one finished. */
  expectedMs(t: SchedTask): number | undefined {
    const g = t.group;
    return g.runs === 0 ? undefined : g.runMs / g.runs;
  }

  private leastLoaded(eligible: (w: SchedWorker) => boolean): SchedWorker | undefined {
    let best: SchedWorker | undefined;
    for (const w of this.workers.values()) {
      if (w.retiring === null && eligible(w) && (best === undefined || w.load < best.load)) best = w;
    }
    return best;
  }

  depLocations(t: SchedTask): DepLocation[] {
    return t.inputs.map((key) => {
      const dep = this.tasks.get(key);
      if (dep === undefined) throw new InternalError("MISSING_DEPENDENCY", `task ${t.key} depends on unknown ${key}`);
      return { key, whoHas: dep.holderIds(), nbytes: dep.nbytes };
    });
  }
}

/** The highest-priority task of a heap that is still queued, dropping stale entries on the way. */
function peekQueued(heap: PriorityHeap<SchedTask>): SchedTask | undefined {
  for (let t = heap.peek(); t !== undefined; t = heap.peek()) {
    if (t.state === "queued") return t;
    heap.pop();
  }
  return undefined;
}
