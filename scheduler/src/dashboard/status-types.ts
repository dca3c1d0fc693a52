// The cluster status the dashboard shows: plain JSON-able data, served as /api/status and formatted as /metrics.
import type { TaskStateName } from "../state/entities.js";

/** One worker as the dashboard shows it. Byte counts the worker has not reported yet are null. */
export interface WorkerStatus {
  readonly id: string;
  readonly nthreads: number;
  /** Bytes the worker may hold before it spills or pauses (from worker-added). */
  readonly memoryLimit: number;
  /** Bytes held in the worker's store, as last reported by its heartbeat; null before the first heartbeat. */
  readonly memory: number | null;
  /** Bytes of results spilled to disk, when the worker's store reports them; null otherwise. */
  readonly spilled: number | null;
  /** Bytes the worker received from peers since it started (data moved between workers). */
  readonly fetchedBytes: number;
  /** Bytes of the results the scheduler knows this worker holds. */
  readonly heldBytes: number;
  /** Results the scheduler knows this worker holds. */
  readonly heldResults: number;
  /** Tasks assigned to the worker and not finished (running or waiting there for a thread or inputs). */
  readonly processing: number;
  /** Tasks running on its threads, as last reported by its heartbeat; null before the first heartbeat. */
  readonly executing: number | null;
  /** The worker reported that it stopped starting tasks (memory past its pause fraction). */
  readonly paused: boolean;
  /** Time (epoch ms) of the last heartbeat, or of joining when none came yet. */
  readonly lastSeen: number;
}

export type JobState = "running" | "done" | "erred" | "cancelled";

/** One job (a graph a client submitted): its progress in tasks. */
export interface JobStatus {
  readonly clientId: string;
  readonly jobId: string;
  readonly state: JobState;
  readonly done: number;
  readonly total: number;
  readonly submittedAt: number;
  /** When the job finished, failed or was cancelled; null while running. */
  readonly finishedAt: number | null;
  /** The error message of a failed job. */
  readonly error?: string;
}

/** One finished (or failed) task run, for the task stream: a bar from `start` to `end` on lane (worker, thread). */
export interface TaskStreamEntry {
  readonly key: string;
  /** The task's label name, or its key's prefix when unlabelled (e.g. "root" for "root-3-4"). */
  readonly label: string;
  readonly worker: string;
  /** The worker thread slot (0-based) that ran it, when the worker reports it; else 0. */
  readonly thread: number;
  /** Epoch ms. */
  readonly start: number;
  readonly end: number;
  readonly erred?: boolean;
}

export type TaskCounts = Record<Exclude<TaskStateName, "forgotten">, number>;

/** Everything /api/status returns. */
export interface ClusterStatus {
  /** Now (epoch ms), on the scheduler's clock. */
  readonly time: number;
  /** When the scheduler started (epoch ms). */
  readonly startedAt: number;
  readonly workers: readonly WorkerStatus[];
  /** Running jobs, then recently finished ones (newest first). */
  readonly jobs: readonly JobStatus[];
  /** Tasks the scheduler holds, by state. */
  readonly tasks: TaskCounts;
  /** Task runs that finished (reached memory) since the scheduler started. */
  readonly tasksFinishedTotal: number;
  /** Task runs that failed since the scheduler started. */
  readonly tasksErredTotal: number;
  /** Tasks run again after their result had been held once (lost with a worker, or not reported after a restart). */
  readonly tasksRecomputedTotal: number;
  /** Jobs by final state since the scheduler started (running: now). */
  readonly jobCounts: Record<JobState, number>;
  /** Recent task runs, oldest first (bounded). */
  readonly taskStream: readonly TaskStreamEntry[];
}

/** Anything that can report the cluster's status now: a SchedulerServer, or a stub in tests. */
export interface StatusSource {
  /** The status now; `streamLimit` asks for at most that many (the newest) task stream entries. */
  status(streamLimit?: number): ClusterStatus;
  /** A job's stage view, or null when unknown (sources without it serve no graph). */
  jobGraph?(clientId: string, jobId: string): JobGraphStatus | null;
}

/** One plan stage of a job: its tasks by state, those that finished, and the bytes of their results. */
export interface StageStatus {
  readonly name: string;
  readonly title: string;
  /** Stages whose results its tasks read. */
  readonly inputs: readonly string[];
  readonly total: number;
  readonly waiting: number;
  readonly processing: number;
  readonly memory: number;
  readonly erred: number;
  /** Tasks whose result was held at least once, and the bytes of those results. */
  readonly done: number;
  readonly nbytes: number;
}

/** Data flowing from one stage to another: the bytes of the `from` results that `to` tasks read. */
export interface EdgeStatus {
  readonly from: string;
  readonly to: string;
  readonly nbytes: number;
}

/** A job's task graph as its plan's stages (/api/graph?job=CLIENT/JOB), with the optimized plan's explain text. */
export interface JobGraphStatus {
  readonly clientId: string;
  readonly jobId: string;
  readonly state: JobState;
  readonly submittedAt: number;
  readonly finishedAt: number | null;
  /** The client's explain() of the optimized plan; null when it sent a bare graph. */
  readonly explain: string | null;
  readonly stages: readonly StageStatus[];
  readonly edges: readonly EdgeStatus[];
}
