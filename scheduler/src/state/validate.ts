// Cross-checks every scheduler invariant (validate mode); any violation is a bug and throws InternalError.
import { InternalError, assertNever } from "@tessera/common";
import type { SchedTask } from "./entities.js";
import type { SchedulerCore } from "./core.js";

function fail(s: SchedulerCore, message: string, key?: string): never {
  throw new InternalError("INVALID_STATE", `scheduler invariant violated after ${s.stimulusId}: ${message}`, { key, stimulusId: s.stimulusId });
}

function check(s: SchedulerCore, cond: boolean, message: string, t?: SchedTask): void {
  if (!cond) fail(s, t === undefined ? message : `task ${t.key} (${t.state}): ${message}`, t?.key);
}

function validateTask(s: SchedulerCore, t: SchedTask): void {
  check(s, s.tasks.get(t.key) === t, "not registered under its key", t);
  for (const dep of t.dependencies) check(s, dep.dependents.has(t) && s.tasks.get(dep.key) === dep, `input ${dep.key} does not link back`, t);
  for (const d of t.dependents) check(s, d.dependencies.has(t), `dependent ${d.key} does not link back`, t);
  for (const d of t.waiters) {
    check(s, d.dependencies.has(t), `waiter ${d.key} is not a dependent`, t);
    check(s, d.state === "waiting" || d.state === "queued" || d.state === "processing", `waiter ${d.key} is ${d.state}`, t);
  }
  const inputsHeld = [...t.dependencies].every((d) => d.state === "memory");
  check(s, (t.processingOn !== null) === (t.state === "processing"), "processingOn set exactly while processing", t);
  check(s, (t.whoHas.size > 0) === (t.state === "memory"), "holders exist exactly while in memory", t);
  check(s, (t.error !== null) === (t.state === "erred"), "error set exactly while erred", t);
  check(s, t.stealThief === null || t.state === "processing", "a steal pending while not processing", t);
  check(s, t.rootEstimate === 0 || t.state === "processing", "root bytes counted while not processing", t);
  for (const job of t.jobs) check(s, job.pending > 0 && job.status === "running", `job ${job.jobId} has it pending but counts none`, t);
  switch (t.state) {
    case "released":
      check(s, t.waitingOn.size === 0, "released but waiting on inputs", t);
      check(s, !t.needed, "released but needed", t);
      check(s, t.dependents.size > 0, "released with no dependents should be forgotten", t);
      break;
    case "waiting":
      check(s, t.waitingOn.size > 0, "waiting on nothing", t);
      for (const d of t.dependencies) check(s, t.waitingOn.has(d) === (d.state !== "memory"), `waitingOn disagrees about ${d.key}`, t);
      for (const d of t.dependencies) check(s, d.waiters.has(t), `not a waiter of ${d.key}`, t);
      check(s, t.needed, "waiting but not needed", t);
      break;
    case "queued":
    case "processing":
      check(s, inputsHeld, "inputs not all in memory", t);
      for (const d of t.dependencies) check(s, d.waiters.has(t), `not a waiter of ${d.key}`, t);
      check(s, t.needed, `${t.state} but not needed`, t);
      if (t.processingOn !== null) {
        check(s, s.workers.get(t.processingOn.id) === t.processingOn, "processing on a removed worker", t);
        check(s, t.processingOn.processing.has(t), "its worker does not list it", t);
      }
      break;
    case "memory":
      for (const w of t.whoHas) {
        check(s, s.workers.get(w.id) === w, `held by removed worker ${w.id}`, t);
        check(s, w.hasWhat.has(t), `holder ${w.id} does not list it`, t);
      }
      check(s, t.needed, "in memory but not needed", t);
      break;
    case "erred":
      check(s, t.blame !== null, "erred without blame", t);
      break;
    case "forgotten":
      fail(s, `task ${t.key} is forgotten but still registered`, t.key);
      break;
    default:
      assertNever(t.state, "task state");
  }
}

/** The worker index files every live worker by its current load, pause and drain, and nothing else. */
function validateIndex(s: SchedulerCore): void {
  const { idle, saturated, rootRoom } = s.index;
  for (const w of s.workers.values()) {
    for (const t of w.stealable) check(s, w.processing.has(t), `stealable on ${w.id} but not processing there`, t);
    check(s, (w.retiring !== null) === s.retiring.has(w), `worker ${w.id} drain mark and the draining set disagree`);
    check(s, idle.has(w) === w.idleSlots > 0, `worker ${w.id} idle filing is stale`);
    check(s, saturated.has(w) === (w.excess > 0 && w.stealable.size > w.outgoingSteals), `worker ${w.id} saturated filing is stale`);
    check(s, rootRoom.has(w) === s.index.hasRootRoom(w), `worker ${w.id} root-room filing is stale`);
  }
  for (const set of [idle, saturated, rootRoom]) {
    for (const w of set) check(s, s.workers.get(w.id) === w && !w.retired, `worker ${w.id} is filed in the index but gone`);
  }
}

/** Throws InternalError when any invariant between tasks, workers and jobs does not hold. */
export function validateState(s: SchedulerCore): void {
  for (const t of s.tasks.values()) validateTask(s, t);
  let processing = 0;
  for (const w of s.workers.values()) {
    processing += w.processing.size;
    for (const t of w.processing) check(s, t.state === "processing" && t.processingOn === w, `listed as processing on ${w.id}`, t);
    let bytes = 0;
    for (const t of w.hasWhat) {
      check(s, t.state === "memory" && t.whoHas.has(w), `listed as held by ${w.id}`, t);
      bytes += t.nbytes;
    }
    check(s, bytes === w.nbytes, `worker ${w.id} byte count ${w.nbytes} != ${bytes}`);
    let rootBytes = 0;
    let outgoing = 0;
    for (const t of w.processing) {
      rootBytes += t.rootEstimate;
      if (t.stealThief !== null) outgoing++;
    }
    check(s, rootBytes === w.rootBytes, `worker ${w.id} root bytes ${w.rootBytes} != ${rootBytes}`);
    check(s, outgoing === w.outgoingSteals, `worker ${w.id} outgoing steals ${w.outgoingSteals} != ${outgoing}`);
    let incoming = 0;
    for (const t of s.tasks.values()) if (t.stealThief === w) incoming++;
    check(s, incoming === w.incomingSteals, `worker ${w.id} incoming steals ${w.incomingSteals} != ${incoming}`);
  }
  validateIndex(s);
  for (const w of s.retiring) {
    check(s, s.workers.get(w.id) === w && w.retiring !== null, `draining worker ${w.id} is not live or not marked`);
    for (const [t, target] of w.retiring?.replicas ?? []) {
      check(s, s.workers.get(target.id) === target, `copy of ${t.key} asked of ${target.id}, not a live worker`, t);
    }
  }
  let inState = 0;
  for (const t of s.tasks.values()) if (t.state === "processing") inState++;
  check(s, processing === inState, `${inState} processing tasks but workers list ${processing}`);
  for (const job of s.jobs.values()) {
    check(s, s.clients.get(job.clientId)?.has(job) === true, `job ${job.jobId} not listed by its client`);
    const pending = job.pendingTasks();
    check(s, pending.length === job.pending, `job ${job.jobId} counts ${job.pending} pending tasks but lists ${pending.length}`);
    for (const t of pending) check(s, t.state !== "memory", `pending in job ${job.jobId}`, t);
    for (const o of job.outputs) check(s, o.wantedBy.has(job) || job.status !== "running", `output of job ${job.jobId} not wanted`, o);
  }
}
