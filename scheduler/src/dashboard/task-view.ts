// The dashboard's record of one task, kept in the slot the scheduler's own task record has for it (SchedTask.view).
import type { ObservedTask } from "../state/scheduler-state.js";
import type { JobGraphRecords } from "./job-graphs.js";

/**
 * How the recorder reaches the state machine's tasks (SchedulerState): for the stimulus just handled, the tasks behind
 * its compute-task messages, the tasks of a graph it took in and the task a report finished, so none needs a lookup by
 * key; and by key.
 */
export interface TaskSlots {
  sentSlots(): readonly ObservedTask[];
  intakeSlots(): readonly (ObservedTask | undefined)[] | null;
  reportedSlot(): ObservedTask | null;
  taskSlot(key: string): ObservedTask | undefined;
}

/**
 * What the recorder keeps per task: its records in the running jobs' graphs, and its last run's label and send time
 * (for the task stream). It lives in the task's slot, so a 10^6-task graph adds no index of its own.
 */
export class TaskView {
  /** This task's record in each running job's graph that has it (one in the common case); null: none. */
  records: JobGraphRecords | null = null;
  labelName: string | undefined = undefined;
  sentAt = 0;
}

/** The view in `slot`, made on first use. */
export function viewIn(slot: ObservedTask): TaskView {
  const v = slot.view;
  if (v instanceof TaskView) return v;
  const made = new TaskView();
  slot.view = made;
  return made;
}

/** The view in `slot` if it has one. */
export function viewOf(slot: ObservedTask | undefined): TaskView | undefined {
  const v = slot?.view;
  return v instanceof TaskView ? v : undefined;
}
