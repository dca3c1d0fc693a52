// The worker shell: does what the worker state machine instructs (run ops, fetch from peers, store, send), and nothing else.
import { assertNever } from "@tessera/common";
import type { SchedulerToWorker, WorkerToScheduler } from "@tessera/scheduler";
import { errorInfoOf } from "../pool/error-info.js";
import type { OpRunner } from "../pool/op-runner.js";
import { WorkerState } from "../state/worker-state.js";
import type { ExecuteInstruction, GatherDepInstruction, WorkerEvent, WorkerInstruction } from "../state/stimuli.js";
import { MemoryStore } from "../store.js";
import type { DataStore } from "../store.js";

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
  readonly store?: DataStore;
  /** Tasks run at once; defaults to the runner's threads (1 for the main thread). */
  readonly nthreads?: number;
  readonly memoryLimit?: number;
  /** Heartbeat period in ms; 0 disables heartbeats. */
  readonly heartbeatMs?: number;
  readonly validate?: boolean;
  readonly now?: () => number;
  /** Called when the state machine throws (a bug, or an invariant failing in validate mode). */
  readonly onError?: (e: unknown) => void;
}

export class WorkerShell {
  readonly workerId: string;
  readonly state: WorkerState;
  readonly store: DataStore;
  readonly runner: OpRunner;
  readonly memoryLimit: number;
  private readonly link: WorkerLink;
  private readonly now: () => number;
  private readonly onError: (e: unknown) => void;
  private readonly heartbeat: NodeJS.Timeout | null;
  private seq = 0;
  private closed = false;

  constructor(options: WorkerShellOptions) {
    this.workerId = options.workerId;
    this.runner = options.runner;
    this.link = options.link;
    this.store = options.store ?? new MemoryStore();
    this.memoryLimit = options.memoryLimit ?? Number.POSITIVE_INFINITY;
    this.now = options.now ?? Date.now;
    this.onError = options.onError ?? ((e) => queueMicrotask(() => { throw e; }));
    const nthreads = options.nthreads ?? Math.max(1, options.runner.threads);
    this.state = new WorkerState({ workerId: this.workerId, nthreads, validate: options.validate ?? false });
    const every = options.heartbeatMs ?? 1000;
    this.heartbeat = every > 0 ? setInterval(() => this.sendHeartbeat(), every) : null;
    this.heartbeat?.unref();
  }

  get nthreads(): number {
    return this.state.nthreads;
  }

  /** A message from the scheduler. */
  receive(msg: SchedulerToWorker): void {
    this.handle({ ...msg, time: this.now() });
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
  }

  private stimulusId(kind: string): string {
    return `${this.workerId}:${kind}-${++this.seq}`;
  }

  private handle(stimulus: Parameters<WorkerState["handle"]>[0]): void {
    if (this.closed) return;
    let instructions: WorkerInstruction[];
    try {
      instructions = this.state.handle(stimulus);
    } catch (e) {
      this.onError(e);
      return;
    }
    for (const i of instructions) this.apply(i);
  }

  private event(e: WorkerEvent): void {
    this.handle({ ...e, time: this.now() });
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

  /** Inputs are bound now (store.load), before any later free-data of this batch deletes them. */
  private execute(i: ExecuteInstruction): void {
    const { key, spec } = i;
    this.store
      .load(i.inputs)
      .then((inputs) => this.runner.run({ key, op: spec.op, args: spec.args, inputs, label: spec.label }))
      .then(
        (value) => {
          if (this.closed) return;
          const nbytes = this.store.put(key, value);
          this.event({ op: "execute-success", stimulusId: this.stimulusId("execute-success"), key, nbytes });
        },
        (e: unknown) => this.event({ op: "execute-failure", stimulusId: this.stimulusId("execute-failure"), key, error: errorInfoOf(e) }),
      );
  }

  private gather(i: GatherDepInstruction): void {
    this.link.gather(i.from, i.keys).then(
      (reply) => {
        if (this.closed) return;
        const data: { key: string; nbytes: number }[] = [];
        for (const [key, value] of reply.data) data.push({ key, nbytes: this.store.put(key, value) });
        this.event({ op: "gather-dep-success", stimulusId: this.stimulusId("gather-dep-success"), from: i.from, data, missing: reply.missing });
      },
      (e: unknown) => this.event({ op: "gather-dep-failure", stimulusId: this.stimulusId("gather-dep-failure"), from: i.from, keys: i.keys, error: errorInfoOf(e) }),
    );
  }

  private sendHeartbeat(): void {
    if (this.closed) return;
    this.link.toScheduler({
      op: "worker-heartbeat",
      stimulusId: this.stimulusId("heartbeat"),
      workerId: this.workerId,
      memory: this.store.totalBytes,
      executing: this.state.executingCount,
      ready: this.state.readyCount,
    });
  }
}
