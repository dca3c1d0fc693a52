// Transitions that move a task toward a result: waiting for inputs, queued, sent to a worker, held in memory.
import { InternalError } from "@tessera/common";
import type { SchedTask, SchedWorker } from "./entities.js";
import type { SchedulerCore, TransitionArg } from "./core.js";
import { taskReachedMemory } from "./jobs.js";

/**
 * Registers `t` as a waiter on its inputs and starts (re)computing inputs that are not held anywhere; once ready it
 * goes to `assignTo` if given, else where decideWorker says.
 */
function enterWaiting(s: SchedulerCore, t: SchedTask, assignTo?: SchedWorker): void {
  t.state = "waiting";
  t.clearWaitingOn();
  let erredDep: SchedTask | undefined;
  for (const dep of t.dependencies) {
    dep.addWaiter(t);
    if (dep.state === "memory") continue;
    t.waitOn(dep);
    if (dep.state === "erred") erredDep = dep;
    else if (dep.state === "released") s.recommend(dep, "waiting");
  }
  if (erredDep !== undefined && erredDep.error !== null) {
    s.recommend(t, "erred", { kind: "failed", error: erredDep.error, blame: erredDep.blame ?? erredDep });
  } else if (t.waitingOn.size === 0) {
    s.recommend(t, "processing", assignTo === undefined ? undefined : { kind: "assign", worker: assignTo });
  }
}

export function releasedToWaiting(s: SchedulerCore, t: SchedTask): void {
  if (!t.needed) return s.releaseIfUnneeded(t);
  enterWaiting(s, t);
}

export function queuedToWaiting(s: SchedulerCore, t: SchedTask): void {
  enterWaiting(s, t);
}

/**
 * Back to waiting after its worker died or one of its inputs was lost (cancelling it on a live worker), or after
 * its worker gave it up for a steal (no cancel needed: the worker dropped it), on the way to the thief.
 */
export function processingToWaiting(s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined): void {
  const w = detachProcessing(t);
  if (w !== null && arg?.kind !== "worker-gone" && arg?.kind !== "stolen") s.free(w, t.key);
  enterWaiting(s, t, arg?.kind === "stolen" ? arg.thief : undefined);
}

export function waitingToQueued(s: SchedulerCore, t: SchedTask): void {
  t.state = "queued";
  s.enqueue(t);
}

/**
 * Sends the task to a worker (given by `arg`, else decided here); with no worker available it is queued instead,
 * and if an input is missing after all it stays waiting.
 */
export function toProcessing(s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined): void {
  // A stale recommendation: an input was lost after this task was found ready. It waits for the input again.
  if (t.waitingOn.size > 0) return;
  const w = arg?.kind === "assign" ? arg.worker : s.decideWorker(t);
  if (w === undefined) {
    t.state = "queued";
    s.enqueue(t);
    return;
  }
  t.state = "processing";
  t.processingOn = w;
  w.addProcessing(t, s.stealable(t, w));
  t.runId = ++s.runCounter;
  if (t.computed) s.recomputed++;
  if (t.isRoot) {
    t.rootEstimate = s.rootEstimate(t);
    w.rootBytes += t.rootEstimate;
    // A run of root tasks on w goes on until it is full (see SchedulerCore.rootWorker).
    w.rootRun = w.processing.size < s.rootCap(t, w);
  }
  s.send({
    op: "compute-task",
    stimulusId: s.stimulusId,
    workerId: w.id,
    key: t.key,
    runId: t.runId,
    spec: t.spec,
    deps: t.inputs.length === 0 ? [] : s.depLocations(t),
    priority: t.priority,
  });
  s.sentTasks.push(t);
}

/** The worker holds the result: dependents may become ready, inputs nobody needs any more are released. */
export function processingToMemory(s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined): void {
  if (arg?.kind !== "finished") throw new InternalError("BAD_TRANSITION", `processing->memory of ${t.key} without a result`);
  detachProcessing(t);
  reachMemory(s, t, arg.worker, arg.nbytes);
  if (t.isRoot) s.recordRootSize(t);
}

/** `t` (no longer processing or waiting) is held by `worker`: dependents may become ready, its jobs progress. */
export function reachMemory(s: SchedulerCore, t: SchedTask, worker: SchedWorker, nbytes: number): void {
  t.state = "memory";
  t.computed = true;
  t.nbytes = nbytes;
  t.addHolder(worker);
  worker.hasWhat.add(t);
  worker.nbytes += t.nbytes;
  for (const d of t.dependents) {
    // A dependent no longer needed (results adopted from a rejoining worker) has its release pending already.
    if (d.state === "waiting" && d.stopWaitingOn(t) && d.waitingOn.size === 0 && d.needed) s.recommend(d, "processing");
  }
  for (const dep of t.dependencies) {
    if (dep.removeWaiter(t)) s.releaseIfUnneeded(dep);
  }
  taskReachedMemory(s, t);
  s.releaseIfUnneeded(t);
}

/** Takes `t` off the worker it was processing on (with its root bytes and any pending steal); returns that worker. */
export function detachProcessing(t: SchedTask): SchedWorker | null {
  const w = t.processingOn;
  if (w !== null) {
    w.removeProcessing(t);
    w.rootBytes -= t.rootEstimate;
  }
  t.rootEstimate = 0;
  cancelSteal(t);
  t.processingOn = null;
  return w;
}

/** Forgets a pending steal of `t` (its answer, if it comes, is ignored). */
export function cancelSteal(t: SchedTask): void {
  const thief = t.stealThief;
  if (thief === null) return;
  thief.adjustSteals(-1, 0);
  t.processingOn?.adjustSteals(0, -1);
  t.stealThief = null;
}
