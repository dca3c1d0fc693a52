// What the worker state machine consumes (scheduler messages and the shell's reports) and the instructions it emits.
import type { ErrorInfo } from "@tessera/common";
import type { RunSpec, SchedulerToWorker, WorkerToScheduler } from "@tessera/protocol";

/**
 * The shell ran the task and stored its result (`nbytes` as the store counted it). Optionally, the op ran `runMs`
 * (sizing the run-ahead) on pool thread `thread`: task-finished then says when and where (finishing at this stimulus's time).
 */
export interface ExecuteSuccess {
  readonly op: "execute-success";
  readonly stimulusId: string;
  readonly key: string;
  readonly nbytes: number;
  readonly runMs?: number;
  readonly thread?: number;
}

export interface ExecuteFailure { readonly op: "execute-failure"; readonly stimulusId: string; readonly key: string; readonly error: ErrorInfo }

/** A peer answered a gather: the shell stored `data`; the peer did not hold `missing`. */
export interface GatherDepSuccess {
  readonly op: "gather-dep-success";
  readonly stimulusId: string;
  readonly from: string;
  readonly data: readonly { readonly key: string; readonly nbytes: number }[];
  readonly missing: readonly string[];
}

/** A gather failed as a whole (peer unreachable or gone). */
export interface GatherDepFailure {
  readonly op: "gather-dep-failure";
  readonly stimulusId: string;
  readonly from: string;
  readonly keys: readonly string[];
  readonly error: ErrorInfo;
}

/**
 * The shell's memory monitor: the store's bytes in memory crossed the pause fraction of the memory limit
 * (paused: no new task starts) or fell back below it. Sent only on a change; bytes are for the heartbeat it triggers.
 */
export interface MemoryState {
  readonly op: "memory-state";
  readonly stimulusId: string;
  readonly paused: boolean;
  /** Bytes the store holds (in memory and spilled), and of those the bytes on disk. */
  readonly memory: number;
  readonly spilled: number;
}

/**
 * The connection to the scheduler is gone. Tasks not started are dropped (a scheduler gives them again), running ones
 * are cancelled; results are kept for the next scheduler with `keepData` (reported when rejoining), else dropped.
 */
export interface SchedulerLost { readonly op: "scheduler-lost"; readonly stimulusId: string; readonly keepData: boolean }

export type WorkerEvent = ExecuteSuccess | ExecuteFailure | GatherDepSuccess | GatherDepFailure | MemoryState | SchedulerLost;
/** A stimulus: a scheduler message or a shell event, with the time (ms) the shell observed it. */
export type WorkerStimulus = (SchedulerToWorker | WorkerEvent) & { readonly time: number };

/** Run a task: read `inputs` from the store (synchronously: they may be freed right after), run, store the result. */
export interface ExecuteInstruction {
  readonly op: "execute";
  readonly stimulusId: string;
  readonly key: string;
  readonly spec: RunSpec;
  readonly inputs: readonly string[];
}

/** Fetch `keys` from peer `from` into the store. */
export interface GatherDepInstruction { readonly op: "gather-dep"; readonly stimulusId: string; readonly from: string; readonly keys: readonly string[] }

/** Delete these results from the store. */
export interface FreeDataInstruction { readonly op: "free-data"; readonly stimulusId: string; readonly keys: readonly string[] }

export interface SendInstruction { readonly op: "send"; readonly msg: WorkerToScheduler }

export type WorkerInstruction = ExecuteInstruction | GatherDepInstruction | FreeDataInstruction | SendInstruction;
