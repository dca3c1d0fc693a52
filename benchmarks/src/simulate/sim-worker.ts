// A simulated worker: fetches inputs it lacks from their holders, runs tasks on its threads for the model's durations.
import type { ComputeTask, DepLocation, FreeKeys, StealRequest, WorkerKeyState } from "@tessera/protocol";

/** One task assigned to this worker, as the worker sees it. */
interface SimTask {
  readonly key: string;
  readonly runId: number;
  readonly order: number;
  readonly deps: readonly DepLocation[];
  state: "fetching" | "ready" | "executing";
  /** Inputs still on their way here. */
  pending: number;
}

/** What a worker asks the simulation to do: a fetch or a run that ends later, or a reply to the scheduler. */
export interface WorkerEffects {
  fetch(worker: SimWorker, key: string, from: string, nbytes: number): void;
  run(worker: SimWorker, key: string, runId: number): void;
  stealResponse(worker: SimWorker, key: string, runId: number, state: WorkerKeyState): void;
}

export class SimWorker {
  /** Results held here: key → bytes. */
  readonly store = new Map<string, number>();
  private readonly tasks = new Map<string, SimTask>();
  /** Fetches in flight: dep key → tasks waiting for it. */
  private readonly inFlight = new Map<string, SimTask[]>();
  /** Ready tasks, lowest order (highest priority) first; entries of tasks since dropped are skipped. */
  private readonly ready: SimTask[] = [];
  private busy = 0;

  constructor(readonly id: string, readonly threads: number, private readonly fx: WorkerEffects) {}

  computeTask(m: ComputeTask): void {
    const t: SimTask = { key: m.key, runId: m.runId, order: m.priority[1], deps: m.deps, state: "fetching", pending: 0 };
    this.tasks.set(m.key, t);
    for (const d of m.deps) {
      if (this.store.has(d.key)) continue;
      const waiting = this.inFlight.get(d.key);
      t.pending++;
      if (waiting !== undefined) { waiting.push(t); continue; }
      this.inFlight.set(d.key, [t]);
      this.fx.fetch(this, d.key, d.whoHas[0] as string, d.nbytes);
    }
    if (t.pending === 0) this.makeReady(t);
  }

  /** A dependency arrived. */
  fetched(key: string, nbytes: number): void {
    this.store.set(key, nbytes);
    const waiting = this.inFlight.get(key) ?? [];
    this.inFlight.delete(key);
    for (const t of waiting) {
      t.pending--;
      if (t.pending === 0 && this.tasks.get(t.key) === t) this.makeReady(t);
    }
  }

  /** A run ended; returns whether its result counts (the task was not freed or stolen meanwhile). */
  finished(key: string, runId: number, nbytes: number): boolean {
    this.busy--;
    const t = this.tasks.get(key);
    const current = t !== undefined && t.runId === runId && t.state === "executing";
    if (current) {
      this.tasks.delete(key);
      this.store.set(key, nbytes);
    }
    this.startReady();
    return current;
  }

  freeKeys(m: FreeKeys): void {
    for (const k of m.keys) {
      this.store.delete(k);
      this.tasks.delete(k);
    }
  }

  /** Gives up the task if it has not started, and answers with the state it found. */
  stealRequest(m: StealRequest): void {
    const t = this.tasks.get(m.key);
    let state: WorkerKeyState;
    if (t === undefined || t.runId !== m.runId) state = this.store.has(m.key) ? "memory" : "forgotten";
    else if (t.state === "executing") state = "executing";
    else {
      state = t.state === "ready" ? "ready" : "waiting";
      this.tasks.delete(m.key);
    }
    this.fx.stealResponse(this, m.key, m.runId, state);
  }

  private makeReady(t: SimTask): void {
    t.state = "ready";
    const h = this.ready;
    h.push(t);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((h[p] as SimTask).order <= t.order) break;
      h[i] = h[p] as SimTask;
      i = p;
    }
    h[i] = t;
    this.startReady();
  }

  private popReady(): SimTask | undefined {
    const h = this.ready;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last !== undefined) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const om = (x: number) => (h[x] as SimTask).order;
        let best = last.order;
        if (l < h.length && om(l) < best) { m = l; best = om(l); }
        if (r < h.length && om(r) < best) m = r;
        if (m === i) break;
        h[i] = h[m] as SimTask;
        i = m;
      }
      h[i] = last;
    }
    return top;
  }

  private startReady(): void {
    while (this.busy < this.threads) {
      const t = this.popReady();
      if (t === undefined) return;
      if (this.tasks.get(t.key) !== t || t.state !== "ready") continue;
      t.state = "executing";
      this.busy++;
      this.fx.run(this, t.key, t.runId);
    }
  }
}
