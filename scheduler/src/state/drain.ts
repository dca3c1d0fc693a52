// Draining a worker: no new tasks, its running ones finish (or are stolen), its results are copied to peers, then it closes.
import { ExecutionError } from "@tessera/common";
import type { AddKeys, DepLocation, RetireWorker, WorkerRetiring } from "@tessera/protocol";
import type { Retirement, SchedTask, SchedWorker } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import { removeWorker } from "./worker-removal.js";

/** Copies of one result asked before it is left to lineage (recomputed if needed after the worker closes). */
const MAX_COPY_ATTEMPTS = 3;

/** A client asks to drain a worker (`tessera worker --drain NAME`); answered with worker-retired once it closed. */
export function retireWorker(s: SchedulerCore, m: RetireWorker): void {
  const w = s.workers.get(m.workerId);
  if (w === undefined) {
    const error = new ExecutionError("UNKNOWN_WORKER", `no worker named ${m.workerId} is connected`, { worker: m.workerId }).toInfo();
    s.send({ op: "worker-retired", stimulusId: s.stimulusId, clientId: m.clientId, workerId: m.workerId, keys: 0, nbytes: 0, error });
    return;
  }
  startRetiring(s, w).requestedBy.push(m.clientId);
}

/** The worker itself is shutting down (SIGTERM). */
export function workerRetiring(s: SchedulerCore, m: WorkerRetiring): void {
  const w = s.workers.get(m.workerId);
  if (w !== undefined) startRetiring(s, w);
}

/** `w` leaves the worker index's idle and root sets, and idle peers may steal what it has not started. */
function startRetiring(s: SchedulerCore, w: SchedWorker): Retirement {
  s.retiring.add(w);
  return w.startRetiring();
}

/** A peer's answer to acquire-replicas: it holds `keys` (a second holder each), it could not fetch `failed`. */
export function addKeys(s: SchedulerCore, m: AddKeys): void {
  const w = s.workers.get(m.workerId);
  if (w === undefined) return;
  for (const { key, nbytes } of m.keys) {
    const t = s.tasks.get(key);
    if (t === undefined || t.state !== "memory") {
      s.free(w, key);
      continue;
    }
    if (!t.whoHas.has(w)) {
      t.addHolder(w);
      w.hasWhat.add(t);
      w.nbytes += t.nbytes;
    }
    for (const r of s.retiring) {
      const ret = r.retiring as Retirement;
      if (ret.replicas.get(t) !== w) continue;
      ret.replicas.delete(t);
      ret.moved++;
      ret.movedBytes += nbytes;
    }
  }
  for (const key of m.failed) {
    const t = s.tasks.get(key);
    if (t === undefined) continue;
    for (const r of s.retiring) if (r.retiring?.replicas.get(t) === w) r.retiring.replicas.delete(t);
  }
}

/**
 * Runs after every stimulus while some worker drains. A draining worker with no task left asks peers to copy each
 * result only it holds (acquire-replicas, to the peer with the most room), in rounds: the next round starts once
 * every copy of the last one was answered, so a stimulus costs nothing while copies are under way. Once every
 * result is held elsewhere (or no peer managed to copy it in MAX_COPY_ATTEMPTS tries) the worker is told
 * close-worker and removed without a death: nothing it held is lost, so nothing is computed again.
 */
export function drainStep(s: SchedulerCore): void {
  for (const w of [...s.retiring]) {
    const r = w.retiring as Retirement;
    if (w.processing.size > 0 || r.replicas.size > 0) continue;
    const peers = [...s.workers.values()].filter((p) => p.retiring === null);
    const planned = new Map<SchedWorker, number>();
    const asks = new Map<SchedWorker, DepLocation[]>();
    let copying = false;
    for (const t of w.hasWhat) {
      if (t.whoHas.size > 1) continue;
      const tries = r.attempts.get(t) ?? 0;
      if (tries >= MAX_COPY_ATTEMPTS || peers.length === 0) continue;
      const target = roomiest(peers, planned, t);
      r.attempts.set(t, tries + 1);
      r.replicas.set(t, target);
      planned.set(target, (planned.get(target) ?? 0) + t.nbytes);
      const list = asks.get(target);
      const loc: DepLocation = { key: t.key, whoHas: [w.id], nbytes: t.nbytes };
      if (list === undefined) asks.set(target, [loc]);
      else list.push(loc);
      copying = true;
    }
    for (const [target, keys] of asks) s.send({ op: "acquire-replicas", stimulusId: s.stimulusId, workerId: target.id, keys });
    if (!copying) finishRetirement(s, w, r);
  }
}

/** The peer whose held bytes, plus what this step already gave it, fill the smallest fraction of its memory limit. */
function roomiest(peers: readonly SchedWorker[], planned: ReadonlyMap<SchedWorker, number>, t: SchedTask): SchedWorker {
  let best = peers[0] as SchedWorker;
  let bestFill = Number.POSITIVE_INFINITY;
  for (const p of peers) {
    const fill = (p.nbytes + (planned.get(p) ?? 0) + t.nbytes) / Math.max(1, p.memoryLimit);
    if (fill < bestFill) {
      best = p;
      bestFill = fill;
    }
  }
  return best;
}

function finishRetirement(s: SchedulerCore, w: SchedWorker, r: Retirement): void {
  s.retiring.delete(w);
  s.send({ op: "close-worker", stimulusId: s.stimulusId, workerId: w.id, reason: `drained: ${r.moved} results (${r.movedBytes} bytes) moved to peers` });
  for (const clientId of r.requestedBy) {
    s.send({ op: "worker-retired", stimulusId: s.stimulusId, clientId, workerId: w.id, keys: r.moved, nbytes: r.movedBytes });
  }
  removeWorker(s, w, false);
}
