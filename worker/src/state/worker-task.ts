// The worker's record of one key: a task to compute here, a dependency to fetch from a peer, or both in turn.
import type { DepLocation, Priority, RunSpec } from "@tessera/scheduler";

/**
 * A key's state on a worker.
 * - fetch: an input of a local task, to be fetched from a peer; flight: being fetched
 * - waiting: assigned here, some input not local yet; ready: all inputs local, waiting for a thread
 * - executing: running in the pool; cancelled: running, but the scheduler no longer wants it (result dropped
 *   unless a local task needs it)
 * - memory: the result is in the store
 * - released: about to be forgotten (removed from the worker's map)
 */
export type WorkerTaskStateName = "released" | "fetch" | "flight" | "waiting" | "ready" | "executing" | "cancelled" | "memory";

export class WTask {
  state: WorkerTaskStateName = "released";
  /** The current assignment from the scheduler; null when the scheduler has not asked (or no longer asks) for it here. */
  runId: number | null = null;
  /** How to compute it, once assigned here (kept after free-keys so a local dependent's need can still be met). */
  spec: RunSpec | null = null;
  /** Inputs in op order with where the scheduler said they are. */
  deps: readonly DepLocation[] = [];
  /** Inputs as tasks; cleared once execution starts (the inputs have been read by then). */
  readonly dependencies = new Set<WTask>();
  /** Local tasks that have not started yet and need this key. */
  readonly dependents = new Set<WTask>();
  readonly waitingFor = new Set<WTask>();
  /** Peers to fetch from, in order of preference; holders that failed move to `tried`. */
  whoHas: string[] = [];
  readonly tried: string[] = [];
  flightFrom: string | null = null;
  nbytes = 0;

  constructor(readonly key: string, public priority: Priority) {}

  /** The scheduler wants it here, or a local task still needs it. */
  get needed(): boolean {
    return this.runId !== null || this.dependents.size > 0;
  }
}
