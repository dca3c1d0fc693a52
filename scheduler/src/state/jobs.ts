// Job bookkeeping: progress, completion with output locations, failure, and release of what a job held.
import type { ErrorInfo } from "@tessera/common";
import { jobKey } from "./entities.js";
import type { Job, SchedTask } from "./entities.js";
import type { SchedulerCore } from "./core.js";

/** A task reached memory: it counts as done for every job waiting on it. */
export function taskReachedMemory(s: SchedulerCore, t: SchedTask): void {
  if (t.jobs.size > 0) {
    for (const job of t.jobs) {
      if (--job.pending === 0) job.tasks = [];
      reportProgress(s, job);
      maybeFinish(s, job);
    }
    t.clearJobs();
  }
  for (const job of t.wantedBy) maybeFinish(s, job);
}

/** At most one job-progress per job per progressIntervalMs of stimulus time; job-done says the rest. */
function reportProgress(s: SchedulerCore, job: Job): void {
  if (job.pending === 0 || s.time - job.lastProgressAt < s.progressIntervalMs) return;
  job.lastProgressAt = s.time;
  s.send({ op: "job-progress", stimulusId: s.stimulusId, clientId: job.clientId, jobId: job.jobId, done: job.done, total: job.total });
}

/** A running job is done once every task has finished and every output is held by some worker. */
export function maybeFinish(s: SchedulerCore, job: Job): void {
  if (job.status !== "running" || job.pending > 0) return;
  for (const o of job.outputs) if (o.state !== "memory") return;
  job.status = "done";
  s.send({
    op: "job-done",
    stimulusId: s.stimulusId,
    clientId: job.clientId,
    jobId: job.jobId,
    total: job.total,
    outputs: job.outputs.map((o) => ({ key: o.key, workerIds: [...o.whoHas].map((w) => w.id), nbytes: o.nbytes })),
  });
}

/** Reports the failure once; the job's tasks are released after the error has reached all dependents. */
export function failJob(s: SchedulerCore, job: Job, blame: SchedTask, error: ErrorInfo): void {
  if (job.status !== "running") return;
  job.status = "erred";
  s.send({ op: "job-erred", stimulusId: s.stimulusId, clientId: job.clientId, jobId: job.jobId, key: blame.key, error });
  s.deferJobRelease(job);
}

/** Forgets the job: tasks only it wanted are cancelled or freed. */
export function releaseJob(s: SchedulerCore, job: Job): void {
  const key = jobKey(job.clientId, job.jobId);
  if (s.jobs.get(key) !== job) return;
  s.jobs.delete(key);
  s.clients.get(job.clientId)?.delete(job);
  for (const t of job.tasks) {
    if (!t.removeJob(job)) continue;
    s.releaseIfUnneeded(t);
  }
  job.tasks = [];
  job.pending = 0;
  for (const o of job.outputs) {
    o.removeWantedBy(job);
    s.releaseIfUnneeded(o);
  }
}
