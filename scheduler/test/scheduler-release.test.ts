// Scheduler state machine: results are freed when no job or client wants them; jobs share keys.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

describe("SchedulerState: releasing results", () => {
  it("frees an output when its client releases it, and the job once it holds nothing", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 2);
    d.submit({ tasks: [task("p"), task("q")], outputs: ["p", "q"] });
    d.finish("p");
    d.finish("q");
    expect(d.send({ op: "release-keys", clientId: "c1", keys: ["p"] })).toEqual([
      { op: "free-keys", stimulusId: "s6", workerId: "w1", keys: ["p"] },
    ]);
    expect(d.state.taskCount).toBe(1);
    d.send({ op: "release-keys", clientId: "c1", keys: ["q"] });
    expect(d.state.taskCount).toBe(0);
  });

  it("cancels a running job when it is released and keeps what another job needs", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 3);
    d.submit({ tasks: [task("shared"), task("mine")], outputs: ["shared", "mine"] }, "j1");
    d.submit({ tasks: [task("shared"), task("theirs", ["shared"])], outputs: ["theirs"] }, "j2");
    expect(d.send({ op: "release-keys", clientId: "c1", jobId: "j1" })).toEqual([
      { op: "free-keys", stimulusId: "s5", workerId: "w1", keys: ["mine"] },
    ]);
    expect(d.state.taskState("shared")).toBe("processing");
  });

  it("releases everything a client held when it disconnects", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] });
    d.finish("a");
    expect(d.send({ op: "client-disconnected", clientId: "c1" })).toEqual([
      { op: "free-keys", stimulusId: "s5", workerId: "w1", keys: ["b", "a"] },
    ]);
    expect(d.state.taskCount).toBe(0);
  });

  it("sends throttled progress by stimulus time", () => {
    const d = new Driver({ progressIntervalMs: 100 });
    d.connect();
    d.addWorker("w1", 4);
    d.submit({ tasks: ["a", "b", "c", "d"].map((k) => task(k)), outputs: ["a", "b", "c", "d"] });
    d.time = 50;
    expect(d.finish("a")).toEqual([]);
    d.time = 120;
    expect(d.finish("b")).toEqual([{ op: "job-progress", stimulusId: "s5", clientId: "c1", jobId: "j1", done: 2, total: 4 }]);
    d.time = 130;
    expect(d.finish("c")).toEqual([]);
  });
});

describe("SchedulerState: two jobs sharing keys", () => {
  it("computes a shared key once, for both jobs, and frees it after both are done with it", () => {
    const d = new Driver();
    d.connect();
    d.connect("c2");
    d.addWorker("w1", 2);
    expect(d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] }, "j1", "c1")).toEqual([compute("w1", "a", 1, [], [1, 0], "s4")]);
    expect(d.submit({ tasks: [task("a"), task("c", ["a"])], outputs: ["c"] }, "j1", "c2")).toEqual([]);
    expect(d.finish("a")).toEqual([
      compute("w1", "b", 2, [["a", ["w1"], 8]], [1, 1], "s6"),
      compute("w1", "c", 3, [["a", ["w1"], 8]], [2, 1], "s6"),
    ]);
    expect(d.finish("b").map((m) => m.op)).toEqual(["job-done"]);
    expect(d.finish("c")).toEqual([
      { op: "job-done", stimulusId: "s8", clientId: "c2", jobId: "j1", total: 2, outputs: [{ key: "c", workerIds: ["w1"], nbytes: 8 }] },
      { op: "free-keys", stimulusId: "s8", workerId: "w1", keys: ["a"] },
    ]);
  });

  it("finishes a job at once when its outputs are already held for another job", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] }, "j1");
    d.finish("a");
    d.finish("b");
    expect(d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] }, "j2")).toEqual([
      { op: "job-done", stimulusId: "s6", clientId: "c1", jobId: "j2", total: 1, outputs: [{ key: "b", workerIds: ["w1"], nbytes: 8 }] },
    ]);
  });

  it("runs the earlier job's queued roots first", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: ["a0", "a1", "a2"].map((k) => task(k)), outputs: ["a0", "a1", "a2"] }, "j1");
    d.submit({ tasks: ["b0", "b1"].map((k) => task(k)), outputs: ["b0", "b1"] }, "j2");
    expect(d.finish("a0").map((m) => m.op === "compute-task" && m.key)).toEqual(["a2"]);
    expect(d.finish("a1").map((m) => m.op === "compute-task" && m.key)).toEqual(["b0"]);
  });
});
