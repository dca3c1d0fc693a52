// Stimuli of a cluster that outlives its parts: the scheduler restarted, a worker rejoined with results, a client resubscribed.
import type { HeldKey, Resubscribe } from "@tessera/protocol";
import { jobKey } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { maybeFinish } from "./jobs.js";
import { removeWorker } from "./worker-removal.js";

/**
 * The process restarted on its journal (whose stimuli were replayed just before): every worker of the previous
 * process is gone. Their processing tasks wait again (a restart is not a death: nothing counts against them) and
 * their results are released, to be adopted from rejoining workers or computed again. Nothing is sent to a worker
 * until they are all back or rejoinGraceMs passed (see SchedulerCore.placeable). Clients keep their jobs.
 */
export function schedulerRestarted(s: SchedulerCore): void {
  for (const w of [...s.workers.values()]) {
    s.awaited.add(w.id);
    removeWorker(s, w, false);
  }
  s.awaitUntil = s.time + s.rejoinGraceMs;
  s.lastTick = null;
}

/** A worker (re)joined, or time passed: the wait for the previous process's workers ends when all are back or at its deadline. */
export function checkRejoined(s: SchedulerCore, joined?: string): void {
  if (s.awaited.size === 0) return;
  if (joined !== undefined) s.awaited.delete(joined);
  if (s.time >= s.awaitUntil) s.awaited.clear();
}

/**
 * A joining worker already holds `held` (it lost its scheduler and reconnected). A wanted result becomes held there,
 * replacing a computation not started or already running elsewhere (cancelled there); anything else is freed.
 */
export function adoptHeld(s: SchedulerCore, workerId: string, held: readonly HeldKey[]): void {
  const w = s.workers.get(workerId);
  if (w === undefined) return;
  for (const { key, nbytes } of held) {
    const t = s.tasks.get(key);
    if (t === undefined || t.state === "erred" || (t.state !== "memory" && !t.needed)) {
      s.free(w, key);
      continue;
    }
    switch (t.state) {
      case "memory":
        if (!t.whoHas.has(w)) {
          t.addHolder(w);
          w.hasWhat.add(t);
          w.nbytes += t.nbytes;
        }
        break;
      case "processing":
        if (t.processingOn !== null && t.processingOn !== w) s.free(t.processingOn, key);
        s.recommend(t, "memory", { kind: "finished", worker: w, nbytes });
        break;
      case "released":
      case "waiting":
      case "queued":
        s.recommend(t, "memory", { kind: "finished", worker: w, nbytes });
        break;
      case "forgotten":
        s.free(w, key);
        break;
    }
  }
}

/**
 * A reconnected client asks after its jobs: a running one answers with its progress, a finished one with job-done
 * again (once its outputs are held: the client may have missed the first), an unknown one with job-unknown.
 */
export function resubscribe(s: SchedulerCore, m: Resubscribe): void {
  for (const jobId of m.jobIds) {
    const job = s.jobs.get(jobKey(m.clientId, jobId));
    if (job === undefined || job.status === "erred") {
      s.send({ op: "job-unknown", stimulusId: s.stimulusId, clientId: m.clientId, jobId });
    } else if (job.status === "running") {
      s.send({ op: "job-progress", stimulusId: s.stimulusId, clientId: m.clientId, jobId, done: job.done, total: job.total });
    } else {
      job.status = "running";
      maybeFinish(s, job);
    }
  }
}
