// The held transition: a worker that (re)joined reports a result the scheduler was about to compute, which it adopts.
import { InternalError } from "@tessera/common";
import type { SchedTask } from "./entities.js";
import type { SchedulerCore, TransitionArg } from "./core.js";
import { reachMemory } from "./transitions-forward.js";

/**
 * released/waiting/queued -> memory: `arg.worker` already holds the result (it reported it on joining), so nothing
 * runs. A waiting task stops waiting for its inputs (released if nobody else needs them); a queued task's heap entry
 * goes stale.
 */
export function heldToMemory(s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined): void {
  if (arg?.kind !== "finished") throw new InternalError("BAD_TRANSITION", `${t.state}->memory of ${t.key} without a holder`);
  t.clearWaitingOn();
  reachMemory(s, t, arg.worker, arg.nbytes);
}
