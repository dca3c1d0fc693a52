// Worker state machine: short tasks start ahead of free threads (runAheadMs), sized by the run times the shell reports.
import { describe, expect, it } from "vitest";
import { MAX_RUN_AHEAD_PER_THREAD, WorkerState } from "@tessera/worker";
import type { WorkerInstruction, WorkerStimulus } from "@tessera/worker";
import { computeTask } from "./worker-driver.js";

type Bare<T> = T extends unknown ? Omit<T, "stimulusId" | "time"> : never;

function worker(nthreads: number, runAheadMs?: number): (msg: Bare<WorkerStimulus>, time?: number) => WorkerInstruction[] {
  const state = new WorkerState({ workerId: "w1", nthreads, validate: true, ...(runAheadMs !== undefined ? { runAheadMs } : {}) });
  let n = 0;
  return (msg, time = 0) => state.handle({ ...msg, stimulusId: `s${++n}`, time } as WorkerStimulus);
}

const executes = (out: readonly WorkerInstruction[]): string[] => out.flatMap((i) => (i.op === "execute" ? [i.key] : []));

/** Sends n compute-tasks t0..t{n-1} (in priority order) and returns the keys started. */
function assign(send: ReturnType<typeof worker>, n: number): string[] {
  const started: string[] = [];
  for (let i = 0; i < n; i++) started.push(...executes(send(computeTask(`t${i}`, i + 1, [], i))));
  return started;
}

describe("WorkerState: run-ahead", () => {
  it("starts one task per thread until a run time is known, then as many as run for runAheadMs, in priority order", () => {
    const send = worker(1, 1);
    expect(assign(send, 200)).toEqual(["t0"]);
    // 0.1 ms per task: 10 tasks ahead of the thread, 11 in all.
    const next = executes(send({ op: "execute-success", key: "t0", nbytes: 8, runMs: 0.1 }));
    expect(next).toEqual(Array.from({ length: 11 }, (_, i) => `t${i + 1}`));
  });

  it("stops running ahead when tasks turn long, and starts again only as slots free", () => {
    const send = worker(1, 1);
    assign(send, 100);
    send({ op: "execute-success", key: "t0", nbytes: 8, runMs: 0.1 });
    // The average moves to 0.1 + 0.2 * (20 - 0.1) ms, past runAheadMs: one slot; 10 tasks still hold slots.
    expect(executes(send({ op: "execute-success", key: "t1", nbytes: 8, runMs: 20 }))).toEqual([]);
    for (let i = 2; i < 11; i++) expect(executes(send({ op: "execute-success", key: `t${i}`, nbytes: 8, runMs: 20 }))).toEqual([]);
    expect(executes(send({ op: "execute-success", key: "t11", nbytes: 8, runMs: 20 }))).toEqual(["t12"]);
  });

  it("caps the run-ahead per thread, and scales it with the threads", () => {
    const send = worker(2, 1);
    assign(send, 1000);
    const next = executes(send({ op: "execute-success", key: "t0", nbytes: 8, runMs: 0 }));
    // 2 threads × (1 + 64) slots, one of them still held by t1.
    expect(next).toHaveLength(2 * (1 + MAX_RUN_AHEAD_PER_THREAD) - 1);
  });

  it("runs no task ahead without runAheadMs, or without reported run times", () => {
    const off = worker(1);
    assign(off, 50);
    expect(executes(off({ op: "execute-success", key: "t0", nbytes: 8, runMs: 0.01 }))).toEqual(["t1"]);
    const unreported = worker(1, 1);
    assign(unreported, 50);
    expect(executes(unreported({ op: "execute-success", key: "t0", nbytes: 8 }))).toEqual(["t1"]);
  });
});

describe("WorkerState: run times on task-finished", () => {
  it("says when and on which thread the op ran, in the first report only", () => {
    const send = worker(2, 1);
    send(computeTask("a", 1));
    const out = send({ op: "execute-success", key: "a", nbytes: 16, runMs: 2.5, thread: 1 }, 1000);
    expect(out).toContainEqual({
      op: "send", msg: { op: "task-finished", stimulusId: "s2", workerId: "w1", key: "a", runId: 1, nbytes: 16, startedAt: 997.5, finishedAt: 1000, thread: 1 },
    });
    // Asked again (a new run id for a key it holds): reported at once, with no run times.
    expect(send(computeTask("a", 2), 2000)).toEqual([
      { op: "send", msg: { op: "task-finished", stimulusId: "s3", workerId: "w1", key: "a", runId: 2, nbytes: 16 } },
    ]);
  });
});
