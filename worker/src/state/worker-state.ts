// The pure worker: handle(stimulus) -> instructions. No I/O: the shell executes, fetches, stores and sends.
import { assertNever } from "@tessera/common";
import type { HeldKey, StoryEntry } from "@tessera/protocol";
import { WorkerCore } from "./worker-core.js";
import type { WorkerStateOptions } from "./worker-core.js";
import { computeTask, executeFailure, executeSuccess, freeKeys, gatherDepFailure, gatherDepSuccess, memoryState, stealRequest } from "./handlers.js";
import { acquireReplicas, heldResults, schedulerLost } from "./handlers-cluster.js";
import type { SchedulerToWorker } from "@tessera/protocol";
import type { WorkerEvent, WorkerInstruction, WorkerStimulus } from "./stimuli.js";
import type { WorkerTaskStateName } from "./worker-task.js";
import { WORKER_TRANSITIONS } from "./transitions.js";
import { validateWorker } from "./validate.js";

/**
 * The worker state machine. Invariants (checked in validate mode): at most nthreads tasks execute (more only with
 * runAheadMs, while recent tasks ran short); a ready
 * task's inputs are all in memory here; a key is kept exactly while the scheduler wants it here or a local
 * task that has not started needs it; at most one gather per peer is in flight.
 */
export class WorkerState {
  private readonly w: WorkerCore;

  constructor(options: WorkerStateOptions) {
    this.w = new WorkerCore(options, WORKER_TRANSITIONS);
  }

  get workerId(): string {
    return this.w.workerId;
  }

  get nthreads(): number {
    return this.w.nthreads;
  }

  handle(stimulus: WorkerStimulus): WorkerInstruction[] {
    return this.handleAt(stimulus, stimulus.time);
  }

  /** `handle` for a message and the time it was observed, without building the stimulus object (one per task). */
  handleAt(stimulus: SchedulerToWorker | WorkerEvent, time: number): WorkerInstruction[] {
    const w = this.w;
    w.begin(stimulus.stimulusId, time);
    switch (stimulus.op) {
      case "compute-task": computeTask(w, stimulus); break;
      case "free-keys": freeKeys(w, stimulus); break;
      case "execute-success": executeSuccess(w, stimulus); break;
      case "execute-failure": executeFailure(w, stimulus); break;
      case "gather-dep-success": gatherDepSuccess(w, stimulus); break;
      case "gather-dep-failure": gatherDepFailure(w, stimulus); break;
      case "steal-request": stealRequest(w, stimulus); break;
      case "memory-state": memoryState(w, stimulus); break;
      case "acquire-replicas": acquireReplicas(w, stimulus); break;
      case "scheduler-lost": schedulerLost(w, stimulus); break;
      case "rejoin": schedulerLost(w, { op: "scheduler-lost", stimulusId: stimulus.stimulusId, keepData: false }); break;
      case "close-worker": break; // the shell closes; nothing is assigned any more
      default: assertNever(stimulus, "worker stimulus");
    }
    const out = w.end();
    if (w.validate) validateWorker(w);
    return out;
  }

  story(...keys: string[]): StoryEntry[] {
    return this.w.log.story(...keys);
  }

  taskState(key: string): WorkerTaskStateName | "forgotten" {
    return this.w.tasks.get(key)?.state ?? "forgotten";
  }

  /** Tasks holding a thread (executing or cancelled). */
  get executingCount(): number {
    return this.w.executing.size;
  }

  /** Tasks ready to run, waiting for a thread. */
  get readyCount(): number {
    return this.w.readyCount();
  }

  /** Whether the worker stopped starting tasks (memory past its pause fraction). */
  get paused(): boolean {
    return this.w.paused;
  }

  get taskCount(): number {
    return this.w.tasks.size;
  }

  /** Results held here (what a worker reports when it rejoins a scheduler). */
  heldResults(): HeldKey[] {
    return heldResults(this.w);
  }

  validate(): void {
    validateWorker(this.w);
  }
}
