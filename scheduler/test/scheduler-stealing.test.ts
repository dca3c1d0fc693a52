// Scheduler state machine: work stealing by steal-request / steal-response, message by message.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

/** a ran on w1; b1..b3 (inputs: a) all went to w1 by locality; w1 has one thread, so two of them wait there. */
function piledUp(): Driver {
  const d = new Driver();
  d.connect();
  d.addWorker("w1");
  const graph = { tasks: [task("a"), task("b1", ["a"]), task("b2", ["a"]), task("b3", ["a"])], outputs: ["b1", "b2", "b3"] };
  expect(d.submit(graph)).toEqual([compute("w1", "a", 1, [], [1, 0], "s3")]);
  expect(d.finish("a", 100)).toEqual([
    compute("w1", "b1", 2, [["a", ["w1"], 100]], [1, 1], "s4"),
    compute("w1", "b2", 3, [["a", ["w1"], 100]], [1, 2], "s4"),
    compute("w1", "b3", 4, [["a", ["w1"], 100]], [1, 3], "s4"),
  ]);
  return d;
}

describe("SchedulerState: work stealing", () => {
  it("gives a worker that joins late tasks stolen from a saturated one, lowest priority first", () => {
    const d = piledUp();
    // w2 has one idle thread; w1 has two tasks beyond its thread: one steal, of the task w1 would run last.
    expect(d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30 }, "join")).toEqual([
      { op: "steal-request", stimulusId: "join", workerId: "w1", key: "b3", runId: 4 },
    ]);
    // Nothing is asked twice while the answer is pending.
    expect(d.send({ op: "worker-heartbeat", workerId: "w2", memory: 0, executing: 0, ready: 0 })).toEqual([]);
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b3", runId: 4, state: "ready" }, "resp")).toEqual([
      compute("w2", "b3", 5, [["a", ["w1"], 100]], [1, 3], "resp"),
    ]);
    expect(d.state.story("b3").slice(-2)).toEqual([["b3", "processing", "waiting", "resp", 0], ["b3", "waiting", "processing", "resp", 0]]);
    expect(d.state.workers().map((w) => [w.id, w.processing])).toEqual([["w1", ["b1", "b2"]], ["w2", ["b3"]]]);
    // The job completes with the stolen task's result on w2.
    d.finish("b1");
    d.finish("b3");
    expect(d.finish("b2")).toEqual([
      {
        op: "job-done", stimulusId: "s8", clientId: "c1", jobId: "j1", total: 4,
        outputs: [{ key: "b1", workerIds: ["w1"], nbytes: 8 }, { key: "b2", workerIds: ["w1"], nbytes: 8 }, { key: "b3", workerIds: ["w2"], nbytes: 8 }],
      },
      { op: "free-keys", stimulusId: "s8", workerId: "w1", keys: ["a"] },
    ]);
  });

  it("leaves a task where it is when the victim had already started it, and does not ask for that run again", () => {
    const d = piledUp();
    expect(d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30 }, "join")).toEqual([
      { op: "steal-request", stimulusId: "join", workerId: "w1", key: "b3", runId: 4 },
    ]);
    // w1 started b3 first (its order is its own); the steal fails, and the next candidate is asked for.
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b3", runId: 4, state: "executing" }, "resp")).toEqual([
      { op: "steal-request", stimulusId: "resp", workerId: "w1", key: "b2", runId: 3 },
    ]);
    expect(d.state.workers()[0]).toMatchObject({ id: "w1", processing: ["b1", "b2", "b3"] });
    expect(d.state.story("b3").slice(-1)).toEqual([["b3", "waiting", "processing", "s4", 0]]);
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b2", runId: 3, state: "ready" }, "resp2")).toEqual([
      compute("w2", "b2", 5, [["a", ["w1"], 100]], [1, 2], "resp2"),
    ]);
  });

  it("ignores an answer about an older run, and an answer after the task finished", () => {
    const d = piledUp();
    d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30 });
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b3", runId: 99, state: "ready" })).toEqual([]);
    // The victim finished b3 before the request arrived; its task-finished comes first (and w2, still idle,
    // asks for the next candidate), then the late answer changes nothing.
    expect(d.finish("b3")).toEqual([{ op: "steal-request", stimulusId: "s7", workerId: "w1", key: "b2", runId: 3 }]);
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b3", runId: 4, state: "memory" })).toEqual([]);
    expect(d.state.whoHas("b3")).toEqual(["w1"]);
  });

  it("places the task anew when the thief left before the answer", () => {
    const d = piledUp();
    d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30 });
    d.send({ op: "worker-removed", workerId: "w2", reason: "closed" });
    // Back on w1, where its input is (a fresh run id, no free-keys: w1 dropped it).
    expect(d.send({ op: "steal-response", workerId: "w1", key: "b3", runId: 4, state: "ready" }, "resp")).toEqual([
      compute("w1", "b3", 5, [["a", ["w1"], 100]], [1, 3], "resp"),
    ]);
  });

  it("does not steal when stealing is off", () => {
    const d = new Driver({ stealing: false });
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: [task("a"), task("b1", ["a"]), task("b2", ["a"])], outputs: ["b1", "b2"] });
    d.finish("a");
    expect(d.addWorker("w2")).toEqual([]);
  });

  it("steals a task only when fetching the inputs its worker holds costs less than the task runs", () => {
    const big = 256 * 2 ** 20;
    const run = (runMs: number): unknown[] => {
      const d = new Driver();
      d.connect();
      d.addWorker("w1");
      // c1..c3 (label x, like b1) need a's 256 MiB and b1; they are placed on w1 once b1 reports how long it ran.
      const tasks = [task("a"), task("b1", ["a"], "x", 0), ...[1, 2, 3].map((i) => task(`c${i}`, ["a", "b1"], "x", i))];
      d.submit({ tasks, outputs: ["c1", "c2", "c3"] });
      d.finish("a", big);
      const c = d.assignment("b1");
      d.send({ op: "task-finished", workerId: "w1", key: "b1", runId: c.runId, nbytes: 8, startedAt: 1000, finishedAt: 1000 + runMs });
      return d.addWorker("w2").filter((m) => m.op === "steal-request");
    };
    // 256 MiB at 100 MB/s take ~2.7 s: tasks of 10 ms are not worth moving, tasks of 10 s are.
    expect(run(10)).toEqual([]);
    expect(run(10_000)).toHaveLength(1);
  });
});
