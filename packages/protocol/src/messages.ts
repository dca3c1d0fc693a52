// Every control message between clients, the scheduler and workers: discriminated unions on `op`, plain msgpack-able data.
import type { ErrorInfo } from "@tessera/common";
import type { TaskGraph, TaskSpec } from "@tessera/graph";

/** A task's label for progress and errors, e.g. { name: "agg-partial", partition: 3 }. */
export type TaskLabel = NonNullable<TaskSpec["label"]>;

/** Lower runs first: [job submission order, order within the job's graph]. Compared lexicographically. */
export type Priority = readonly [job: number, order: number];

/** What a worker needs to run a task: the op name in its registry, plain-data args and the label. */
export interface RunSpec {
  readonly op: string;
  readonly args: unknown;
  readonly label?: TaskLabel;
}

/** Where one input of a task can be fetched from. */
export interface DepLocation {
  readonly key: string;
  /** Workers holding the result, best first; never empty when sent. */
  readonly whoHas: readonly string[];
  readonly nbytes: number;
}

/** A result a worker holds, as it reports it when it (re)joins a scheduler or acquires a replica. */
export interface HeldKey {
  readonly key: string;
  readonly nbytes: number;
}

/**
 * The plan behind a job, for the dashboard and progress bars: one stage per task label name (labels name plan
 * stages, e.g. "scan-parquet", "agg-final"), in plan order, with the stages each one reads from; and the optimized
 * plan's explain() text. Plain data the scheduler only records.
 */
export interface PlanSummary {
  readonly explain: string;
  readonly stages: readonly PlanStage[];
}

export interface PlanStage {
  /** The label name its tasks carry. */
  readonly name: string;
  /** What the stage does, e.g. "scan-parquet → filter → agg-partial". */
  readonly title: string;
  /** Stages whose results its tasks read. */
  readonly inputs: readonly string[];
}

/** Progress of one plan stage: tasks finished out of its total, and bytes of the results they produced. */
export interface StageProgress {
  readonly name: string;
  readonly done: number;
  readonly total: number;
  readonly nbytes: number;
}

/** An output of a finished job and the workers holding it. */
export interface OutputLocation {
  readonly key: string;
  readonly workerIds: readonly string[];
  readonly nbytes: number;
}

// ---- client -> scheduler -------------------------------------------------------------------------

/** A client submits a graph as a job; `jobId` is unique per client. */
export interface GraphSubmitted {
  readonly op: "graph-submitted";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobId: string;
  readonly graph: TaskGraph;
  /** The plan's stages and explain text (optional: raw graphs have none). */
  readonly plan?: PlanSummary;
}

/** A client no longer wants results: a whole job (cancelling it if still running) or some output keys. */
export interface ReleaseKeys {
  readonly op: "release-keys";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobId?: string;
  readonly keys?: readonly string[];
}

/**
 * A client that reconnected (after losing the scheduler, e.g. a restart) asks for news of its running jobs. For each
 * job the scheduler knows it answers with progress (running) or job-done (finished, outputs held); for a job it does
 * not know, job-unknown, and the client submits it again.
 */
export interface Resubscribe {
  readonly op: "resubscribe";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobIds: readonly string[];
}

/** Drain a worker (`tessera worker --drain NAME`): it gets no new tasks, its results move to peers, then it closes. */
export interface RetireWorker {
  readonly op: "retire-worker";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly workerId: string;
}

// ---- connection events, raised by the server shell -----------------------------------------------

export interface ClientConnected { readonly op: "client-connected"; readonly stimulusId: string; readonly clientId: string }
export interface ClientDisconnected { readonly op: "client-disconnected"; readonly stimulusId: string; readonly clientId: string }

export interface WorkerAdded {
  readonly op: "worker-added";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly nthreads: number;
  /** Bytes this worker may hold before it must spill or pause. */
  readonly memoryLimit: number;
  /** Results the worker already holds (it rejoined after losing its scheduler): kept if still wanted, else freed. */
  readonly held?: readonly HeldKey[];
}

export interface WorkerRemoved { readonly op: "worker-removed"; readonly stimulusId: string; readonly workerId: string; readonly reason: string }

/** The shell's periodic timer: lets the scheduler act on time alone (workers whose heartbeats stopped). */
export interface Tick { readonly op: "tick"; readonly stimulusId: string }

/**
 * The scheduler process restarted on its journal, whose stimuli were just replayed: every worker and client of the
 * previous process is gone. Workers are removed without counting a death against their tasks; clients keep their
 * jobs until they reconnect (or the shell gives up on them with client-disconnected).
 */
export interface SchedulerRestarted { readonly op: "scheduler-restarted"; readonly stimulusId: string }

// ---- worker -> scheduler -------------------------------------------------------------------------

/** The worker holds the result of run `runId` of `key`. */
export interface TaskFinished {
  readonly op: "task-finished";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  readonly runId: number;
  readonly nbytes: number;
  /** When the op started and finished running (epoch ms, worker clock) and on which thread slot; for the dashboard. */
  readonly startedAt?: number;
  readonly finishedAt?: number;
  readonly thread?: number;
}

/** Run `runId` of `key` threw; `error` already names the op and partition. */
export interface TaskErred {
  readonly op: "task-erred";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  readonly runId: number;
  readonly error: ErrorInfo;
}

/** No holder could serve `dep`, an input of `key` (run `runId`); the worker dropped `key`. */
export interface MissingData {
  readonly op: "missing-data";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  readonly runId: number;
  readonly dep: string;
  /** The holders the worker tried, which failed or did not have `dep`. */
  readonly holders: readonly string[];
}

export interface WorkerHeartbeat {
  readonly op: "worker-heartbeat";
  readonly stimulusId: string;
  readonly workerId: string;
  /** Bytes held in the worker's store. */
  readonly memory: number;
  /** Of `memory`, the bytes spilled to disk, when the store spills (optional; shown by the dashboard). */
  readonly spilled?: number;
  /** Bytes this worker has received from peers since it started (optional; cumulative). */
  readonly fetched?: number;
  readonly executing: number;
  readonly ready: number;
  /** The worker stopped starting tasks: its bytes in memory are past its pause fraction. Absent: false. */
  readonly paused?: boolean;
}

/**
 * A key's state on a worker, as a steal-response reports it ("forgotten": the worker does not know the key).
 * Mirrors the worker's task states; only "waiting" and "ready" mean the worker dropped the task for the thief.
 */
export type WorkerKeyState = "released" | "fetch" | "flight" | "waiting" | "ready" | "executing" | "cancelled" | "memory" | "forgotten";

/** The answer to a steal-request: the key's state when the request arrived; waiting or ready means it was dropped. */
export interface StealResponse {
  readonly op: "steal-response";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  /** The runId of the steal-request this answers. */
  readonly runId: number;
  readonly state: WorkerKeyState;
}

/** The worker is shutting down (SIGTERM): drain it as retire-worker does, then tell it close-worker. */
export interface WorkerRetiring { readonly op: "worker-retiring"; readonly stimulusId: string; readonly workerId: string }

/** Answer to acquire-replicas: the worker now holds `keys`; it could not fetch `failed`. */
export interface AddKeys {
  readonly op: "add-keys";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly keys: readonly HeldKey[];
  readonly failed: readonly string[];
}

// ---- scheduler -> worker -------------------------------------------------------------------------

/** Run a task. `deps` are in input order (duplicates kept) with where each can be fetched. */
export interface ComputeTask {
  readonly op: "compute-task";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  /** Unique per assignment; the worker echoes it, so late replies to an older assignment are recognised. */
  readonly runId: number;
  readonly spec: RunSpec;
  readonly deps: readonly DepLocation[];
  readonly priority: Priority;
}

/**
 * Give up run `runId` of `key` if it has not started: the worker drops it if it is still waiting or ready
 * (and not needed by another local task) and answers with a steal-response either way.
 */
export interface StealRequest {
  readonly op: "steal-request";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly key: string;
  readonly runId: number;
}

/** Drop these keys: cancel them if not finished, delete their results if held. */
export interface FreeKeys { readonly op: "free-keys"; readonly stimulusId: string; readonly workerId: string; readonly keys: readonly string[] }

/** Fetch these results from the workers holding them and keep them (a draining worker's results); answer add-keys. */
export interface AcquireReplicas {
  readonly op: "acquire-replicas";
  readonly stimulusId: string;
  readonly workerId: string;
  readonly keys: readonly DepLocation[];
}

/** The worker drained: its results are held by peers and it has no tasks; it closes now. */
export interface CloseWorker { readonly op: "close-worker"; readonly stimulusId: string; readonly workerId: string; readonly reason: string }

/**
 * The scheduler removed this worker (its messages stopped for longer than the timeout) and recomputes its results:
 * the worker drops everything it holds and joins again as new.
 */
export interface Rejoin { readonly op: "rejoin"; readonly stimulusId: string; readonly workerId: string; readonly reason: string }

// ---- scheduler -> client -------------------------------------------------------------------------

export interface JobProgress {
  readonly op: "job-progress";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobId: string;
  readonly done: number;
  readonly total: number;
  /** Per plan stage, when the job has several (added by the server shell from what it observed). */
  readonly stages?: readonly StageProgress[];
}

/** Every task of the job ran; its outputs are held (until released) by the listed workers. */
export interface JobDone {
  readonly op: "job-done";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobId: string;
  /** Tasks the job ran or found already held (the final `total` of its progress). */
  readonly total: number;
  readonly outputs: readonly OutputLocation[];
}

/** The job failed: `key` is the task that failed first; `error.details` carries its key, op and label. */
export interface JobErred {
  readonly op: "job-erred";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly jobId: string;
  readonly key: string | null;
  readonly error: ErrorInfo;
}

/** The scheduler has no record of this job (it restarted without it): the client submits it again. */
export interface JobUnknown { readonly op: "job-unknown"; readonly stimulusId: string; readonly clientId: string; readonly jobId: string }

/** Answer to retire-worker: the worker drained (its results moved to peers: `keys`, `nbytes`) and closed, or `error`. */
export interface WorkerRetired {
  readonly op: "worker-retired";
  readonly stimulusId: string;
  readonly clientId: string;
  readonly workerId: string;
  readonly keys: number;
  readonly nbytes: number;
  readonly error?: ErrorInfo;
}

// ---- unions ---------------------------------------------------------------------------------------

export type ClientToScheduler = GraphSubmitted | ReleaseKeys | Resubscribe | RetireWorker;
export type WorkerToScheduler = TaskFinished | TaskErred | MissingData | WorkerHeartbeat | StealResponse | WorkerRetiring | AddKeys;
/** Events the server shell itself observes: connections opening and closing, its timer, its own restart. */
export type ConnectionEvent = ClientConnected | ClientDisconnected | WorkerAdded | WorkerRemoved | Tick | SchedulerRestarted;
/** Everything the scheduler state machine accepts, before the shell stamps the time on it. */
export type ToScheduler = ClientToScheduler | WorkerToScheduler | ConnectionEvent;
/** A stimulus: a message plus the time (ms) the shell received it. The state machine reads no clock. */
export type SchedulerStimulus = ToScheduler & { readonly time: number };

export type SchedulerToWorker = ComputeTask | FreeKeys | StealRequest | AcquireReplicas | CloseWorker | Rejoin;
export type SchedulerToClient = JobProgress | JobDone | JobErred | JobUnknown | WorkerRetired;
/** Everything the scheduler state machine emits; the shell routes each by `workerId` or `clientId`. */
export type SchedulerMessage = SchedulerToWorker | SchedulerToClient;
