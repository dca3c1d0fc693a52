// The error transition: a task failed (or an input did); dependents err with it and its jobs fail.
import { InternalError } from "@tessera/common";
import type { SchedTask } from "./entities.js";
import type { SchedulerCore, TransitionArg } from "./core.js";
import { failJob } from "./jobs.js";
import { stopWaiting } from "./transitions-release.js";
import { detachProcessing } from "./transitions-forward.js";

/**
 * waiting/queued/processing -> erred. A processing task is not cancelled on its worker: the worker
 * reported the error and dropped it already, or died. Jobs are released after the cascade has settled.
 */
export function toErred(s: SchedulerCore, t: SchedTask, arg: TransitionArg | undefined): void {
  if (arg?.kind !== "failed") throw new InternalError("BAD_TRANSITION", `${t.state}->erred of ${t.key} without an error`);
  detachProcessing(t);
  t.state = "erred";
  t.error = arg.error;
  t.blame = arg.blame;
  stopWaiting(s, t);
  for (const d of t.dependents) {
    if (d.state === "waiting" || d.state === "queued" || d.state === "processing") s.recommend(d, "erred", arg);
  }
  for (const job of [...t.jobs, ...t.wantedBy]) failJob(s, job, arg.blame, arg.error);
  s.releaseIfUnneeded(t);
}
