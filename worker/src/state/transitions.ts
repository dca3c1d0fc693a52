// The worker's transition table: every legal "from->to" move of a key, and the bookkeeping it does.
import type { WorkerCore, WorkerTransitionTable } from "./worker-core.js";
import type { WTask } from "./worker-task.js";

function toReleased(w: WorkerCore, t: WTask): void {
  t.state = "released";
  t.runId = null;
  w.unlinkInputs(t);
  w.forget(t);
}

function toFetch(w: WorkerCore, t: WTask): void {
  t.state = "fetch";
  t.flightFrom = null;
  w.fetch.add(t);
  w.gathersChanged();
}

/** Assigned here with inputs missing; `waitingFor` was filled by the caller. */
function toWaiting(w: WorkerCore, t: WTask): void {
  w.fetch.delete(t);
  t.flightFrom = null;
  t.state = "waiting";
}

function toReady(w: WorkerCore, t: WTask): void {
  w.fetch.delete(t);
  t.flightFrom = null;
  t.state = "ready";
  w.ready.push(t);
}

/** Inputs are read by the shell as it handles the execute instruction, so they can be released right after. */
function readyToExecuting(w: WorkerCore, t: WTask): void {
  t.state = "executing";
  w.executing.add(t);
  w.emit({ op: "execute", stimulusId: w.stimulusId, key: t.key, spec: t.spec ?? { op: "missing-spec", args: null }, inputs: t.deps.map((d) => d.key) });
  w.unlinkInputs(t);
}

function toMemory(w: WorkerCore, t: WTask): void {
  w.executing.delete(t);
  t.flightFrom = null;
  t.state = "memory";
}

function fetchToFlight(w: WorkerCore, t: WTask): void {
  w.fetch.delete(t);
  t.state = "flight";
}

function fetchToReleased(w: WorkerCore, t: WTask): void {
  w.fetch.delete(t);
  toReleased(w, t);
}

function executingToReleased(w: WorkerCore, t: WTask): void {
  w.executing.delete(t);
  toReleased(w, t);
}

function memoryToReleased(w: WorkerCore, t: WTask): void {
  w.dropData(t.key);
  toReleased(w, t);
}

/** The result of a cancelled run is not wanted: drop what the shell stored. */
function cancelledToReleased(w: WorkerCore, t: WTask): void {
  w.executing.delete(t);
  w.dropData(t.key);
  toReleased(w, t);
}

export const WORKER_TRANSITIONS: WorkerTransitionTable = {
  "released->fetch": toFetch,
  "released->waiting": toWaiting,
  "released->ready": toReady,
  "fetch->flight": fetchToFlight,
  "fetch->waiting": toWaiting,
  "fetch->ready": toReady,
  "fetch->released": fetchToReleased,
  "flight->memory": toMemory,
  "flight->fetch": toFetch,
  "flight->waiting": toWaiting,
  "flight->ready": toReady,
  "flight->released": toReleased,
  "waiting->ready": toReady,
  "waiting->released": toReleased,
  "ready->executing": readyToExecuting,
  "ready->released": toReleased,
  "executing->memory": toMemory,
  "executing->released": executingToReleased,
  "executing->cancelled": (_w, t) => { t.state = "cancelled"; },
  "cancelled->executing": (_w, t) => { t.state = "executing"; },
  "cancelled->memory": toMemory,
  "cancelled->released": cancelledToReleased,
  "memory->released": memoryToReleased,
};

/** The legal "from->to" pairs, for documentation, dashboards and tests. */
export const WORKER_TRANSITION_NAMES: readonly string[] = Object.keys(WORKER_TRANSITIONS);
