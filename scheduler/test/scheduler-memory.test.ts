// Scheduler state machine: root tasks admitted by estimated bytes in flight, and workers timed out by tick.
import { describe, expect, it } from "vitest";
import type { TaskSpec } from "@tessera/graph";
import { Driver, compute, task } from "./driver.js";

function root(key: string, nbytesHint?: number, partition?: number): TaskSpec {
  return {
    key, op: "noop", args: null, deps: [],
    ...(nbytesHint === undefined ? {} : { nbytesHint }),
    ...(partition === undefined ? {} : { label: { name: "scan", partition } }),
  };
}

function scanCompute(workerId: string, key: string, runId: number, partition: number, stimulusId: string): unknown {
  return {
    op: "compute-task", stimulusId, workerId, key, runId, deps: [], priority: [1, partition],
    spec: { op: "noop", args: null, label: { name: "scan", partition } },
  };
}

describe("SchedulerState: root admission by bytes", () => {
  it("admits root tasks while their hinted bytes fit half the worker's memory limit, after the count rule", () => {
    const d = new Driver();
    d.connect();
    d.send({ op: "worker-added", workerId: "w1", nthreads: 4, memoryLimit: 1000 });
    const keys = ["r0", "r1", "r2", "r3", "r4", "r5"];
    // Count rule alone: 5 (nthreads + 1). Bytes: 200 + 200 fit in 500; a third would make 600.
    expect(d.submit({ tasks: keys.map((k) => root(k, 200)), outputs: keys })).toEqual([
      compute("w1", "r0", 1, [], [1, 0], "s3"),
      compute("w1", "r1", 2, [], [1, 1], "s3"),
    ]);
    expect(d.state.workers()[0]).toMatchObject({ rootBytes: 400, memoryLimit: 1000 });
    expect(d.state.counts()).toMatchObject({ processing: 2, queued: 4 });
    expect(d.finish("r0", 200)).toEqual([compute("w1", "r2", 3, [], [1, 2], "s4")]);
    expect(d.finish("r1", 200)).toEqual([compute("w1", "r3", 4, [], [1, 3], "s5")]);
  });

  it("always admits one root task, however large", () => {
    const d = new Driver();
    d.connect();
    d.send({ op: "worker-added", workerId: "w1", nthreads: 2, memoryLimit: 1000 });
    expect(d.submit({ tasks: [root("big", 5000), root("next", 10)], outputs: ["big", "next"] })).toEqual([
      compute("w1", "big", 1, [], [1, 0], "s3"),
    ]);
    expect(d.finish("big", 5000)).toEqual([compute("w1", "next", 2, [], [1, 1], "s4")]);
  });

  it("estimates unhinted root tasks from finished ones of the same job and label", () => {
    const d = new Driver();
    d.connect();
    d.send({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1000 });
    const tasks = [0, 1, 2, 3, 4].map((i) => root(`s${i}`, undefined, i));
    // No estimate yet: the count rule (nthreads + 1 = 2) decides.
    expect(d.submit({ tasks, outputs: tasks.map((t) => t.key) })).toEqual([
      scanCompute("w1", "s0", 1, 0, "s3"), scanCompute("w1", "s1", 2, 1, "s3"),
    ]);
    // s0 gave 400 bytes: s1 was sent with no estimate, so s2 (est. 400) still fits.
    expect(d.finish("s0", 400)).toEqual([scanCompute("w1", "s2", 3, 2, "s4")]);
    // s2 in flight counts 400; s3 would make 800 > 500: it waits although the count rule has room.
    expect(d.finish("s1", 400)).toEqual([]);
    expect(d.state.workers()[0]).toMatchObject({ processing: ["s2"], rootBytes: 400 });
    expect(d.finish("s2", 400)).toEqual([scanCompute("w1", "s3", 4, 3, "s6")]);
  });

  it("sends no root task to a worker that reports it paused, until it resumes", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.send({ op: "worker-heartbeat", workerId: "w1", memory: 900, spilled: 300, executing: 0, ready: 0, paused: true });
    expect(d.submit({ tasks: [task("a")], outputs: ["a"] })).toEqual([]);
    expect(d.state.workers()[0]).toMatchObject({ memory: 900, spilled: 300, paused: true });
    expect(d.send({ op: "worker-heartbeat", workerId: "w1", memory: 100, spilled: 300, executing: 0, ready: 0 }, "hb")).toEqual([
      compute("w1", "a", 1, [], [1, 0], "hb"),
    ]);
  });
});

describe("SchedulerState: heartbeat timeout", () => {
  function twoWorkers(): Driver {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.addWorker("w2");
    d.submit({ tasks: [task("x"), task("y")], outputs: ["x", "y"] });
    expect([d.assignment("x").workerId, d.assignment("y").workerId]).toEqual(["w1", "w2"]);
    return d;
  }

  it("removes a worker silent for longer than the timeout on a tick, tells it to rejoin, and reschedules its tasks", () => {
    const d = twoWorkers();
    for (let t = 1000; t <= 10_000; t += 1000) {
      d.time = t;
      if (t % 5000 === 0) d.send({ op: "worker-heartbeat", workerId: "w2", memory: 0, executing: 1, ready: 0 });
      expect(d.send({ op: "tick" })).toEqual([]);
    }
    d.time = 11_000;
    expect(d.send({ op: "tick" }, "tick-11")).toEqual([
      { op: "rejoin", stimulusId: "tick-11", workerId: "w1", reason: "no message for 11000 ms (timeout 10000 ms)" },
      compute("w2", "x", 3, [], [1, 0], "tick-11"),
    ]);
    expect(d.state.workers().map((w) => w.id)).toEqual(["w2"]);
    expect(d.state.story("x").slice(-2).map(([, from, to, sid]) => `${from}->${to} ${sid}`)).toEqual([
      "processing->waiting tick-11", "waiting->processing tick-11",
    ]);
  });

  it("counts any message from a worker as a sign of life", () => {
    const d = twoWorkers();
    d.time = 9000;
    d.finish("x");
    d.send({ op: "tick" });
    d.time = 12_000;
    d.send({ op: "worker-heartbeat", workerId: "w2", memory: 0, executing: 1, ready: 0 });
    expect(d.send({ op: "tick" })).toEqual([]);
    expect(d.state.workers().map((w) => w.id)).toEqual(["w1", "w2"]);
  });

  it("removes nobody after its own ticks stalled (a blocked event loop), and gives every worker a fresh timeout", () => {
    const d = twoWorkers();
    d.time = 1000;
    d.send({ op: "tick" });
    d.time = 30_000;
    expect(d.send({ op: "tick" })).toEqual([]);
    d.time = 31_000;
    expect(d.send({ op: "tick" })).toEqual([]);
    expect(d.state.workers().map((w) => w.id)).toEqual(["w1", "w2"]);
    // The stall refreshed w1's timeout to 30 s: it is removed once silent for 10 s after that.
    for (let t = 32_000; t <= 40_000; t += 1000) {
      d.time = t;
      if (t % 4000 === 0) d.send({ op: "worker-heartbeat", workerId: "w2", memory: 0, executing: 1, ready: 0 });
      expect(d.send({ op: "tick" })).toEqual([]);
    }
    d.time = 41_000;
    expect(d.send({ op: "tick" }, "late")).toEqual([
      { op: "rejoin", stimulusId: "late", workerId: "w1", reason: "no message for 11000 ms (timeout 10000 ms)" },
      compute("w2", "x", 3, [], [1, 0], "late"),
    ]);
  });
});
