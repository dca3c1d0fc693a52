// The dashboard's status source: what SchedulerServer records about jobs, workers and the task stream.
import { describe, expect, it } from "vitest";
import { RingBuffer, SchedulerServer, keyPrefix } from "@tessera/scheduler";
import type { ComputeTask, SchedulerToClient, SchedulerToWorker } from "@tessera/protocol";
import { task } from "./driver.js";

/** A SchedulerServer on a fake clock whose link records what it sends. */
function harness(status?: { taskStreamSize?: number; jobHistory?: number }) {
  const clock = { t: 1_000_000 };
  const toWorkers: SchedulerToWorker[] = [];
  const toClients: SchedulerToClient[] = [];
  const server = new SchedulerServer(
    { toWorker: (_w, m) => toWorkers.push(m), toClient: (_c, m) => toClients.push(m) },
    { now: () => clock.t, validate: true, progressIntervalMs: 0, ...(status === undefined ? {} : { status }) },
  );
  let n = 0;
  const sid = (): string => `t${++n}`;
  const lastCompute = (key: string): ComputeTask => {
    const c = toWorkers.filter((m): m is ComputeTask => m.op === "compute-task" && m.key === key).at(-1);
    if (c === undefined) throw new Error(`no compute-task for ${key}`);
    return c;
  };
  const finish = (key: string, extra: { startedAt?: number; finishedAt?: number; thread?: number } = {}): void => {
    const c = lastCompute(key);
    server.receive({ op: "task-finished", stimulusId: sid(), workerId: c.workerId, key, runId: c.runId, nbytes: 16, ...extra });
  };
  return { clock, server, toWorkers, toClients, sid, finish, lastCompute };
}

describe("SchedulerServer.status()", () => {
  it("reports workers with their reports, a job's progress to done, task counts and the task stream", () => {
    const h = harness();
    const { server, clock } = h;
    server.event({ op: "client-connected", clientId: "c1" });
    server.event({ op: "worker-added", workerId: "w2", nthreads: 2, memoryLimit: 4096 });
    server.event({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1024 });

    let s = server.status();
    expect(s.workers.map((w) => w.id)).toEqual(["w1", "w2"]);
    expect(s.workers[0]).toEqual({
      id: "w1", nthreads: 1, memoryLimit: 1024, memory: null, spilled: null, fetchedBytes: 0, heldBytes: 0, heldResults: 0, processing: 0, executing: null, paused: false, lastSeen: clock.t,
    });
    expect(s.jobs).toEqual([]);

    const graph = {
      tasks: [task("load-0"), task("load-1"), { key: "sum", op: "sum-inputs", args: 0, deps: ["load-0", "load-1"], label: { name: "total" } }],
      outputs: ["sum"],
    };
    clock.t += 10;
    server.receive({ op: "graph-submitted", stimulusId: h.sid(), clientId: "c1", jobId: "j1", graph });
    s = server.status();
    expect(s.jobs).toEqual([{ clientId: "c1", jobId: "j1", state: "running", done: 0, total: 3, submittedAt: 1_000_010, finishedAt: null }]);
    expect(s.tasks).toEqual({ released: 0, waiting: 1, queued: 0, processing: 2, memory: 0, erred: 0 });
    expect(s.workers.reduce((a, w) => a + w.processing, 0)).toBe(2);

    const w = h.lastCompute("load-0").workerId;
    server.receive({ op: "worker-heartbeat", stimulusId: h.sid(), workerId: w, memory: 512, spilled: 128, fetched: 4096, executing: 1, ready: 0, paused: true });
    clock.t += 5;
    h.finish("load-0", { startedAt: 1_000_011, finishedAt: 1_000_014, thread: 0 });
    s = server.status();
    expect(s.jobs[0]).toMatchObject({ state: "running", done: 1, total: 3 });
    expect(s.workers.find((x) => x.id === w)).toMatchObject({ memory: 512, spilled: 128, fetchedBytes: 4096, executing: 1, paused: true, heldResults: 1, heldBytes: 16 });

    clock.t += 5;
    h.finish("load-1"); // no times reported: the bar spans from sending to receiving
    clock.t += 7;
    h.finish("sum", { startedAt: 1_000_025, finishedAt: 1_000_026, thread: 1 });
    s = server.status();
    expect(s.jobs).toEqual([{ clientId: "c1", jobId: "j1", state: "done", done: 3, total: 3, submittedAt: 1_000_010, finishedAt: 1_000_027 }]);
    expect(s.jobCounts).toEqual({ running: 0, done: 1, erred: 0, cancelled: 0 });
    expect(s.tasksFinishedTotal).toBe(3);
    expect(s.taskStream).toEqual([
      { key: "load-0", label: "load", worker: w, thread: 0, start: 1_000_011, end: 1_000_014 },
      { key: "load-1", label: "load", worker: h.lastCompute("load-1").workerId, thread: 0, start: 1_000_010, end: 1_000_020 },
      { key: "sum", label: "total", worker: h.lastCompute("sum").workerId, thread: 1, start: 1_000_025, end: 1_000_026 },
    ]);
    expect(s.time).toBe(1_000_027);
    expect(s.startedAt).toBe(1_000_000);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it("ignores replies to an older assignment and records failures, cancellations and lost workers", () => {
    const h = harness();
    const { server } = h;
    server.event({ op: "client-connected", clientId: "c1" });
    server.event({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1024 });
    server.receive({ op: "graph-submitted", stimulusId: h.sid(), clientId: "c1", jobId: "bad", graph: { tasks: [task("x")], outputs: ["x"] } });
    const c = h.lastCompute("x");
    server.receive({ op: "task-finished", stimulusId: h.sid(), workerId: "w1", key: "x", runId: c.runId + 7, nbytes: 1 });
    expect(server.status().tasksFinishedTotal).toBe(0);
    server.receive({
      op: "task-erred", stimulusId: h.sid(), workerId: "w1", key: "x", runId: c.runId,
      error: { name: "ExecutionError", code: "TEST_FAILURE", category: "execution", message: "boom" },
    });
    let s = server.status();
    expect(s.jobs[0]).toMatchObject({ jobId: "bad", state: "erred" });
    expect(s.jobs[0]?.error).toContain("boom");
    expect(s.tasksErredTotal).toBe(1);
    expect(s.taskStream).toEqual([expect.objectContaining({ key: "x", erred: true })]);

    server.receive({ op: "graph-submitted", stimulusId: h.sid(), clientId: "c1", jobId: "cancel-me", graph: { tasks: [task("y")], outputs: ["y"] } });
    server.receive({ op: "release-keys", stimulusId: h.sid(), clientId: "c1", jobId: "cancel-me" });
    server.receive({ op: "graph-submitted", stimulusId: h.sid(), clientId: "c1", jobId: "orphan", graph: { tasks: [task("z")], outputs: ["z"] } });
    server.event({ op: "client-disconnected", clientId: "c1" });
    s = server.status();
    expect(s.jobs.map((j) => [j.jobId, j.state])).toEqual([["orphan", "cancelled"], ["cancel-me", "cancelled"], ["bad", "erred"]]);
    expect(s.jobCounts).toEqual({ running: 0, done: 0, erred: 1, cancelled: 2 });

    server.event({ op: "worker-removed", workerId: "w1", reason: "test" });
    expect(server.status().workers).toEqual([]);
  });

  it("keeps a bounded task stream and job history", () => {
    const h = harness({ taskStreamSize: 3, jobHistory: 2 });
    const { server } = h;
    server.event({ op: "client-connected", clientId: "c1" });
    server.event({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1024 });
    for (let j = 0; j < 4; j++) {
      server.receive({ op: "graph-submitted", stimulusId: h.sid(), clientId: "c1", jobId: `j${j}`, graph: { tasks: [task(`t-${j}`)], outputs: [`t-${j}`] } });
      h.finish(`t-${j}`);
    }
    const s = server.status();
    expect(s.taskStream.map((e) => e.key)).toEqual(["t-1", "t-2", "t-3"]);
    expect(s.jobs.map((j) => j.jobId)).toEqual(["j3", "j2"]);
    expect(s.jobCounts.done).toBe(4);
    expect(server.status(1).taskStream.map((e) => e.key)).toEqual(["t-3"]);
  });
});

describe("keyPrefix", () => {
  it("names task groups like Dask's key_split", () => {
    expect(keyPrefix("root-3-4")).toBe("root");
    expect(keyPrefix("agg-partial-0f3a9c2e1b-7")).toBe("agg-partial");
    expect(keyPrefix("scan_parquet:12")).toBe("scan-parquet");
    expect(keyPrefix("12")).toBe("12");
    expect(keyPrefix("sum")).toBe("sum");
  });
});

describe("RingBuffer", () => {
  it("keeps the newest items in order", () => {
    const r = new RingBuffer<number>(3);
    expect(r.toArray()).toEqual([]);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.size).toBe(3);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.toArray(2)).toEqual([4, 5]);
    expect(r.toArray(10)).toEqual([3, 4, 5]);
    r.clear();
    expect(r.toArray()).toEqual([]);
    expect(() => new RingBuffer(0)).toThrow(RangeError);
  });
});
