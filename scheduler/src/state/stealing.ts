// Work stealing: move processing-but-not-started tasks from saturated workers to idle ones (steal-request/response).
import { comparePriority } from "@tessera/protocol";
import type { SchedTask, SchedWorker } from "./entities.js";
import type { SchedulerCore } from "./core.js";
import type { StealResponse } from "@tessera/protocol";
import { cancelSteal } from "./transitions-forward.js";

/**
 * The task of `victim` least likely to have started: the lowest priority one worth moving (see
 * SchedulerCore.stealable, decided when it was placed) that is not being stolen already.
 */
function candidate(victim: SchedWorker): SchedTask | undefined {
  let best: SchedTask | undefined;
  for (const t of victim.stealable) {
    if (t.stealThief !== null) continue;
    if (best === undefined || comparePriority(t.priority, best.priority) > 0) best = t;
  }
  return best;
}

/**
 * Runs after every stimulus once the queues are drained. While some worker has idle threads and another has
 * more tasks processing than threads (with one worth moving), asks the busiest such worker to give up its
 * lowest-priority movable task: `steal-request {key, runId}`. Nothing moves until the victim answers (see
 * stealResponse). Thieves and victims come from the workers' index: nothing to do costs nothing.
 */
export function balance(s: SchedulerCore): void {
  const { idle, saturated } = s.index;
  if (idle.size === 0 || saturated.size === 0) return;
  let wanted = 0;
  for (const v of saturated) wanted += Math.min(v.excess, v.stealable.size - v.outgoingSteals);
  for (const thief of lightest(idle, wanted)) {
    while (thief.idleSlots > 0) {
      let victim: SchedWorker | undefined;
      let t: SchedTask | undefined;
      for (const v of saturated) {
        if (v === thief || (victim !== undefined && v.excess <= victim.excess)) continue;
        const c = candidate(v);
        if (c === undefined) continue;
        victim = v;
        t = c;
      }
      if (victim === undefined || t === undefined) return;
      t.stealThief = thief;
      thief.adjustSteals(1, 0);
      victim.adjustSteals(0, 1);
      s.send({ op: "steal-request", stimulusId: s.stimulusId, workerId: victim.id, key: t.key, runId: t.runId });
    }
  }
}

/** The `k` least loaded workers of `pool`, lightest first (ties to the earlier worker), without sorting the pool. */
function lightest(pool: ReadonlySet<SchedWorker>, k: number): SchedWorker[] {
  const out: SchedWorker[] = [];
  if (k <= 0) return out;
  for (const w of pool) {
    if (out.length === k && !w.lighterThan(out[k - 1] as SchedWorker)) continue;
    let i = out.length === k ? k - 1 : out.length;
    while (i > 0 && w.lighterThan(out[i - 1] as SchedWorker)) {
      out[i] = out[i - 1] as SchedWorker;
      i--;
    }
    out[i] = w;
  }
  return out;
}

/**
 * The victim's answer. If the task was still waiting or ready there, the victim dropped it: it goes
 * processing -> waiting -> processing on the thief (or wherever it now fits best, if the thief left or paused).
 * Otherwise it had started (or finished): nothing moves, and it is not asked for again.
 */
export function stealResponse(s: SchedulerCore, m: StealResponse): void {
  const t = s.tasks.get(m.key);
  const victim = s.workers.get(m.workerId);
  if (t === undefined || victim === undefined || t.state !== "processing" || t.processingOn !== victim || t.runId !== m.runId) return;
  const thief = t.stealThief;
  if (thief === null) return;
  cancelSteal(t);
  if (m.state === "waiting" || m.state === "ready") {
    const eligible = s.workers.get(thief.id) === thief && thief.accepting;
    s.transition(t, "waiting", { kind: "stolen", thief: eligible ? thief : undefined });
  } else {
    victim.pin(t);
  }
}
