// A checkpoint of an idle scheduler (no task, no job): what the journal keeps when it is compacted, and its restore.
import { InternalError } from "@tessera/common";
import { SchedWorker } from "./entities.js";
import type { SchedulerCore } from "./core.js";

/** One worker as a checkpoint keeps it: everything that steers later decisions (an idle worker holds nothing). */
export interface WorkerCheckpoint {
  readonly id: string;
  readonly nthreads: number;
  readonly memoryLimit: number;
  readonly lastSeen: number;
  readonly memory: number;
  readonly spilled: number;
  readonly paused: boolean;
}

/**
 * The whole decision-relevant state of a scheduler with no task and no job, as plain data: restoring it into a new
 * state machine and feeding both the same stimuli gives the same messages (tested). Time and counters included;
 * task groups (result sizes and run times) belong to tasks, so an idle scheduler has none to keep.
 */
export interface Checkpoint {
  readonly time: number;
  readonly workers: readonly WorkerCheckpoint[];
  readonly clients: readonly string[];
  readonly runCounter: number;
  readonly jobSeq: number;
  readonly lastTick: number | null;
  readonly recomputed: number;
  readonly transitionCount: number;
}

/**
 * The checkpoint of `s`, or null when it is not idle (tasks, jobs, draining workers, or workers awaited after a restart). The queues hold only
 * stale entries then; they are dropped, so that `s` goes on exactly as a state restored from the checkpoint would.
 */
export function takeCheckpoint(s: SchedulerCore): Checkpoint | null {
  if (s.tasks.size > 0 || s.jobs.size > 0 || s.retiring.size > 0 || s.awaited.size > 0) return null;
  s.rootQueue.filter(() => false);
  s.noWorkerQueue.filter(() => false);
  return {
    time: s.time,
    workers: [...s.workers.values()].map((w) => ({
      id: w.id, nthreads: w.nthreads, memoryLimit: w.memoryLimit, lastSeen: w.lastSeen, memory: w.memory, spilled: w.spilled, paused: w.paused,
    })),
    clients: [...s.clients.keys()],
    runCounter: s.runCounter,
    jobSeq: s.jobSeq,
    lastTick: s.lastTick,
    recomputed: s.recomputed,
    transitionCount: s.transitionCount,
  };
}

/** Loads a checkpoint into a state machine that has not handled anything yet. */
export function restoreCheckpoint(s: SchedulerCore, c: Checkpoint): void {
  if (s.tasks.size > 0 || s.workers.size > 0 || s.clients.size > 0 || s.jobSeq > 0) {
    throw new InternalError("RESTORE_NOT_FRESH", "a checkpoint can only be restored into a new scheduler state");
  }
  s.time = c.time;
  for (const w of c.workers) {
    // Filed in the worker index in their order of arrival, so ties between them go the same way as before.
    const sw = new SchedWorker(w.id, w.nthreads, w.memoryLimit, w.lastSeen, s.index);
    sw.memory = w.memory;
    sw.spilled = w.spilled;
    sw.paused = w.paused;
    s.workers.set(w.id, sw);
  }
  for (const id of c.clients) s.clients.set(id, new Set());
  s.runCounter = c.runCounter;
  s.jobSeq = c.jobSeq;
  s.lastTick = c.lastTick;
  s.recomputed = c.recomputed;
  s.transitionCount = c.transitionCount;
}
