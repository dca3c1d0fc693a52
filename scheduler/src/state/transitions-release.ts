// Transitions that let go of a task: cancel it, free its result on workers, forget it once nothing refers to it.
import type { SchedTask } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { detachProcessing } from "./transitions-forward.js";

/** `t` no longer waits for its inputs: drop it from their waiters and release inputs nobody needs. */
export function stopWaiting(s: SchedulerCore, t: SchedTask): void {
  t.clearWaitingOn();
  for (const dep of t.dependencies) {
    if (dep.removeWaiter(t)) s.releaseIfUnneeded(dep);
  }
}

/** Settles a task that just became released: back to waiting if still needed, else maybe forgotten. */
function settleReleased(s: SchedulerCore, t: SchedTask): void {
  if (t.needed) s.recommend(t, "waiting");
  else s.releaseIfUnneeded(t);
}

/** waiting->released and queued->released (a queued task's heap entry goes stale). */
export function waitingToReleased(s: SchedulerCore, t: SchedTask): void {
  t.state = "released";
  stopWaiting(s, t);
  settleReleased(s, t);
}

/** Cancels the task on its worker. */
export function processingToReleased(s: SchedulerCore, t: SchedTask): void {
  const w = detachProcessing(t);
  if (w !== null) s.free(w, t.key);
  t.state = "released";
  stopWaiting(s, t);
  settleReleased(s, t);
}

/**
 * Frees the result on every holder. Dependents that were about to use it go back to waiting; if it is
 * still needed (it was lost, not released) it is recomputed from its lineage.
 */
export function memoryToReleased(s: SchedulerCore, t: SchedTask): void {
  for (const w of t.whoHas) {
    w.hasWhat.delete(t);
    w.nbytes -= t.nbytes;
    s.free(w, t.key);
  }
  t.clearHolders();
  t.state = "released";
  for (const d of t.dependents) {
    if (d.state === "processing" || d.state === "queued") s.recommend(d, "waiting");
    else if (d.state === "waiting") d.waitOn(t);
  }
  settleReleased(s, t);
}

export function erredToReleased(s: SchedulerCore, t: SchedTask): void {
  t.state = "released";
  t.error = null;
  t.blame = null;
  settleReleased(s, t);
}

/** Drops the task; its inputs may now be forgotten too. */
export function releasedToForgotten(s: SchedulerCore, t: SchedTask): void {
  s.tasks.delete(t.key);
  t.state = "forgotten";
  for (const dep of t.dependencies) {
    t.unlinkFromInput(dep);
    s.releaseIfUnneeded(dep);
  }
}
