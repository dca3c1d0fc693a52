// The pure scheduler: handle(stimulus) -> messages. No I/O, no timers, no clock: time arrives on each stimulus.
import { assertNever } from "@tessera/common";
import type { StoryEntry } from "@tessera/protocol";
import { SchedulerCore } from "./core.js";
import type { SchedulerOptions } from "./core.js";
import type { TaskStateName } from "./entities.js";
import { clientConnected, clientDisconnected, graphSubmitted, releaseKeys } from "./handlers-client.js";
import { missingData, taskErred, taskFinished, tick, workerAdded, workerHeartbeat, workerRemoved, workerSeen } from "./handlers-worker.js";
import { balance, stealResponse } from "./stealing.js";
import { releaseJob } from "./jobs.js";
import { adoptHeld, checkRejoined, resubscribe, schedulerRestarted } from "./handlers-resume.js";
import { addKeys, drainStep, retireWorker, workerRetiring } from "./drain.js";
import { restoreCheckpoint, takeCheckpoint } from "./checkpoint.js";
import type { Checkpoint } from "./checkpoint.js";
import type { SchedulerMessage, SchedulerStimulus, ToScheduler } from "@tessera/protocol";
import { TRANSITIONS } from "./transitions.js";
import { validateState } from "./validate.js";

/** A read-only view of one worker, for shells, dashboards and tests. */
export interface WorkerView {
  readonly id: string;
  readonly nthreads: number;
  readonly processing: readonly string[];
  readonly holds: readonly string[];
  readonly nbytes: number;
  readonly memoryLimit: number;
  /** Bytes in memory and spilled to disk, as last reported by the worker's heartbeat. */
  readonly memory: number;
  readonly spilled: number;
  readonly paused: boolean;
  /** Estimated bytes of the results of root tasks processing there (root admission by bytes). */
  readonly rootBytes: number;
  /** Stimulus time of the last message from the worker. */
  readonly lastSeen: number;
}

/** A task as an observer of the state machine sees it (SchedTask structurally). */
export interface ObservedTask {
  readonly key: string;
  /** The observer's slot: the state machine never reads or writes it. */
  view: unknown;
}

/**
 * The scheduler state machine. Feed it every event as a stimulus; send the returned messages.
 * Invariant (checked in validate mode): every processing task is on exactly one live worker, every memory task
 * has a live holder, and a task is kept exactly while a job, a client or an unfinished dependent needs it
 * (or, released, as lineage of a task that is kept).
 */
export class SchedulerState {
  private readonly s: SchedulerCore;

  constructor(options: SchedulerOptions = {}) {
    this.s = new SchedulerCore(options, TRANSITIONS);
    this.s.setJobReleaser((job) => releaseJob(this.s, job));
    this.s.setBalancer(balance);
  }

  handle(stimulus: SchedulerStimulus): SchedulerMessage[] {
    return this.handleAt(stimulus, stimulus.time);
  }

  /** handle() of a message and the time it arrived, without copying them into one stimulus object. */
  handleAt(stimulus: ToScheduler, time: number): SchedulerMessage[] {
    const s = this.s;
    s.begin(stimulus.stimulusId, time);
    switch (stimulus.op) {
      case "client-connected": clientConnected(s, stimulus); break;
      case "client-disconnected": clientDisconnected(s, stimulus); break;
      case "graph-submitted": graphSubmitted(s, stimulus); break;
      case "release-keys": releaseKeys(s, stimulus); break;
      case "resubscribe": resubscribe(s, stimulus); break;
      case "retire-worker": retireWorker(s, stimulus); break;
      case "worker-added": workerAdded(s, stimulus); adoptHeld(s, stimulus.workerId, stimulus.held ?? []); checkRejoined(s, stimulus.workerId); break;
      case "worker-removed": workerRemoved(s, stimulus); break;
      case "scheduler-restarted": schedulerRestarted(s); break;
      case "tick": tick(s); checkRejoined(s); break;
      case "task-finished": workerSeen(s, stimulus.workerId); taskFinished(s, stimulus); break;
      case "task-erred": workerSeen(s, stimulus.workerId); taskErred(s, stimulus); break;
      case "missing-data": workerSeen(s, stimulus.workerId); missingData(s, stimulus); break;
      case "worker-heartbeat": workerSeen(s, stimulus.workerId); workerHeartbeat(s, stimulus); break;
      case "steal-response": workerSeen(s, stimulus.workerId); stealResponse(s, stimulus); break;
      case "worker-retiring": workerSeen(s, stimulus.workerId); workerRetiring(s, stimulus); break;
      case "add-keys": workerSeen(s, stimulus.workerId); addKeys(s, stimulus); break;
      default: assertNever(stimulus, "scheduler stimulus");
    }
    s.run();
    if (s.retiring.size > 0) {
      drainStep(s);
      s.run();
    }
    const out = s.end();
    if (s.validate) validateState(s);
    return out;
  }

  /** The recorded transitions of these keys, oldest first: [key, start, finish, stimulusId, time]. */
  story(...keys: string[]): StoryEntry[] {
    return this.s.log.story(...keys);
  }

  /** Every retained transition, oldest first (a replayed journal's full history). */
  transitions(): StoryEntry[] {
    return this.s.log.all();
  }

  /** Transitions caused by one stimulus. */
  storyOfStimulus(stimulusId: string): StoryEntry[] {
    return this.s.log.byStimulus(stimulusId);
  }

  /** `key`'s task as an observer sees it (its slot, SchedTask.view), or undefined for a key the state machine does not have. */
  taskSlot(key: string): ObservedTask | undefined {
    return this.s.tasks.get(key);
  }

  /** The tasks behind the last handled stimulus's compute-task messages, in their order. */
  sentSlots(): readonly ObservedTask[] {
    return this.s.sentTasks;
  }

  /** The task whose current run the last handled task-finished or task-erred reported on; null for a late reply. */
  reportedSlot(): ObservedTask | null {
    return this.s.reported;
  }

  /** When the last handled stimulus took in a graph: its tasks by graph position (undefined: a task not needed). */
  intakeSlots(): readonly (ObservedTask | undefined)[] | null {
    return this.s.intakeTasks;
  }

  taskState(key: string): TaskStateName {
    return this.s.tasks.get(key)?.state ?? "forgotten";
  }

  whoHas(key: string): string[] {
    return [...(this.s.tasks.get(key)?.whoHas ?? [])].map((w) => w.id);
  }

  /** How many tasks are in each state (forgotten ones are not counted). */
  counts(): Record<TaskStateName, number> {
    const c: Record<TaskStateName, number> = { released: 0, waiting: 0, queued: 0, processing: 0, memory: 0, erred: 0, forgotten: 0 };
    for (const t of this.s.tasks.values()) c[t.state]++;
    return c;
  }

  workers(): WorkerView[] {
    return [...this.s.workers.values()].map((w) => ({
      id: w.id,
      nthreads: w.nthreads,
      processing: [...w.processing].map((t) => t.key),
      holds: [...w.hasWhat].map((t) => t.key),
      nbytes: w.nbytes,
      memoryLimit: w.memoryLimit,
      memory: w.memory,
      spilled: w.spilled,
      paused: w.paused,
      rootBytes: w.rootBytes,
      lastSeen: w.lastSeen,
    }));
  }

  get taskCount(): number {
    return this.s.tasks.size;
  }

  /** Jobs the scheduler keeps (running, or done with outputs not yet released), as "clientId/jobId". */
  jobIds(): string[] {
    return [...this.s.jobs.values()].map((j) => `${j.clientId}/${j.jobId}`);
  }

  /** Clients the scheduler keeps jobs or state for (connected or, after a restart, expected back). */
  clientIds(): string[] {
    return [...this.s.clients.keys()];
  }

  /** Tasks sent to a worker again after their result had been held once (results lost and computed again). */
  get recomputed(): number {
    return this.s.recomputed;
  }

  /**
   * The state as plain data, when idle (no task, no job, no drain): the journal's compaction point. Null otherwise.
   * A state restored from it takes the same decisions as this one from here on.
   */
  checkpoint(): Checkpoint | null {
    return takeCheckpoint(this.s);
  }

  /** A state machine that starts from a checkpoint. */
  static restore(checkpoint: Checkpoint, options: SchedulerOptions = {}): SchedulerState {
    const state = new SchedulerState(options);
    restoreCheckpoint(state.s, checkpoint);
    return state;
  }

  /** Task state changes since this scheduler started. */
  get transitionCount(): number {
    return this.s.transitionCount;
  }

  /** Runs the invariant checks now (also done after every stimulus in validate mode). */
  validate(): void {
    validateState(this.s);
  }
}
