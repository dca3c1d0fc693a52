// The worker shell: does what the worker state machine instructs (run ops, fetch from peers, store, send), and nothing else.
import { assertNever } from "@tessera/common";
import type { SchedulerToWorker, WorkerToScheduler } from "@tessera/protocol";
import { errorInfoOf } from "../pool/error-info.js";
import type { OpRunner, RunOutcome } from "../pool/op-runner.js";
import { InlineRunner } from "../pool/inline-runner.js";

/** Ops that only select from their inputs: run on the main thread, where inputs are shared, not copied to a thread. */
const MAIN_THREAD_OPS: ReadonlySet<string> = new Set(["pick"]);
import { WorkerState } from "../state/worker-state.js";
import type { ExecuteInstruction, GatherDepInstruction, WorkerEvent, WorkerInstruction } from "../state/stimuli.js";
import { SpillingStore } from "../spill/spilling-store.js";
import { MemoryStore } from "../store.js";
import type { DataStore } from "../store.js";
import { ProcessMemoryGuard } from "../memory/process-memory.js";

/** A peer's answer to a gather: the values it holds and the keys it does not. */
export interface GatherReply {
  readonly data: ReadonlyMap<string, unknown>;
  readonly missing: readonly string[];
}

/** How a worker reaches the scheduler and its peers. In-process now; WebSockets and binary frames next. */
export interface WorkerLink {
  toScheduler(msg: WorkerToScheduler): void;
  /** Fetches `keys` from peer `from`; rejects when the peer cannot be reached. */
  gather(from: string, keys: readonly string[]): Promise<GatherReply>;
}

export interface WorkerShellOptions {
  readonly workerId: string;
  readonly runner: OpRunner;
  readonly link: WorkerLink;
  /** Default: a SpillingStore when memoryLimit is finite (memoryTarget, spillDir), else a MemoryStore. */
  readonly store?: DataStore;
  /** Tasks run at once; defaults to the runner's threads (1 for the main thread). */
  readonly nthreads?: number;
  readonly memoryLimit?: number;
  /** Fraction of memoryLimit past which the default store spills LRU results to disk (default 0.6); false: never. */
  readonly memoryTarget?: number | false;
  /** Fraction of memoryLimit of bytes in memory past which no task starts (default 0.8); false: never pause. */
  readonly memoryPause?: number | false;
  /** Parent directory of the default store's spill directory (default os.tmpdir()). */
  readonly spillDir?: string;
  /** Heartbeat period in ms; 0 disables heartbeats. */
  readonly heartbeatMs?: number;
  /**
   * The worker is this process alone (a `tessera worker`): with a memory limit, garbage is collected once it piles up
   * (see ProcessMemoryGuard).
   */
  readonly ownsProcess?: boolean;
  /** Short tasks started ahead of free threads (WorkerStateOptions.runAheadMs). Default 1 with pool threads, else 0. */
  readonly runAheadMs?: number;
  readonly validate?: boolean;
  readonly now?: () => number;
  /** Called when the state machine throws (a bug, or an invariant failing in validate mode). */
  readonly onError?: (e: unknown) => void;
}

export class WorkerShell {
  readonly workerId: string;
  readonly state: WorkerState;
  readonly store: DataStore;
  /** Bytes of dependencies received from peers since the worker started (data moved between workers). */
  private fetchedBytes = 0;
  private readonly inline = new InlineRunner();
  readonly runner: OpRunner;
  readonly memoryLimit: number;
  private readonly memoryPause: number | false;
  private readonly link: WorkerLink;
  private readonly now: () => number;
  private readonly onError: (e: unknown) => void;
  private readonly heartbeat: NodeJS.Timeout | null;
  private seq = 0;
  private closed = false;
  /** Set when the worker owns its process and has a finite memory limit. */
  readonly processMemory: ProcessMemoryGuard | null;

  constructor(options: WorkerShellOptions) {
    this.workerId = options.workerId;
    this.runner = options.runner;
    this.link = options.link;
    this.memoryLimit = options.memoryLimit ?? Number.POSITIVE_INFINITY;
    this.memoryPause = options.memoryPause ?? 0.8;
    this.store = options.store ?? (Number.isFinite(this.memoryLimit)
      ? new SpillingStore({
        memoryLimit: this.memoryLimit,
        workerId: this.workerId,
        ...(options.memoryTarget !== undefined ? { target: options.memoryTarget } : {}),
        ...(options.spillDir !== undefined ? { spillDir: options.spillDir } : {}),
      })
      : new MemoryStore());
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? ((e) => queueMicrotask(() => { throw e; }));
    const nthreads = options.nthreads ?? Math.max(1, options.runner.threads);
    const runAheadMs = options.runAheadMs ?? (options.runner.threads > 0 ? 1 : 0);
    this.state = new WorkerState({ workerId: this.workerId, nthreads, validate: options.validate ?? false, runAheadMs });
    this.processMemory = options.ownsProcess === true && Number.isFinite(this.memoryLimit) ? new ProcessMemoryGuard({ limit: this.memoryLimit }) : null;
    const every = options.heartbeatMs ?? 1000;
    this.heartbeat = every > 0 ? setInterval(() => this.sendHeartbeat(), every) : null;
    this.heartbeat?.unref();
  }

  get nthreads(): number {
    return this.state.nthreads;
  }

  /** A message from the scheduler. */
  receive(msg: SchedulerToWorker): void {
    this.handle(msg);
  }

  /** The scheduler connection is gone: assignments end; results are kept for the next scheduler with `keepData`. */
  schedulerLost(keepData: boolean): void {
    this.event({ op: "scheduler-lost", stimulusId: this.stimulusId("scheduler-lost"), keepData });
  }

  /** Results held here, with their bytes (reported when rejoining a scheduler). */
  heldResults(): { key: string; nbytes: number }[] {
    return this.state.heldResults();
  }

  /** Serves a peer's gather from the store. */
  async serveGather(keys: readonly string[]): Promise<GatherReply> {
    const held = keys.filter((k) => this.store.has(k));
    const values = await this.store.load(held);
    const data = new Map<string, unknown>();
    held.forEach((k, i) => data.set(k, values[i]));
    return { data, missing: keys.filter((k) => !data.has(k)) };
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.heartbeat !== null) clearInterval(this.heartbeat);
    await this.runner.close();
    await this.store.close?.();
  }

  private stimulusId(kind: string): string {
    return `${this.workerId}:${kind}-${++this.seq}`;
  }

  /** Runs the state machine on a message or event, stamped with the time now. */
  private handle(stimulus: SchedulerToWorker | WorkerEvent): void {
    if (this.closed) return;

    // A result just stored may have crossed the pause fraction: pause before this stimulus could start more work.
    if (stimulus.op !== "memory-state") this.checkMemory();
    let instructions: WorkerInstruction[];
    try {
      instructions = this.state.handleAt(stimulus, this.now());
    } catch (e) {
      this.onError(e);
      return;
    }
    for (const i of instructions) this.apply(i);
    this.checkMemory();
  }

  /** Pauses the state machine when bytes in memory pass the pause fraction, and resumes it below (on a change only). */
  private checkMemory(): void {
    this.processMemory?.check();
    if (this.memoryPause === false || !Number.isFinite(this.memoryLimit)) return;
    const paused = this.store.memoryBytes > this.memoryPause * this.memoryLimit;
    if (paused === this.state.paused) return;
    this.event({ op: "memory-state", stimulusId: this.stimulusId("memory-state"), paused, memory: this.store.totalBytes, spilled: this.store.spilledBytes });
  }

  private event(e: WorkerEvent): void {
    this.handle(e);
  }

  private apply(i: WorkerInstruction): void {
    switch (i.op) {
      case "execute":
        this.execute(i);
        break;
      case "gather-dep":
        this.gather(i);
        break;
      case "free-data":
        for (const k of i.keys) this.store.delete(k);
        break;
      case "send":
        this.link.toScheduler(i.msg);
        break;
      default:
        assertNever(i, "worker instruction");
    }
  }

  /**
   * Inputs are read now (store.read), before any later free-data of this batch deletes them, and the run starts at
   * once; its outcome comes back as a stimulus on a later microtask, never inside this handle().
   */
  private execute(i: ExecuteInstruction): void {
    const { key, spec } = i;
    let run: Promise<RunOutcome>;
    try {
      const inputs = this.store.read(i.inputs);
      const runner = MAIN_THREAD_OPS.has(spec.op) ? this.inline : this.runner;
      run = runner.execute({ key, op: spec.op, args: spec.args, inputs, label: spec.label });
    } catch (e) {
      run = Promise.reject(e);
    }
    run.then(
      (outcome) => this.executed(key, outcome),
      (e: unknown) => this.event({ op: "execute-failure", stimulusId: this.stimulusId("execute-failure"), key, error: errorInfoOf(e) }),
    );
  }

  private executed(key: string, outcome: RunOutcome): void {
    if (this.closed) return;
    const nbytes = this.store.put(key, outcome.value);
    this.event({ op: "execute-success", stimulusId: this.stimulusId("execute-success"), key, nbytes, runMs: outcome.ms, thread: outcome.thread });
  }

  private gather(i: GatherDepInstruction): void {
    this.link.gather(i.from, i.keys).then(
      (reply) => {
        if (this.closed) return;
        const data: { key: string; nbytes: number }[] = [];
        for (const [key, value] of reply.data) {
          const nbytes = this.store.put(key, value);
          this.fetchedBytes += nbytes;
          data.push({ key, nbytes });
        }
        this.event({ op: "gather-dep-success", stimulusId: this.stimulusId("gather-dep-success"), from: i.from, data, missing: reply.missing });
      },
      (e: unknown) => this.event({ op: "gather-dep-failure", stimulusId: this.stimulusId("gather-dep-failure"), from: i.from, keys: i.keys, error: errorInfoOf(e) }),
    );
  }

  private sendHeartbeat(): void {
    if (this.closed) return;
    this.processMemory?.check(true);
    this.link.toScheduler({
      op: "worker-heartbeat",
      stimulusId: this.stimulusId("heartbeat"),
      workerId: this.workerId,
      memory: this.store.totalBytes,
      spilled: this.store.spilledBytes,
      fetched: this.fetchedBytes,
      executing: this.state.executingCount,
      ready: this.state.readyCount,
      paused: this.state.paused,
    });
  }
}
