// The worker's record of one key: a task to compute here, a dependency to fetch from a peer, or both in turn.
import { Members } from "@tessera/protocol";
import type { DepLocation, Priority, ReadonlyMembers, RunSpec } from "@tessera/protocol";

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

/** The shared empty relation behind every relation a key does not have: no allocation (a Set costs more than a task). */
const NONE: ReadonlyMembers<never> = new Members<never>();

export class WTask {
  state: WorkerTaskStateName = "released";
  /** The current assignment from the scheduler; null when the scheduler has not asked (or no longer asks) for it here. */
  runId: number | null = null;
  /**
   * The scheduler wants the result kept here without a run: a copy it asked for (acquire-replicas, reported with
   * add-keys on arrival), or a result held across a lost scheduler connection (reported when rejoining).
   */
  kept = false;
  /** How to compute it, once assigned here (kept after free-keys so a local dependent's need can still be met). */
  spec: RunSpec | null = null;
  /** Inputs in op order with where the scheduler said they are. */
  deps: readonly DepLocation[] = [];
  /** Peers to fetch from, in order of preference; holders that failed move to `tried`. */
  whoHas: readonly string[] = [];
  tried: readonly string[] = [];
  flightFrom: string | null = null;
  nbytes = 0;
  /** How long its op ran here (ms) and on which thread, reported once with its task-finished (dashboard task stream). */
  runMs: number | null = null;
  thread = 0;

  /** Relations hold their first member inline (most keys have one dependent, and a leaf no inputs). */
  private inputSet: Members<WTask> | null = null;
  private dependentSet: Members<WTask> | null = null;
  private waitingSet: Members<WTask> | null = null;

  constructor(readonly key: string, public priority: Priority) {}

  /** Inputs as tasks; cleared once execution starts (the inputs have been read by then). */
  get dependencies(): ReadonlyMembers<WTask> { return this.inputSet ?? NONE; }
  /** Local tasks that have not started yet and need this key. */
  get dependents(): ReadonlyMembers<WTask> { return this.dependentSet ?? NONE; }
  get waitingFor(): ReadonlyMembers<WTask> { return this.waitingSet ?? NONE; }

  /** The scheduler wants it here, or a local task still needs it. */
  get needed(): boolean {
    return this.runId !== null || this.kept || (this.dependentSet?.size ?? 0) > 0;
  }

  /** Makes `dep` an input of this task; returns false if it already was. */
  linkInput(dep: WTask): boolean {
    if (this.inputSet?.has(dep) === true) return false;
    (this.inputSet ??= new Members()).add(dep);
    (dep.dependentSet ??= new Members()).add(this);
    return true;
  }

  /** Drops every input link (returning the inputs) and the waiting set. */
  unlinkInputs(): WTask[] {
    if (this.inputSet === null) return [];
    const deps = [...this.inputSet];
    for (const d of deps) d.dependentSet?.delete(this);
    this.inputSet = null;
    this.waitingSet = null;
    return deps;
  }

  waitFor(dep: WTask): void { (this.waitingSet ??= new Members()).add(dep); }
  /** True when `dep` was waited for and no longer is. */
  stopWaitingFor(dep: WTask): boolean { return this.waitingSet?.delete(dep) ?? false; }
}
