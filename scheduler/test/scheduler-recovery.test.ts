// Scheduler state machine: lost workers and lost data are recovered from lineage.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

/** a on w1 (8 bytes) and c on w2 (1000 bytes); b = f(a, c) is placed on w2 where most bytes are. */
function started(): Driver {
  const d = new Driver();
  d.connect();
  d.addWorker("w1");
  d.addWorker("w2");
  d.submit({ tasks: [task("a"), task("c"), task("b", ["a", "c"])], outputs: ["b"] });
  d.finish("a", 8);
  d.finish("c", 1000);
  expect(d.assignment("b")).toEqual(compute("w2", "b", 3, [["a", ["w1"], 8], ["c", ["w2"], 1000]], [1, 2], "s6"));
  return d;
}

describe("SchedulerState: recovery", () => {
  it("recomputes a result whose only holder died while a dependent still needs it", () => {
    const d = started();
    expect(d.send({ op: "worker-removed", workerId: "w1", reason: "connection lost" }, "lost")).toEqual([
      { op: "free-keys", stimulusId: "lost", workerId: "w2", keys: ["b"] },
      compute("w2", "a", 4, [], [1, 0], "lost"),
    ]);
    expect(d.state.story("a").slice(-3).map(([, from, to, sid]) => `${from}->${to} ${sid}`)).toEqual([
      "memory->released lost", "released->waiting lost", "waiting->processing lost",
    ]);
    expect(d.finish("a")).toEqual([compute("w2", "b", 5, [["a", ["w2"], 8], ["c", ["w2"], 1000]], [1, 2], "s7")]);
    expect(d.finish("b")).toEqual([
      { op: "job-done", stimulusId: "s8", clientId: "c1", jobId: "j1", total: 3, outputs: [{ key: "b", workerIds: ["w2"], nbytes: 8 }] },
      { op: "free-keys", stimulusId: "s8", workerId: "w2", keys: ["a", "c"] },
    ]);
  });

  it("recomputes a result when the worker that should serve it reports it missing", () => {
    const d = started();
    const b = d.assignment("b");
    expect(d.send({ op: "missing-data", workerId: "w2", key: "b", runId: b.runId, dep: "a", holders: ["w1"] }, "miss")).toEqual([
      { op: "free-keys", stimulusId: "miss", workerId: "w1", keys: ["a"] },
      compute("w1", "a", 4, [], [1, 0], "miss"),
      { op: "free-keys", stimulusId: "miss", workerId: "w2", keys: ["b"] },
    ]);
  });

  it("reschedules the tasks of a lost worker and keeps results other workers hold", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.addWorker("w2");
    d.submit({ tasks: [task("x"), task("y")], outputs: ["x", "y"] });
    expect([d.assignment("x").workerId, d.assignment("y").workerId]).toEqual(["w1", "w2"]);
    d.finish("y");
    expect(d.send({ op: "worker-removed", workerId: "w1", reason: "closed" }, "gone")).toEqual([compute("w2", "x", 3, [], [1, 0], "gone")]);
    expect(d.state.whoHas("y")).toEqual(["w2"]);
  });

  it("queues ready tasks while no worker is connected and sends them when one joins", () => {
    const d = new Driver();
    d.connect();
    d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] });
    expect(d.state.counts()).toMatchObject({ queued: 1, waiting: 1 });
    expect(d.addWorker("w9")).toEqual([compute("w9", "a", 1, [], [1, 0], "s3")]);
  });
});
