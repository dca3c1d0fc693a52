// Scheduler state machine: a linear job and a diamond, message by message.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

describe("SchedulerState: a linear job", () => {
  it("runs a -> b -> c in order, frees inputs once used and the output once released", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    const graph = { tasks: [task("a"), task("b", ["a"]), task("c", ["b"])], outputs: ["c"] };
    expect(d.submit(graph, "j1")).toEqual([compute("w1", "a", 1, [], [1, 0], "s3")]);
    expect(d.finish("a")).toEqual([compute("w1", "b", 2, [["a", ["w1"], 8]], [1, 1], "s4")]);
    expect(d.finish("b")).toEqual([
      compute("w1", "c", 3, [["b", ["w1"], 8]], [1, 2], "s5"),
      { op: "free-keys", stimulusId: "s5", workerId: "w1", keys: ["a"] },
    ]);
    expect(d.finish("c", 100)).toEqual([
      { op: "job-done", stimulusId: "s6", clientId: "c1", jobId: "j1", total: 3, outputs: [{ key: "c", workerIds: ["w1"], nbytes: 100 }] },
      { op: "free-keys", stimulusId: "s6", workerId: "w1", keys: ["b"] },
    ]);
    expect(d.state.counts()).toMatchObject({ memory: 1, released: 2 });
    expect(d.send({ op: "release-keys", clientId: "c1", jobId: "j1" })).toEqual([
      { op: "free-keys", stimulusId: "s7", workerId: "w1", keys: ["c"] },
    ]);
    expect(d.state.taskCount).toBe(0);
  });

  it("tells each task's story with the stimulus that moved it", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: [task("a"), task("b", ["a"])], outputs: ["b"] });
    d.finish("a");
    d.finish("b");
    expect(d.state.story("a")).toEqual([
      ["a", "released", "waiting", "s3", 0],
      ["a", "waiting", "processing", "s3", 0],
      ["a", "processing", "memory", "s4", 0],
      ["a", "memory", "released", "s5", 0],
    ]);
  });

  it("queues root tasks beyond nthreads + 1 per worker and admits them as slots free up", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 2);
    const keys = ["r0", "r1", "r2", "r3", "r4"];
    const out = d.submit({ tasks: keys.map((k) => task(k)), outputs: keys });
    expect(out.map((m) => m.op === "compute-task" && m.key)).toEqual(["r0", "r1", "r2"]);
    expect(d.state.counts()).toMatchObject({ processing: 3, queued: 2 });
    expect(d.state.story("r3")).toEqual([["r3", "released", "waiting", "s3", 0], ["r3", "waiting", "queued", "s3", 0]]);
    expect(d.finish("r1")).toEqual([compute("w1", "r3", 4, [], [1, 3], "s4")]);
  });

  it("runs only what the outputs need", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    const out = d.submit({ tasks: [task("a"), task("unused", ["a"]), task("b", ["a"])], outputs: ["b"] });
    expect(out).toEqual([compute("w1", "a", 1, [], [1, 0], "s3")]);
    expect(d.state.taskState("unused")).toBe("forgotten");
  });

  it("places a task where most of its input bytes are, then by load", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.addWorker("w2");
    d.submit({ tasks: [task("x"), task("y"), task("z", ["x", "y"])], outputs: ["z"] });
    expect([d.assignment("x").workerId, d.assignment("y").workerId]).toEqual(["w1", "w2"]);
    d.finish("x", 10);
    expect(d.finish("y", 1000)).toEqual([compute("w2", "z", 3, [["x", ["w1"], 10], ["y", ["w2"], 1000]], [1, 2], "s6")]);
  });

  it("weighs fetching inputs against queues: small inputs spread to an idle worker, large ones stay with their holder", () => {
    const place = (bytes: number): string[] => {
      const d = new Driver();
      d.connect();
      d.addWorker("w1");
      const deps = ["b1", "b2", "b3", "b4", "b5", "b6"];
      d.submit({ tasks: [task("a"), ...deps.map((k) => task(k, ["a"]))], outputs: deps });
      d.addWorker("w2");
      d.finish("a", bytes);
      return deps.map((k) => d.assignment(k).workerId);
    };
    // a's six dependents become ready at once. Fetching 1 KiB (a latency) costs about one queued task on w1's thread,
    // so the idle w2 takes one once w1 has two queued; 256 MiB at the default 100 MB/s take seconds, so all queue on w1.
    expect(place(1024)).toEqual(["w1", "w1", "w2", "w1", "w1", "w1"]);
    expect(place(256 * 2 ** 20)).toEqual(["w1", "w1", "w1", "w1", "w1", "w1"]);
  });

  it("spreads the merges of a shuffle over the workers holding their inputs before any merge has run", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.addWorker("w2");
    const merges = ["m1", "m2", "m3", "m4"];
    d.submit({ tasks: [task("a1"), task("a2"), ...merges.map((k) => task(k, ["a1", "a2"]))], outputs: merges });
    expect([d.assignment("a1").workerId, d.assignment("a2").workerId]).toEqual(["w1", "w2"]);
    d.finish("a1", 1_000_000);
    // w2 holds half as much again of every merge's inputs: fetching a1 costs 10 ms at 100 MB/s, fetching a2 15 ms.
    // Each merge is assumed to run as long as fetching all 2.5 MB would take (25 ms), so one merge queued on w2
    // outweighs the 5 ms its bytes save: they alternate. (Assumed to take 1 ms, all four would queue on w2.)
    d.finish("a2", 1_500_000);
    expect(merges.map((k) => d.assignment(k).workerId)).toEqual(["w2", "w1", "w2", "w1"]);
  });
});
