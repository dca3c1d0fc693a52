// Cross-checks the worker's invariants (validate mode); any violation is a bug and throws InternalError.
import { InternalError, assertNever } from "@tessera/common";
import { MAX_RUN_AHEAD_PER_THREAD } from "./worker-core.js";
import type { WorkerCore } from "./worker-core.js";
import type { WTask } from "./worker-task.js";

function check(w: WorkerCore, cond: boolean, message: string, t?: WTask): void {
  if (cond) return;
  const what = t === undefined ? message : `${t.key} (${t.state}): ${message}`;
  throw new InternalError("INVALID_STATE", `worker ${w.workerId} invariant violated after ${w.stimulusId}: ${what}`, { key: t?.key, stimulusId: w.stimulusId });
}

export function validateWorker(w: WorkerCore): void {
  const slots = w.runAheadMs > 0 ? w.nthreads * (1 + MAX_RUN_AHEAD_PER_THREAD) : w.nthreads;
  check(w, w.executing.size <= slots, `${w.executing.size} executing on ${w.nthreads} threads`);
  for (const t of w.executing) check(w, t.state === "executing" || t.state === "cancelled", "listed as executing", t);
  for (const t of w.fetch) {
    check(w, t.state === "fetch" && w.tasks.get(t.key) === t, "listed as fetch", t);
    // A fetch waits only for a gather slot or for a peer already being gathered from (ensureCommunicating).
    check(w, w.gathers.size >= w.maxGathers || t.whoHas.every((p) => w.gathers.has(p)), "could be gathered but is not", t);
  }
  for (const t of w.tasks.values()) {
    for (const d of t.dependencies) check(w, d.dependents.has(t) && w.tasks.get(d.key) === d, `input ${d.key} does not link back`, t);
    for (const d of t.dependents) {
      check(w, d.dependencies.has(t), `dependent ${d.key} does not link back`, t);
      check(w, d.state === "waiting" || d.state === "ready", `dependent ${d.key} is ${d.state}`, t);
    }
    check(w, (t.flightFrom !== null) === (t.state === "flight"), "flightFrom set exactly while in flight", t);
    switch (t.state) {
      case "waiting":
        check(w, t.waitingFor.size > 0, "waiting for nothing", t);
        for (const d of t.dependencies) check(w, t.waitingFor.has(d) === (d.state !== "memory"), `waitingFor disagrees about ${d.key}`, t);
        check(w, t.spec !== null, "waiting without a spec", t);
        break;
      case "ready":
        for (const d of t.dependencies) check(w, d.state === "memory", `ready but input ${d.key} is ${d.state}`, t);
        check(w, t.spec !== null, "ready without a spec", t);
        break;
      case "executing":
      case "cancelled":
        check(w, w.executing.has(t), "not counted as executing", t);
        check(w, t.dependencies.size === 0, "still linked to its inputs", t);
        break;
      case "fetch":
        check(w, w.fetch.has(t) && t.whoHas.length > 0, "fetch without holders", t);
        check(w, t.needed, "fetch but not needed", t);
        break;
      case "flight":
        check(w, w.gathers.get(t.flightFrom ?? "")?.includes(t.key) === true, "in flight outside any gather", t);
        break;
      case "memory":
        check(w, t.needed, "held but not needed", t);
        break;
      case "released":
        check(w, t.dependents.size > 0, "released and unreferenced but not forgotten", t);
        break;
      default:
        assertNever(t.state, "worker task state");
    }
  }
}
