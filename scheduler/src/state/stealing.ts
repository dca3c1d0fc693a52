// Work stealing: move processing-but-not-started tasks from saturated workers to idle ones (steal-request/response).
import { comparePriority } from "@tessera/protocol";
import type { SchedTask, SchedWorker } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import type { StealResponse } from "@tessera/protocol";
import { cancelSteal } from "./transitions-forward.js";

/** Threads of `w` with nothing to run, counting tasks already on their way to it by steals (none when paused or draining). */
function idleSlots(w: SchedWorker): number {
  return w.paused || w.retiring !== null ? 0 : w.nthreads - w.processing.size - w.incomingSteals;
}

/** Tasks on `w` beyond what its threads run (all of them when paused or draining), not counting ones already being stolen. */
function excess(w: SchedWorker): number {
  return w.processing.size - w.outgoingSteals - (w.paused || w.retiring !== null ? 0 : w.nthreads);
}

/**
 * The task of `victim` least likely to have started: the lowest priority one (workers run highest priority
 * first) that is not being stolen and has not refused a steal of its current run.
 */
function candidate(victim: SchedWorker): SchedTask | undefined {
  let best: SchedTask | undefined;
  for (const t of victim.processing) {
    if (t.stealThief !== null || t.stealFailedRun === t.runId) continue;
    if (best === undefined || comparePriority(t.priority, best.priority) > 0) best = t;
  }
  return best;
}

/**
 * Runs after every stimulus once the queues are drained. While some worker has idle threads and another has
 * more tasks processing than threads, asks the busiest such worker to give up its lowest-priority task:
 * `steal-request {key, runId}`. Nothing moves until the victim answers (see stealResponse).
 */
export function balance(s: SchedulerCore): void {
  let thieves: SchedWorker[] | undefined;
  for (const w of s.workers.values()) if (idleSlots(w) > 0) (thieves ??= []).push(w);
  if (thieves === undefined) return;
  const victims = [...s.workers.values()].filter((w) => excess(w) > 0);
  if (victims.length === 0) return;
  thieves.sort((a, b) => a.load - b.load);
  for (const thief of thieves) {
    while (idleSlots(thief) > 0) {
      let victim: SchedWorker | undefined;
      let t: SchedTask | undefined;
      for (const v of victims) {
        if (v === thief || excess(v) <= 0 || (victim !== undefined && excess(v) <= excess(victim))) continue;
        const c = candidate(v);
        if (c === undefined) continue;
        victim = v;
        t = c;
      }
      if (victim === undefined || t === undefined) return;
      t.stealThief = thief;
      thief.incomingSteals++;
      victim.outgoingSteals++;
      s.send({ op: "steal-request", stimulusId: s.stimulusId, workerId: victim.id, key: t.key, runId: t.runId });
    }
  }
}

/**
 * The victim's answer. If the task was still waiting or ready there, the victim dropped it: it goes
 * processing -> waiting -> processing on the thief (or wherever it now fits best, if the thief left or paused).
 * Otherwise it had started (or finished): nothing moves, and this run is not asked again.
 */
export function stealResponse(s: SchedulerCore, m: StealResponse): void {
  const t = s.tasks.get(m.key);
  const victim = s.workers.get(m.workerId);
  if (t === undefined || victim === undefined || t.state !== "processing" || t.processingOn !== victim || t.runId !== m.runId) return;
  const thief = t.stealThief;
  if (thief === null) return;
  cancelSteal(t);
  if (m.state === "waiting" || m.state === "ready") {
    const eligible = s.workers.get(thief.id) === thief && !thief.paused && thief.retiring === null;
    s.transition(t, "waiting", { kind: "stolen", thief: eligible ? thief : undefined });
  } else {
    t.stealFailedRun = t.runId;
  }
}
