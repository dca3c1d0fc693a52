// The worker's data, its transition loop, and the two pumps: start fetches and start executions while capacity allows.
import { InternalError, assertNever } from "@tessera/common";
import { PriorityHeap, StoryLog, TransitionLookup } from "@tessera/protocol";
import type { Priority, WorkerToScheduler } from "@tessera/protocol";
import type { WorkerInstruction } from "./stimuli.js";
import { WTask } from "./worker-task.js";
import type { WorkerTaskStateName } from "./worker-task.js";

/** A transition moves `t` to its finish state, updating the core's sets; it may recommend others. */
export type WorkerTransitionFn = (w: WorkerCore, t: WTask) => void;

/** Transition functions keyed "from->to". */
export type WorkerTransitionTable = Readonly<Record<string, WorkerTransitionFn>>;

export interface WorkerStateOptions {
  readonly workerId: string;
  /** At most this many tasks execute at once. */
  readonly nthreads: number;
  /** At most this many gathers (one per peer) in flight. */
  readonly maxGathers?: number;
  /**
   * A gather asks a peer for at most this many bytes (by the scheduler's sizes; at least one key): the peer encodes
   * and sends a gather in one go, so hundreds of keys at once block both ends for seconds and double their memory.
   * Default 64 MiB.
   */
  readonly maxGatherBytes?: number;
  /** Check invariants after every stimulus and throw InternalError when one fails (tests). */
  readonly validate?: boolean;
  readonly storyCapacity?: number;
  /**
   * Tasks started ahead of a free thread: as many as run for this many ms per thread at the mean run time of recent
   * executions (execute-success's runMs), at most MAX_RUN_AHEAD_PER_THREAD per thread. They wait at the runner, which
   * hands short ones to a thread together, so a thread goes from one short task to the next without a round trip
   * through the main thread. Default 0: a task starts only on a free thread.
   */
  readonly runAheadMs?: number;
}

/** Most tasks per thread started ahead of a free thread (runAheadMs). */
export const MAX_RUN_AHEAD_PER_THREAD = 64;
/** Run times below this (ms) count as this when sizing the run-ahead. */
const MIN_RUN_MS = 0.001;
/** Weight of the newest run time in the running average. */
const NEWEST_RUN_WEIGHT = 0.2;

export class WorkerCore {
  readonly workerId: string;
  readonly nthreads: number;
  readonly maxGathers: number;
  readonly maxGatherBytes: number;
  readonly validate: boolean;
  readonly runAheadMs: number;
  /** Running average of the run times execute-success reported (ms), null before the first. */
  meanRunMs: number | null = null;
  readonly tasks = new Map<string, WTask>();
  readonly ready = new PriorityHeap<WTask>();
  readonly fetch = new Set<WTask>();
  /** Executing and cancelled tasks: each holds a thread, or waits at the runner for one (runAheadMs). */
  readonly executing = new Set<WTask>();
  /** Peer -> keys of the gather in flight from it. */
  readonly gathers = new Map<string, string[]>();
  readonly log: StoryLog;

  /** Memory is past the pause fraction: no task starts executing (fetches and everything else go on). */
  paused = false;
  /** A key entered fetch or a gather ended since gathers were last considered: only then can a new one start. */
  private gathersMayStart = false;
  stimulusId = "";
  time = 0;
  private out: WorkerInstruction[] = [];
  private freeData: string[] = [];

  /** `transitions` is the "from->to" table (transitions.ts), passed in so this file imports none of its functions. */
  private readonly transitions: TransitionLookup<WorkerTransitionFn>;

  constructor(options: WorkerStateOptions, transitions: WorkerTransitionTable) {
    this.transitions = new TransitionLookup(transitions);
    this.workerId = options.workerId;
    this.nthreads = Math.max(1, options.nthreads);
    this.maxGathers = options.maxGathers ?? 4;
    this.maxGatherBytes = options.maxGatherBytes ?? 64 * 1024 * 1024;
    this.validate = options.validate ?? false;
    this.runAheadMs = Math.max(0, options.runAheadMs ?? 0);
    this.log = new StoryLog(options.storyCapacity ?? 100_000);
  }

  begin(stimulusId: string, time: number): void {
    this.stimulusId = stimulusId;
    this.time = time;
    this.out = [];
    this.freeData = [];
  }

  end(): WorkerInstruction[] {
    this.ensureCommunicating();
    this.ensureComputing();
    if (this.freeData.length > 0) this.out.push({ op: "free-data", stimulusId: this.stimulusId, keys: this.freeData });
    const out = this.out;
    this.out = [];
    return out;
  }

  emit(instruction: WorkerInstruction): void {
    this.out.push(instruction);
  }

  send(msg: WorkerToScheduler): void {
    this.out.push({ op: "send", msg });
  }

  /** Batched: deleting data never has to precede anything else the stimulus does. */
  dropData(key: string): void {
    this.freeData.push(key);
  }

  getOrCreate(key: string, priority: Priority): WTask {
    let t = this.tasks.get(key);
    if (t === undefined) {
      t = new WTask(key, priority);
      this.tasks.set(key, t);
    }
    return t;
  }

  transition(t: WTask, to: WorkerTaskStateName): void {
    const from = t.state;
    if (from === to) return;
    const fn = this.transitions.get(from, to);
    if (fn === undefined) {
      throw new InternalError("BAD_TRANSITION", `worker ${this.workerId}: no transition ${from}->${to} for ${t.key}`, { key: t.key, stimulusId: this.stimulusId });
    }
    fn(this, t);
    this.log.record(t.key, from, t.state, this.stimulusId, this.time);
  }

  /** Drops a released task from the map once no local task refers to it. */
  forget(t: WTask): void {
    if (t.state === "released" && t.dependents.size === 0 && this.tasks.get(t.key) === t) this.tasks.delete(t.key);
  }

  /** `t` stops needing its inputs (it started, or was dropped): inputs nobody else needs are released. */
  unlinkInputs(t: WTask): void {
    for (const dep of t.unlinkInputs()) this.releaseIfUnneeded(dep);
  }

  /** Releases `t` if neither the scheduler nor a local task wants it; a running task is marked cancelled. */
  releaseIfUnneeded(t: WTask): void {
    if (t.needed) return;
    switch (t.state) {
      case "memory":
      case "fetch":
      case "waiting":
      case "ready":
        this.transition(t, "released");
        break;
      case "executing":
        this.transition(t, "cancelled");
        break;
      case "released":
        this.forget(t);
        break;
      case "flight":
      case "cancelled":
        break; // decided when the fetch or the execution ends
      default:
        assertNever(t.state, "worker task state");
    }
  }

  /** A key entered fetch, or a gather ended: ensureCommunicating looks at the fetch set again. */
  gathersChanged(): void {
    this.gathersMayStart = true;
  }

  /**
   * Starts gathers: fetch tasks grouped by peer, at most one gather per peer and maxGathers in all, each of at most
   * maxGatherBytes (the rest wait for the next gather from that peer). Runs only after gathersChanged(): otherwise
   * every fetch task still waits for a peer already being gathered from, and looking again would cost a pass over
   * them per stimulus.
   */
  private ensureCommunicating(): void {
    if (!this.gathersMayStart) return;
    this.gathersMayStart = false;
    if (this.fetch.size === 0) return;
    const batches = new Map<string, WTask[]>();
    const sizes = new Map<string, number>();
    for (const t of this.fetch) {
      let peer = t.whoHas.find((p) => batches.has(p) && (sizes.get(p) as number) + t.nbytes <= this.maxGatherBytes);
      if (peer === undefined) {
        if (this.gathers.size + batches.size >= this.maxGathers) continue;
        peer = t.whoHas.find((p) => !this.gathers.has(p) && !batches.has(p));
        if (peer === undefined) continue;
        batches.set(peer, []);
        sizes.set(peer, 0);
      }
      (batches.get(peer) as WTask[]).push(t);
      sizes.set(peer, (sizes.get(peer) as number) + t.nbytes);
    }
    for (const [peer, ts] of batches) {
      const keys = ts.map((t) => t.key);
      this.gathers.set(peer, keys);
      for (const t of ts) {
        t.flightFrom = peer;
        this.transition(t, "flight");
      }
      this.emit({ op: "gather-dep", stimulusId: this.stimulusId, from: peer, keys });
    }
  }

  /** Tasks ready to run, waiting for a thread. */
  readyCount(): number {
    let n = 0;
    for (const t of this.tasks.values()) if (t.state === "ready") n++;
    return n;
  }

  /** Records how long an execution ran (ms), for the run-ahead. */
  recordRun(ms: number): void {
    if (!(ms >= 0)) return;
    const m = this.meanRunMs;
    this.meanRunMs = m === null ? ms : m + NEWEST_RUN_WEIGHT * (ms - m);
  }

  /** Tasks that may execute at once: one per thread, plus the run-ahead while recent tasks ran short. */
  executionSlots(): number {
    if (this.runAheadMs === 0 || this.meanRunMs === null) return this.nthreads;
    const ahead = Math.min(MAX_RUN_AHEAD_PER_THREAD, Math.floor(this.runAheadMs / Math.max(this.meanRunMs, MIN_RUN_MS)));
    return this.nthreads * (1 + ahead);
  }

  /** Starts ready tasks, highest priority first, while execution slots are free and the worker is not paused. */
  private ensureComputing(): void {
    if (this.paused) return;
    const slots = this.executionSlots();
    while (this.executing.size < slots) {
      const t = this.ready.pop();
      if (t === undefined) return;
      if (t.state !== "ready") continue;
      this.transition(t, "executing");
    }
  }
}
