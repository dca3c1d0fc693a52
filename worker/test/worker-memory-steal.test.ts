// Worker state machine: pausing on memory, and answering steal-requests.
import { describe, expect, it } from "vitest";
import { WDriver, brief } from "./worker-driver.js";

describe("WorkerState: pausing", () => {
  it("starts no task while paused, tells the scheduler at once, and resumes highest priority first", () => {
    const d = new WDriver(1);
    expect(d.send({ op: "memory-state", paused: true, memory: 900, spilled: 100 }, "p1")).toEqual([
      { op: "send", msg: { op: "worker-heartbeat", stimulusId: "p1", workerId: "w1", memory: 900, spilled: 100, executing: 0, ready: 0, paused: true } },
    ]);
    expect(d.state.paused).toBe(true);
    expect(brief(d.compute("b", 2, [], 5))).toEqual([]);
    expect(brief(d.compute("a", 1, [], 1))).toEqual([]);
    expect(d.state.readyCount).toBe(2);
    // A repeated state is no news.
    expect(d.send({ op: "memory-state", paused: true, memory: 950, spilled: 100 })).toEqual([]);
    expect(d.send({ op: "memory-state", paused: false, memory: 100, spilled: 900 }, "p2")).toEqual([
      { op: "send", msg: { op: "worker-heartbeat", stimulusId: "p2", workerId: "w1", memory: 100, spilled: 900, executing: 0, ready: 2, paused: false } },
      { op: "execute", stimulusId: "p2", key: "a", spec: { op: "noop", args: null }, inputs: [] },
    ]);
  });

  it("lets a running task finish while paused, but starts the next only on resume", () => {
    const d = new WDriver(1);
    d.compute("a", 1, [], 0);
    d.compute("b", 2, [], 1);
    d.send({ op: "memory-state", paused: true, memory: 900, spilled: 0 });
    expect(brief(d.done("a"))).toEqual(["send task-finished a 1"]);
    expect(d.state.taskState("b")).toBe("ready");
    expect(brief(d.send({ op: "memory-state", paused: false, memory: 10, spilled: 0 }))).toEqual(["send worker-heartbeat", "execute b"]);
  });
});

describe("WorkerState: steal-requests", () => {
  it("gives up a ready task and forgets it", () => {
    const d = new WDriver(1);
    d.compute("a", 1, [], 0);
    d.compute("b", 2, [], 1);
    expect(d.send({ op: "steal-request", workerId: "w1", key: "b", runId: 2 }, "st")).toEqual([
      { op: "send", msg: { op: "steal-response", stimulusId: "st", workerId: "w1", key: "b", runId: 2, state: "ready" } },
    ]);
    expect(d.state.taskState("b")).toBe("forgotten");
    expect(brief(d.done("a"))).toEqual(["send task-finished a 1"]);
    expect(d.state.executingCount).toBe(0);
  });

  it("gives up a waiting task and stops fetching its inputs", () => {
    const d = new WDriver(1);
    expect(brief(d.compute("x", 3, [["dep", ["w2"]]]))).toEqual(["gather-dep w2 dep"]);
    expect(d.send({ op: "steal-request", workerId: "w1", key: "x", runId: 3 }, "st")).toEqual([
      { op: "send", msg: { op: "steal-response", stimulusId: "st", workerId: "w1", key: "x", runId: 3, state: "waiting" } },
    ]);
    expect(brief(d.send({ op: "gather-dep-success", from: "w2", data: [{ key: "dep", nbytes: 8 }], missing: [] }))).toEqual(["free-data dep"]);
    expect(d.state.taskCount).toBe(0);
  });

  it("keeps a task that already started, or finished, or is unknown, and says so", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    expect(d.send({ op: "steal-request", workerId: "w1", key: "a", runId: 1 }, "st1")).toEqual([
      { op: "send", msg: { op: "steal-response", stimulusId: "st1", workerId: "w1", key: "a", runId: 1, state: "executing" } },
    ]);
    d.done("a");
    expect(brief(d.send({ op: "steal-request", workerId: "w1", key: "a", runId: 1 }))).toEqual(["send steal-response a 1"]);
    expect(d.state.taskState("a")).toBe("memory");
    expect(d.send({ op: "steal-request", workerId: "w1", key: "zz", runId: 9 }, "st3")).toEqual([
      { op: "send", msg: { op: "steal-response", stimulusId: "st3", workerId: "w1", key: "zz", runId: 9, state: "forgotten" } },
    ]);
  });
});
