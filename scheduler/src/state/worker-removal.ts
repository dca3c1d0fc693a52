// What happens when a worker leaves: its tasks wait again (or fail after repeated deaths), results only it held are lost.
import { ExecutionError } from "@tessera/common";
import { errorWithTaskContext } from "@tessera/protocol";
import type { SchedWorker } from "./entities.js";
import type { SchedulerCore } from "./core.js";

/**
 * Removes `w`. Its processing tasks go back to waiting; with `death` (it died, as opposed to draining or the
 * scheduler restarting) that counts against them, and after maxWorkerDeaths deaths a task fails with
 * TASK_KILLED_WORKERS. Results only it held are released (and recomputed if still needed). A drain it was part of,
 * as the draining worker or as the peer copying a result, is settled.
 */
export function removeWorker(s: SchedulerCore, w: SchedWorker, death: boolean): void {
  if (s.workers.get(w.id) !== w) return;
  s.workers.delete(w.id);
  w.retire();
  for (const t of w.processing) {
    if (death) (t.suspects ??= []).push(w.id);
    const suspects = t.suspects ?? [];
    if (suspects.length < s.maxWorkerDeaths) {
      s.recommend(t, "waiting", { kind: "worker-gone" });
      continue;
    }
    const message =
      `task ${t.key} was processing on ${suspects.length} workers that died (${suspects.join(", ")}); ` +
      "it may be crashing its worker or exhausting its memory";
    const error = new ExecutionError("TASK_KILLED_WORKERS", message, { workers: [...suspects] }).toInfo();
    s.recommend(t, "erred", { kind: "failed", error: errorWithTaskContext(error, t.key, t.op, t.label), blame: t });
  }
  for (const t of w.hasWhat) {
    t.removeHolder(w);
    if (t.whoHas.size === 0) s.recommend(t, "released");
  }
  w.hasWhat.clear();
  w.nbytes = 0;
  settleRetirements(s, w);
}

/** `w` left: if it was draining, whoever asked hears it left undrained; copies it was making are forgotten. */
function settleRetirements(s: SchedulerCore, w: SchedWorker): void {
  if (s.retiring.size === 0) return;
  const r = w.retiring;
  if (r !== null && s.retiring.delete(w)) {
    const error = new ExecutionError("WORKER_LOST", `worker ${w.id} left before its results were moved to peers`, { worker: w.id }).toInfo();
    for (const clientId of r.requestedBy) {
      s.send({ op: "worker-retired", stimulusId: s.stimulusId, clientId, workerId: w.id, keys: r.moved, nbytes: r.movedBytes, error });
    }
  }
  for (const other of s.retiring) {
    const replicas = other.retiring?.replicas;
    if (replicas === undefined) continue;
    for (const [t, target] of replicas) if (target === w) replicas.delete(t);
  }
}
