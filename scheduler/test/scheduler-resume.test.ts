// Scheduler state machine across a restart: workers rejoin with results, the rest is recomputed, clients resubscribe.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

/** a -> b -> c on two workers; a and b finished (a on w1, b on w2), c running on w2. */
function midJob(): Driver {
  const d = new Driver();
  d.connect();
  d.addWorker("w1");
  d.addWorker("w2");
  d.submit({ tasks: [task("a"), task("x"), task("b", ["a"]), task("c", ["b", "x"])], outputs: ["c"] });
  d.finish("a");
  d.finish("x");
  d.finish("b");
  expect(d.state.taskState("c")).toBe("processing");
  return d;
}

describe("SchedulerState: restarts", () => {
  it("on scheduler-restarted, drops every worker without counting a death and waits for them", () => {
    const d = midJob();
    expect(d.send({ op: "scheduler-restarted" }, "restart")).toEqual([]);
    expect(d.state.workers()).toEqual([]);
    expect(d.state.counts()).toMatchObject({ processing: 0, memory: 0 });
    expect(d.state.jobIds()).toEqual(["c1/j1"]);
    expect(d.state.clientIds()).toEqual(["c1"]);
    // Three restarts in a row do not fail the task that was running each time (a restart is not a death).
    for (let i = 0; i < 3; i++) {
      d.addWorker("w1");
      d.send({ op: "scheduler-restarted" });
    }
    expect(d.state.taskState("c")).not.toBe("erred");
  });

  it("adopts the results rejoining workers report, recomputes only what nobody holds, and finishes the job", () => {
    const d = midJob();
    d.send({ op: "scheduler-restarted" }, "restart");
    // w2 comes back with b (and a stray key nobody wants); a and x were on w1, which does not come back.
    const out = d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30, held: [{ key: "b", nbytes: 64 }, { key: "old", nbytes: 8 }] }, "rejoin-w2");
    // Nothing is computed yet: w1 may still come back with x.
    expect(out).toEqual([{ op: "free-keys", stimulusId: "rejoin-w2", workerId: "w2", keys: ["old"] }]);
    expect(d.state.whoHas("b")).toEqual(["w2"]);
    d.time = 9_999;
    expect(d.send({ op: "tick" })).toEqual([]);
    d.time = 10_000;
    expect(d.send({ op: "tick" }, "grace-over")).toEqual([compute("w2", "x", 5, [], [1, 1], "grace-over")]);
    expect(d.state.story("b").slice(-1).map(([, from, to, sid]) => `${from}->${to} ${sid}`)).toEqual(["waiting->memory rejoin-w2"]);
    expect(d.state.story("x").slice(-1).map(([, from, to, sid]) => `${from}->${to} ${sid}`)).toEqual(["queued->processing grace-over"]);
    // a is not needed any more (b is held): it is not recomputed.
    expect(d.state.taskState("a")).toBe("released");
    d.finish("x");
    expect(d.assignment("c").deps.map((l) => [l.key, l.whoHas])).toEqual([["b", ["w2"]], ["x", ["w2"]]]);
    const done = d.finish("c");
    expect(done[0]).toMatchObject({ op: "job-done", jobId: "j1", outputs: [{ key: "c", workerIds: ["w2"] }] });
    // x ran twice in all (it had finished before the restart), c once after its first run was lost, a and b once.
    expect(d.state.recomputed).toBe(1);
  });

  it("waits for every worker of the previous process, then goes on at once", () => {
    const d = midJob();
    d.send({ op: "scheduler-restarted" });
    expect(d.send({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1 << 30, held: [{ key: "a", nbytes: 8 }] })).toEqual([]);
    const out = d.send({ op: "worker-added", workerId: "w2", nthreads: 1, memoryLimit: 1 << 30, held: [{ key: "b", nbytes: 8 }, { key: "x", nbytes: 8 }] });
    // a is not needed any more: freed; c runs where b and x are.
    expect(out).toEqual([
      compute("w2", "c", 5, [["b", ["w2"], 8], ["x", ["w2"], 8]], [1, 3]),
      { op: "free-keys", stimulusId: expect.any(String), workerId: "w1", keys: ["a"] },
    ]);
    expect(d.state.recomputed).toBe(0);
  });

  it("a result reported by a rejoining worker replaces a recomputation already running elsewhere, which is cancelled", () => {
    const d = midJob();
    d.send({ op: "scheduler-restarted" });
    d.time = 10_000;
    d.send({ op: "tick" });
    d.addWorker("w3");
    expect(d.assignment("a").workerId).toBe("w3");
    const out = d.send({ op: "worker-added", workerId: "w1", nthreads: 1, memoryLimit: 1 << 30, held: [{ key: "a", nbytes: 8 }, { key: "x", nbytes: 8 }] }, "w1-back");
    expect(out).toContainEqual({ op: "free-keys", stimulusId: "w1-back", workerId: "w3", keys: ["a", "x"] });
    expect(d.state.whoHas("a")).toEqual(["w1"]);
    expect(d.state.taskState("b")).toBe("processing");
  });

  it("answers a resubscribing client: progress for a running job, job-done again for a finished one, job-unknown otherwise", () => {
    const d = midJob();
    expect(d.send({ op: "resubscribe", clientId: "c1", jobIds: ["j1", "nope"] }, "resub")).toEqual([
      { op: "job-progress", stimulusId: "resub", clientId: "c1", jobId: "j1", done: 3, total: 4 },
      { op: "job-unknown", stimulusId: "resub", clientId: "c1", jobId: "nope" },
    ]);
    const holder = d.assignment("c").workerId;
    const done = d.finish("c");
    expect(done[0]).toMatchObject({ op: "job-done", jobId: "j1" });
    // The client missed that job-done (say the scheduler restarted right after): it hears it again.
    expect(d.send({ op: "resubscribe", clientId: "c1", jobIds: ["j1"] }, "again")).toEqual([
      { op: "job-done", stimulusId: "again", clientId: "c1", jobId: "j1", total: 4, outputs: [{ key: "c", workerIds: [holder], nbytes: 8 }] },
    ]);
  });
});
