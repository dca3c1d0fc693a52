// Stimuli from workers and about workers: join, leave (recovery from lineage), results, errors, missing data.
import { SchedWorker } from "./entities.js";
import type { SchedTask } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { errorWithTaskContext } from "@tessera/protocol";
import { removeWorker } from "./worker-removal.js";
import type { MissingData, TaskErred, TaskFinished, WorkerAdded, WorkerHeartbeat, WorkerRemoved } from "@tessera/protocol";

export function workerAdded(s: SchedulerCore, m: WorkerAdded): void {
  if (s.workers.has(m.workerId)) return;
  s.workers.set(m.workerId, new SchedWorker(m.workerId, Math.max(1, m.nthreads), m.memoryLimit, s.time, s.index));
}

/** A worker left (its connection closed): a death, see removeWorker. */
export function workerRemoved(s: SchedulerCore, m: WorkerRemoved): void {
  const w = s.workers.get(m.workerId);
  if (w !== undefined) removeWorker(s, w, true);
}

/** The task this message reports on, if it is the current assignment of `workerId`; late replies are ignored. */
function currentRun(s: SchedulerCore, workerId: string, key: string, runId: number): SchedTask | undefined {
  const t = s.tasks.get(key);
  const w = s.workers.get(workerId);
  if (t === undefined || w === undefined || t.state !== "processing" || t.processingOn !== w || t.runId !== runId) return undefined;
  return t;
}

export function taskFinished(s: SchedulerCore, m: TaskFinished): void {
  const t = currentRun(s, m.workerId, m.key, m.runId);
  if (t !== undefined) {
    s.reported = t;
    if (m.startedAt !== undefined && m.finishedAt !== undefined) s.recordDuration(t, m.finishedAt - m.startedAt);
    s.transition(t, "memory", { kind: "finished", worker: t.processingOn as SchedWorker, nbytes: m.nbytes });
    return;
  }
  // A late result the scheduler did not ask for (cancelled, reassigned): make sure the worker drops it,
  // unless the worker is running a newer assignment of the same key (a free-keys would cancel that one).
  const w = s.workers.get(m.workerId);
  const known = s.tasks.get(m.key);
  if (w !== undefined && (known === undefined || (known.processingOn !== w && !known.whoHas.has(w)))) s.free(w, m.key);
}

export function taskErred(s: SchedulerCore, m: TaskErred): void {
  const t = currentRun(s, m.workerId, m.key, m.runId);
  if (t === undefined) return;
  s.reported = t;
  const error = errorWithTaskContext(m.error, t.key, t.op, t.label);
  s.transition(t, "erred", { kind: "failed", error, blame: t });
}

/**
 * The worker could not fetch `dep` from any holder and dropped `key`. Those holders no longer count as holding
 * `dep`; if nobody does, `dep` is recomputed, otherwise `key` is sent again with the remaining holders.
 */
export function missingData(s: SchedulerCore, m: MissingData): void {
  const t = currentRun(s, m.workerId, m.key, m.runId);
  const dep = s.tasks.get(m.dep);
  if (t === undefined || dep === undefined || !t.dependencies.has(dep)) return;
  for (const id of m.holders) {
    const hw = s.workers.get(id);
    if (hw === undefined || !dep.removeHolder(hw)) continue;
    hw.hasWhat.delete(dep);
    hw.nbytes -= dep.nbytes;
    s.free(hw, dep.key);
  }
  if (dep.state === "memory" && dep.whoHas.size === 0) s.recommend(dep, "released");
  else s.recommend(t, "waiting");
}

export function workerHeartbeat(s: SchedulerCore, m: WorkerHeartbeat): void {
  const w = s.workers.get(m.workerId);
  if (w === undefined) return;
  w.memory = m.memory;
  w.spilled = m.spilled ?? 0;
  w.paused = m.paused ?? false;
}

/** Any message from a worker shows it is alive. */
export function workerSeen(s: SchedulerCore, workerId: string): void {
  const w = s.workers.get(workerId);
  if (w !== undefined) w.lastSeen = s.time;
}

/**
 * The shell's timer. Workers not heard from for workerTimeoutMs are removed as dead (the worker-removed path) and
 * told so with rejoin.
 * If the ticks themselves were late by more than half the timeout, this process was stalled (a long synchronous
 * op, a GC pause) and silence proves nothing: every worker gets a fresh timeout instead.
 */
export function tick(s: SchedulerCore): void {
  const stalled = s.lastTick !== null && s.time - s.lastTick > s.workerTimeoutMs / 2;
  s.lastTick = s.time;
  for (const w of [...s.workers.values()]) {
    if (stalled) {
      w.lastSeen = Math.max(w.lastSeen, s.time);
      continue;
    }
    const silent = s.time - w.lastSeen;
    if (silent > s.workerTimeoutMs) {
      // Told, in case it is alive after all (a long pause): it drops what it holds and joins again as new.
      s.send({ op: "rejoin", stimulusId: s.stimulusId, workerId: w.id, reason: `no message for ${silent} ms (timeout ${s.workerTimeoutMs} ms)` });
      removeWorker(s, w, true);
    }
  }
}
