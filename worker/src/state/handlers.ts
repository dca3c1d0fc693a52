// How the worker reacts to each stimulus: assignments and frees from the scheduler, results of runs and fetches.
import { assertNever } from "@tessera/common";
import type { ComputeTask, FreeKeys, StealRequest } from "@tessera/protocol";
import type { WorkerCore } from "./worker-core.js";
import type { WTask, WorkerTaskStateName } from "./worker-task.js";
import type { ExecuteFailure, ExecuteSuccess, GatherDepFailure, GatherDepSuccess, MemoryState } from "./stimuli.js";
import { copyFailed, reportArrivals } from "./handlers-cluster.js";

/** Links `t` to its inputs and moves it to ready or waiting; inputs held by nobody are reported missing. */
function setupCompute(w: WorkerCore, t: WTask): void {
  const missing: WTask[] = [];
  for (const loc of t.deps) {
    const d = w.getOrCreate(loc.key, t.priority);
    if (!t.linkInput(d)) continue;
    if (d.state === "memory") continue;
    t.waitFor(d);
    if (d.state === "released" || d.state === "fetch") {
      d.whoHas = loc.whoHas.filter((p) => p !== w.workerId && !d.tried.includes(p));
      d.nbytes = loc.nbytes;
      // New holders of a key already in fetch may be free to gather from.
      if (d.state === "fetch") w.gathersChanged();
      if (d.whoHas.length > 0) w.transition(d, "fetch");
      else missing.push(d);
    }
  }
  w.transition(t, t.waitingFor.size === 0 ? "ready" : "waiting");
  for (const d of missing) giveUp(w, d);
}

/**
 * A compute-task. A key already held is reported at once; one being computed or fetched keeps going under
 * the new run id; a cancelled run resumes.
 */
export function computeTask(w: WorkerCore, m: ComputeTask): void {
  const t = w.getOrCreate(m.key, m.priority);
  if (t.runId === m.runId) return;
  t.runId = m.runId;
  t.spec = m.spec;
  t.deps = m.deps;
  switch (t.state) {
    case "memory":
      reportFinished(w, t, m.runId);
      return;
    case "cancelled":
      w.transition(t, "executing");
      return;
    case "waiting":
    case "ready":
    case "executing":
    case "flight":
      return;
    case "released":
    case "fetch":
      t.priority = m.priority;
      setupCompute(w, t);
      return;
    default:
      assertNever(t.state, "worker task state");
  }
}

export function freeKeys(w: WorkerCore, m: FreeKeys): void {
  for (const key of m.keys) {
    const t = w.tasks.get(key);
    if (t === undefined) continue;
    t.runId = null;
    t.kept = false;
    w.releaseIfUnneeded(t);
  }
}

/** Reports `t` finished; the first report after running it here says when and on which thread it ran. */
function reportFinished(w: WorkerCore, t: WTask, runId: number): void {
  const ms = t.runMs;
  if (ms === null) {
    w.send({ op: "task-finished", stimulusId: w.stimulusId, workerId: w.workerId, key: t.key, runId, nbytes: t.nbytes });
    return;
  }
  t.runMs = null;
  w.send({
    op: "task-finished", stimulusId: w.stimulusId, workerId: w.workerId, key: t.key, runId, nbytes: t.nbytes,
    startedAt: w.time - ms, finishedAt: w.time, thread: t.thread,
  });
}

/** `t` is now local: its local dependents may become ready; a key the scheduler asked for is reported. */
function arrived(w: WorkerCore, t: WTask): void {
  if (t.runId !== null) reportFinished(w, t, t.runId);
  for (const d of t.dependents) {
    if (d.state === "waiting" && d.stopWaitingFor(t) && d.waitingFor.size === 0) w.transition(d, "ready");
  }
  w.releaseIfUnneeded(t);
}

export function executeSuccess(w: WorkerCore, m: ExecuteSuccess): void {
  if (m.runMs !== undefined) w.recordRun(m.runMs);
  const t = w.tasks.get(m.key);
  if (t === undefined || (t.state !== "executing" && t.state !== "cancelled")) {
    w.dropData(m.key);
    return;
  }
  t.nbytes = m.nbytes;
  if (m.runMs !== undefined) {
    t.runMs = m.runMs;
    t.thread = m.thread ?? 0;
  }
  if (t.state === "cancelled" && !t.needed) {
    w.transition(t, "released");
    return;
  }
  w.transition(t, "memory");
  arrived(w, t);
  reportArrivals(w, [t]);
}

export function executeFailure(w: WorkerCore, m: ExecuteFailure): void {
  const t = w.tasks.get(m.key);
  if (t === undefined || (t.state !== "executing" && t.state !== "cancelled")) return;
  if (t.state === "executing" && t.runId !== null) {
    w.send({ op: "task-erred", stimulusId: w.stimulusId, workerId: w.workerId, key: t.key, runId: t.runId, error: m.error });
  }
  w.transition(t, "released");
}

export function gatherDepSuccess(w: WorkerCore, m: GatherDepSuccess): void {
  w.gathers.delete(m.from);
  w.gathersChanged();
  const landed: WTask[] = [];
  for (const { key, nbytes } of m.data) {
    const t = w.tasks.get(key);
    if (t === undefined || t.state !== "flight" || t.flightFrom !== m.from) {
      if (t?.state !== "memory") w.dropData(key);
      continue;
    }
    t.nbytes = nbytes;
    w.transition(t, "memory");
    arrived(w, t);
    landed.push(t);
  }
  reportArrivals(w, landed);
  for (const key of m.missing) fetchFailed(w, key, m.from);
}

export function gatherDepFailure(w: WorkerCore, m: GatherDepFailure): void {
  w.gathers.delete(m.from);
  w.gathersChanged();
  for (const key of m.keys) fetchFailed(w, key, m.from);
}

/** `from` could not serve `key`: try the next holder, compute it here if assigned, else report it missing. */
function fetchFailed(w: WorkerCore, key: string, from: string): void {
  const t = w.tasks.get(key);
  if (t === undefined || t.state !== "flight" || t.flightFrom !== from) return;
  t.whoHas = t.whoHas.filter((p) => p !== from);
  if (!t.tried.includes(from)) t.tried = [...t.tried, from];
  if (!t.needed) w.transition(t, "released");
  else if (t.whoHas.length > 0) w.transition(t, "fetch");
  else if (t.runId !== null && t.spec !== null) {
    t.tried = [];
    setupCompute(w, t);
  } else giveUp(w, t);
}

/**
 * No holder can serve `d`: every local task waiting for it is dropped and reported to the scheduler as
 * missing-data, so the scheduler can correct who holds `d` (recomputing it if nobody does) and resend them.
 */
function giveUp(w: WorkerCore, d: WTask): void {
  copyFailed(w, d);
  for (const t of [...d.dependents]) {
    if (t.runId !== null) {
      w.send({ op: "missing-data", stimulusId: w.stimulusId, workerId: w.workerId, key: t.key, runId: t.runId, dep: d.key, holders: [...d.tried] });
    }
    t.runId = null;
    w.transition(t, "released");
  }
  if (d.state !== "released") w.transition(d, "released");
  else w.forget(d);
}

/**
 * The scheduler wants to move run `runId` of `key` to another worker. Dropped if it has not started (waiting or
 * ready) and no other local task needs it; the answer always carries the state the key was in.
 */
export function stealRequest(w: WorkerCore, m: StealRequest): void {
  const t = w.tasks.get(m.key);
  let state: WorkerTaskStateName | "forgotten" = t?.state ?? "forgotten";
  if (t !== undefined && t.runId === m.runId && (state === "waiting" || state === "ready")) {
    if (t.dependents.size === 0) {
      t.runId = null;
      w.transition(t, "released");
    } else {
      state = "executing"; // a local task needs it: kept, and reported as not stealable
    }
  }
  w.send({ op: "steal-response", stimulusId: w.stimulusId, workerId: w.workerId, key: m.key, runId: m.runId, state });
}

/** Pauses or resumes starting tasks; tells the scheduler at once with a heartbeat, so it stops sending root tasks. */
export function memoryState(w: WorkerCore, m: MemoryState): void {
  if (w.paused === m.paused) return;
  w.paused = m.paused;
  w.send({
    op: "worker-heartbeat", stimulusId: w.stimulusId, workerId: w.workerId, memory: m.memory, spilled: m.spilled,
    executing: w.executing.size, ready: w.readyCount(), paused: m.paused,
  });
}
