// The scheduler's transition table: every legal "from->to" move of a task, and the function that makes it.
import type { SchedulerCore, TransitionArg, TransitionTable } from "./core.js";
import { processingToMemory, queuedToWaiting, releasedToWaiting, toProcessing, waitingToQueued, processingToWaiting } from "./transitions-forward.js";
import { erredToReleased, memoryToReleased, processingToReleased, releasedToForgotten, waitingToReleased } from "./transitions-release.js";
import { toErred } from "./transitions-erred.js";
import { heldToMemory } from "./transitions-held.js";

/** Pairs not listed are reached through "released" (see SchedulerCore.transition). */
export const TRANSITIONS: TransitionTable = {
  "released->waiting": releasedToWaiting,
  "released->forgotten": releasedToForgotten,
  "released->memory": heldToMemory,
  "waiting->processing": toProcessing,
  "waiting->queued": waitingToQueued,
  "waiting->released": waitingToReleased,
  "waiting->erred": toErred,
  "waiting->memory": heldToMemory,
  "queued->processing": toProcessing,
  "queued->waiting": queuedToWaiting,
  "queued->released": waitingToReleased,
  "queued->erred": toErred,
  "queued->memory": heldToMemory,
  "processing->memory": processingToMemory,
  "processing->waiting": processingToWaiting,
  "processing->released": processingToReleased,
  "processing->erred": toErred,
  "memory->released": memoryToReleased,
  "erred->released": erredToReleased,
};

/** The legal "from->to" pairs, for documentation, dashboards and tests. */
export const SCHEDULER_TRANSITION_NAMES: readonly string[] = Object.keys(TRANSITIONS);
