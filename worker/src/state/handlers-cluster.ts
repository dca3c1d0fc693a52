// How the worker reacts to the cluster changing around it: copies asked by a draining peer, a lost scheduler, a rejoin.
import type { AcquireReplicas, HeldKey } from "@tessera/protocol";
import type { WorkerCore } from "./worker-core.js";
import type { WTask } from "./worker-task.js";
import type { SchedulerLost } from "./stimuli.js";

/** Fetch order of copies: after any input a local task is waiting for. */
const COPY_PRIORITY = [Number.MAX_SAFE_INTEGER, 0] as const;

/**
 * Copies of results a draining peer holds: each is fetched from the listed holders and kept, and reported with
 * add-keys once here (at once if already held); a key no holder can serve is reported as failed.
 */
export function acquireReplicas(w: WorkerCore, m: AcquireReplicas): void {
  const held: HeldKey[] = [];
  const failed: string[] = [];
  for (const loc of m.keys) {
    const t = w.getOrCreate(loc.key, COPY_PRIORITY);
    t.kept = true;
    if (t.state === "memory") held.push({ key: t.key, nbytes: t.nbytes });
    else if (t.state === "released") {
      t.whoHas = loc.whoHas.filter((p) => p !== w.workerId);
      t.tried = [];
      t.nbytes = loc.nbytes;
      if (t.whoHas.length > 0) w.transition(t, "fetch");
      else {
        t.kept = false;
        failed.push(t.key);
        w.forget(t);
      }
    }
    // Being fetched or computed here already: reported when it arrives (see reportArrivals).
  }
  if (held.length > 0 || failed.length > 0) w.send({ op: "add-keys", stimulusId: w.stimulusId, workerId: w.workerId, keys: held, failed });
}

/** Copies (kept without a run) that just arrived in memory, reported together. */
export function reportArrivals(w: WorkerCore, arrived: readonly WTask[]): void {
  const keys: HeldKey[] = [];
  for (const t of arrived) if (t.kept && t.runId === null && t.state === "memory") keys.push({ key: t.key, nbytes: t.nbytes });
  if (keys.length > 0) w.send({ op: "add-keys", stimulusId: w.stimulusId, workerId: w.workerId, keys, failed: [] });
}

/** A copy that no holder could serve: reported as failed, so the draining peer's scheduler asks elsewhere. */
export function copyFailed(w: WorkerCore, t: WTask): void {
  if (!t.kept || t.runId !== null) return;
  t.kept = false;
  w.send({ op: "add-keys", stimulusId: w.stimulusId, workerId: w.workerId, keys: [], failed: [t.key] });
}

/**
 * The scheduler connection is gone (or the scheduler said rejoin: `keepData` false). Every assignment ends: tasks not
 * started are dropped, running ones cancelled (their results dropped), fetches left to finish and be dropped. With
 * `keepData` results stay, kept for the next scheduler, which hears of them when this worker rejoins.
 */
export function schedulerLost(w: WorkerCore, m: SchedulerLost): void {
  const tasks = [...w.tasks.values()];
  for (const t of tasks) {
    t.runId = null;
    t.kept = m.keepData && t.state === "memory";
  }
  // An input still needed by a local task is released when that task is (releasing it unlinks its inputs).
  for (const t of tasks) if (w.tasks.get(t.key) === t) w.releaseIfUnneeded(t);
}

/** Results held here, as a rejoining worker reports them. */
export function heldResults(w: WorkerCore): HeldKey[] {
  const out: HeldKey[] = [];
  for (const t of w.tasks.values()) if (t.state === "memory") out.push({ key: t.key, nbytes: t.nbytes });
  return out;
}
