// Test driver for the scheduler state machine: stamps stimulus ids and time, remembers run ids of compute-tasks.
import { SchedulerState } from "@tessera/scheduler";
import type { SchedulerOptions } from "@tessera/scheduler";
import type { ComputeTask, SchedulerMessage, SchedulerStimulus, ToScheduler } from "@tessera/protocol";
import type { TaskGraph, TaskSpec } from "@tessera/graph";

type Bare<T> = T extends unknown ? Omit<T, "stimulusId"> : never;

export class Driver {
  readonly state: SchedulerState;
  time = 0;
  private n = 0;
  /** The latest compute-task per key. */
  readonly sent = new Map<string, ComputeTask>();
  /** The stimulus being (or last) handled, for failure reports. */
  last: unknown = null;
  /** Every stimulus handled and the messages it caused, when `record` is on. */
  readonly log: { stimulus: SchedulerStimulus; out: SchedulerMessage[] }[] = [];
  /** A second state machine fed the same stimuli, whose messages must be equal (replays, restored checkpoints). */
  mirror: SchedulerState | null = null;

  constructor(options: SchedulerOptions = {}, private readonly record = false) {
    this.state = new SchedulerState({ validate: true, progressIntervalMs: Infinity, ...options });
  }

  /** Handles one stimulus; its id is `id` or s1, s2, ... */
  send(msg: Bare<ToScheduler>, id?: string): SchedulerMessage[] {
    const stimulusId = id ?? `s${++this.n}`;
    this.last = { ...msg, stimulusId };
    const stimulus = { ...msg, stimulusId, time: this.time } as SchedulerStimulus;
    const out = this.state.handle(stimulus);
    if (this.record) this.log.push({ stimulus, out });
    if (this.mirror !== null) expect(this.mirror.handle(stimulus)).toEqual(out);
    for (const m of out) if (m.op === "compute-task") this.sent.set(m.key, m);
    return out;
  }

  connect(clientId = "c1"): SchedulerMessage[] {
    return this.send({ op: "client-connected", clientId });
  }

  addWorker(workerId: string, nthreads = 1): SchedulerMessage[] {
    return this.send({ op: "worker-added", workerId, nthreads, memoryLimit: 1 << 30 });
  }

  submit(graph: TaskGraph, jobId = "j1", clientId = "c1"): SchedulerMessage[] {
    return this.send({ op: "graph-submitted", clientId, jobId, graph });
  }

  /** Reports the latest assignment of `key` finished on the worker it was sent to. */
  finish(key: string, nbytes = 8): SchedulerMessage[] {
    const c = this.assignment(key);
    return this.send({ op: "task-finished", workerId: c.workerId, key, runId: c.runId, nbytes });
  }

  fail(key: string, message = "boom"): SchedulerMessage[] {
    const c = this.assignment(key);
    const error = { name: "ExecutionError", code: "TEST_FAILURE", category: "execution" as const, message };
    return this.send({ op: "task-erred", workerId: c.workerId, key, runId: c.runId, error });
  }

  assignment(key: string): ComputeTask {
    const c = this.sent.get(key);
    if (c === undefined) throw new Error(`no compute-task sent for ${key}`);
    return c;
  }
}

export function task(key: string, deps: string[] = [], op = "noop", partition?: number): TaskSpec {
  return partition === undefined ? { key, op, args: null, deps } : { key, op, args: null, deps, label: { name: op, partition } };
}

/** A compute-task as the scheduler should send it (for exact comparisons). */
export function compute(
  workerId: string, key: string, runId: number, deps: [string, string[], number][] = [], priority: [number, number] = [1, 0],
  stimulusId = expect.any(String) as unknown as string, op = "noop",
): ComputeTask {
  return {
    op: "compute-task", stimulusId, workerId, key, runId, spec: { op, args: null }, priority,
    deps: deps.map(([k, whoHas, nbytes]) => ({ key: k, whoHas, nbytes })),
  };
}
import { expect } from "vitest";
