// Records what the dashboard needs from the scheduler's traffic: jobs and their progress, worker reports, the task stream.
import type { SchedulerMessage, ToScheduler } from "@tessera/protocol";
import type { SchedulerState } from "../state/scheduler-state.js";
import { RingBuffer } from "./ring-buffer.js";
import { JobGraphs } from "./job-graphs.js";
import { viewIn, viewOf } from "./task-view.js";
import type { TaskSlots } from "./task-view.js";
import type { ClusterStatus, JobState, JobStatus, TaskCounts, TaskStreamEntry, WorkerStatus } from "./status-types.js";

export interface StatusRecorderOptions {
  /** Task runs kept for the task stream (default 5,000). */
  readonly taskStreamSize?: number;
  /** Finished jobs kept (default 50); running jobs are always shown. */
  readonly jobHistory?: number;
}

/** A task stream entry as recorded on the hot path; its label is resolved only when the status is read. */
interface RawRun {
  readonly key: string;
  readonly labelName: string | undefined;
  readonly worker: string;
  readonly thread: number;
  readonly start: number;
  readonly end: number;
  readonly erred: boolean;
}

interface WorkerReport {
  readonly memoryLimit: number;
  memory: number | null;
  spilled: number | null;
  fetched: number;
  executing: number | null;
  paused: boolean;
  lastSeen: number;
}

interface RunningJob {
  readonly clientId: string;
  readonly jobId: string;
  done: number;
  total: number;
  readonly submittedAt: number;
}

/**
 * The prefix of a key up to its first numeric or hash-like part, as Dask names task groups:
 * "root-3-4" -> "root", "agg-partial-0f3a9c2e1b-7" -> "agg-partial".
 */
export function keyPrefix(key: string): string {
  const parts = key.split(/[-_:/]/);
  const kept: string[] = [];
  for (const p of parts) {
    if (p === "" || /^\d+$/.test(p) || (p.length >= 8 && /^[0-9a-f]+$/i.test(p))) break;
    kept.push(p);
  }
  return kept.length > 0 ? kept.join("-") : key;
}

function jobKeyOf(clientId: string, jobId: string): string {
  return `${clientId}\u0000${jobId}`;
}

/**
 * Watches the stimuli going into the scheduler state machine and the messages coming out, and keeps only
 * bounded summaries (running jobs, the last finished jobs, the last task runs). The state machine stays
 * untouched; the recorder never changes what is sent.
 */
export class StatusRecorder {
  readonly startedAt: number;
  private readonly stream: RingBuffer<RawRun>;
  private readonly finishedJobs: RingBuffer<JobStatus>;
  private readonly reports = new Map<string, WorkerReport>();
  private readonly running = new Map<string, RunningJob>();
  private readonly jobCounts: Record<JobState, number> = { running: 0, done: 0, erred: 0, cancelled: 0 };
  private finishedTotal = 0;
  private erredTotal = 0;
  /** Each job's graph folded into plan stages (the graph view and per-stage progress). */
  readonly graphs = new JobGraphs();

  constructor(startedAt: number, options: StatusRecorderOptions = {}) {
    this.startedAt = startedAt;
    this.stream = new RingBuffer(options.taskStreamSize ?? 5000);
    this.finishedJobs = new RingBuffer(options.jobHistory ?? 50);
  }

  /** A message about to be handled by the state machine at `time` (reports on tasks are seen in observeOut). */
  observeIn(m: ToScheduler, time: number): void {
    switch (m.op) {
      case "worker-heartbeat": {
        const r = this.reports.get(m.workerId);
        if (r === undefined) return;
        r.memory = m.memory;
        r.executing = m.executing;
        if (m.spilled !== undefined) r.spilled = m.spilled;
        if (m.fetched !== undefined) r.fetched = m.fetched;
        r.paused = m.paused ?? false;
        r.lastSeen = time;
        return;
      }
      case "worker-added":
        // Also when a worker rejoins under the same id (the state machine may have dropped it on a timeout).
        this.reports.set(m.workerId, { memoryLimit: m.memoryLimit, memory: null, spilled: null, fetched: 0, executing: null, paused: false, lastSeen: time });
        return;
      case "worker-removed":
        this.reports.delete(m.workerId);
        return;
      case "graph-submitted": {
        const k = jobKeyOf(m.clientId, m.jobId);
        if (this.running.has(k)) return;
        this.running.set(k, { clientId: m.clientId, jobId: m.jobId, done: 0, total: m.graph.tasks.length, submittedAt: time });
        // The job's graph view is built once its tasks exist (observeOut).
        return;
      }
      case "release-keys":
        if (m.jobId !== undefined) this.finishJob(jobKeyOf(m.clientId, m.jobId), "cancelled", time);
        return;
      case "client-disconnected":
        for (const [k, job] of [...this.running]) if (job.clientId === m.clientId) this.finishJob(k, "cancelled", time);
        return;
      case "client-connected":
        return;
    }
  }

  /**
   * Stimulus `cause`, handled at `time`, and the messages it caused. `tasks` shows the tasks behind them (a report's
   * task, a graph's tasks, the compute-task messages' tasks), in whose slots the recorder keeps its per-task records,
   * so recording looks nothing up by key. A report counts only when it was on the task's current run.
   */
  observeOut(cause: ToScheduler, messages: readonly SchedulerMessage[], time: number, tasks: TaskSlots): void {
    switch (cause.op) {
      case "task-finished": {
        const t = tasks.reportedSlot();
        if (t === null) break;
        const v = viewOf(t);
        if (v !== undefined) this.graphs.finished(v, cause.nbytes);
        this.finishedTotal++;
        this.stream.push({
          key: cause.key, labelName: v?.labelName, worker: cause.workerId, thread: cause.thread ?? 0,
          start: cause.startedAt ?? v?.sentAt ?? time, end: cause.finishedAt ?? time, erred: false,
        });
        break;
      }
      case "task-erred": {
        const t = tasks.reportedSlot();
        if (t === null) break;
        const v = viewOf(t);
        if (v !== undefined) this.graphs.erred(v);
        this.erredTotal++;
        this.stream.push({ key: cause.key, labelName: v?.labelName, worker: cause.workerId, thread: 0, start: v?.sentAt ?? time, end: time, erred: true });
        break;
      }
      case "graph-submitted":
        if (this.running.has(jobKeyOf(cause.clientId, cause.jobId))) this.graphs.submitted(cause, time, tasks.intakeSlots(), viewIn);
        break;
      default:
        break;
    }
    const sent = tasks.sentSlots();
    let next = 0;
    for (const m of messages) {
      switch (m.op) {
        case "compute-task": {
          const s = sent[next];
          const t = s !== undefined && s.key === m.key ? s : tasks.taskSlot(m.key);
          next++;
          if (t === undefined) break;
          const v = viewIn(t);
          v.labelName = m.spec.label?.name;
          v.sentAt = time;
          this.graphs.sent(v);
          break;
        }
        case "job-progress": {
          const job = this.running.get(jobKeyOf(m.clientId, m.jobId));
          if (job !== undefined) {
            job.done = m.done;
            job.total = m.total;
          }
          break;
        }
        case "job-done": {
          const k = jobKeyOf(m.clientId, m.jobId);
          const job = this.running.get(k);
          if (job !== undefined) job.done = job.total = m.total;
          this.finishJob(k, "done", time);
          break;
        }
        case "job-erred":
          this.finishJob(jobKeyOf(m.clientId, m.jobId), "erred", time, m.error.message);
          break;
      }
    }
  }

  /** The status now, combining the state machine's views with what was recorded. */
  status(state: SchedulerState, time: number, streamLimit?: number): ClusterStatus {
    const workers: WorkerStatus[] = state.workers().map((w) => {
      const r = this.reports.get(w.id);
      return {
        id: w.id,
        nthreads: w.nthreads,
        memoryLimit: r?.memoryLimit ?? 0,
        memory: r?.memory ?? null,
        spilled: r?.spilled ?? null,
        fetchedBytes: r?.fetched ?? 0,
        heldBytes: w.nbytes,
        heldResults: w.holds.length,
        processing: w.processing.length,
        executing: r?.executing ?? null,
        paused: r?.paused ?? false,
        lastSeen: r?.lastSeen ?? this.startedAt,
      };
    });
    workers.sort((a, b) => a.id.localeCompare(b.id, "en", { numeric: true }));
    if (this.reports.size > workers.length) {
      // Workers the state machine dropped without a worker-removed stimulus (heartbeat timeouts).
      const live = new Set(workers.map((w) => w.id));
      for (const id of [...this.reports.keys()]) if (!live.has(id)) this.reports.delete(id);
    }
    const running: JobStatus[] = [...this.running.values()].map((j) => ({
      clientId: j.clientId, jobId: j.jobId, state: "running", done: j.done, total: j.total, submittedAt: j.submittedAt, finishedAt: null,
    }));
    const { forgotten: _forgotten, ...tasks } = state.counts();
    const taskStream: TaskStreamEntry[] = this.stream.toArray(streamLimit).map((r) => {
      const e = { key: r.key, label: r.labelName ?? keyPrefix(r.key), worker: r.worker, thread: r.thread, start: r.start, end: r.end };
      return r.erred ? { ...e, erred: true } : e;
    });
    return {
      time,
      startedAt: this.startedAt,
      workers,
      jobs: [...running, ...this.finishedJobs.toArray().reverse()],
      tasks: tasks satisfies TaskCounts,
      tasksFinishedTotal: this.finishedTotal,
      tasksErredTotal: this.erredTotal,
      tasksRecomputedTotal: state.recomputed,
      jobCounts: { ...this.jobCounts, running: running.length },
      taskStream,
    };
  }

  private finishJob(k: string, state: Exclude<JobState, "running">, time: number, error?: string): void {
    const job = this.running.get(k);
    if (job === undefined) return;
    this.running.delete(k);
    this.graphs.ended(job.clientId, job.jobId, state, time);
    this.jobCounts[state]++;
    const s: JobStatus = {
      clientId: job.clientId, jobId: job.jobId, state, done: job.done, total: job.total, submittedAt: job.submittedAt, finishedAt: time,
    };
    this.finishedJobs.push(error === undefined ? s : { ...s, error });
  }
}
