// Worker state machine: thread limits, fetching inputs from peers with retry, cancellation, errors.
import { describe, expect, it } from "vitest";
import { WDriver, brief } from "./worker-driver.js";

describe("WorkerState: executing", () => {
  it("executes at most nthreads tasks at once, highest priority first", () => {
    const d = new WDriver(2);
    expect(brief(d.compute("c", 3, [], 2))).toEqual(["execute c"]);
    expect(brief(d.compute("b", 2, [], 1))).toEqual(["execute b"]);
    expect(brief(d.compute("z", 5, [], 9))).toEqual([]);
    expect(brief(d.compute("a", 1, [], 0))).toEqual([]);
    expect(d.state.executingCount).toBe(2);
    expect(brief(d.done("c"))).toEqual(["send task-finished c 3", "execute a"]);
    expect(brief(d.done("a"))).toEqual(["send task-finished a 1", "execute z"]);
  });

  it("sends the exact execute instruction and task-finished message", () => {
    const d = new WDriver(1);
    expect(d.compute("a", 7)).toEqual([{ op: "execute", stimulusId: "s1", key: "a", spec: { op: "noop", args: null }, inputs: [] }]);
    expect(d.done("a", 64)).toEqual([
      { op: "send", msg: { op: "task-finished", stimulusId: "s2", workerId: "w1", key: "a", runId: 7, nbytes: 64 } },
    ]);
    expect(d.state.taskState("a")).toBe("memory");
  });

  it("reports an error as task-erred and forgets the task", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    const error = { name: "ExecutionError", code: "X", category: "execution" as const, message: "op noop: bad" };
    expect(d.send({ op: "execute-failure", key: "a", error })).toEqual([
      { op: "send", msg: { op: "task-erred", stimulusId: "s2", workerId: "w1", key: "a", runId: 1, error } },
    ]);
    expect(d.state.taskState("a")).toBe("forgotten");
  });

  it("drops the result of a task freed while executing, and resumes it when reassigned", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    expect(d.send({ op: "free-keys", workerId: "w1", keys: ["a"] })).toEqual([]);
    expect(d.state.taskState("a")).toBe("cancelled");
    expect(brief(d.compute("b", 2))).toEqual([]);
    expect(brief(d.done("a"))).toEqual(["execute b", "free-data a"]);
    d.compute("c", 3);
    d.send({ op: "free-keys", workerId: "w1", keys: ["b"] });
    expect(brief(d.compute("b", 4))).toEqual([]);
    expect(brief(d.done("b"))).toEqual(["send task-finished b 4", "execute c"]);
  });

  it("answers at once for a key it already holds, and frees it when told", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    d.done("a");
    expect(brief(d.compute("a", 9))).toEqual(["send task-finished a 9"]);
    expect(brief(d.send({ op: "free-keys", workerId: "w1", keys: ["a"] }))).toEqual(["free-data a"]);
    expect(d.state.taskCount).toBe(0);
  });
});

describe("WorkerState: fetching inputs", () => {
  it("gathers inputs from their holders, one gather per peer, executes, then frees the fetched copies", () => {
    const d = new WDriver(1);
    expect(brief(d.compute("x", 1, [["d1", ["w2"]], ["d2", ["w3"]], ["d3", ["w2"]]]))).toEqual([
      "gather-dep w2 d1,d3", "gather-dep w3 d2",
    ]);
    expect(d.state.taskState("x")).toBe("waiting");
    expect(d.send({ op: "gather-dep-success", from: "w3", data: [{ key: "d2", nbytes: 8 }], missing: [] })).toEqual([]);
    const out = d.send({ op: "gather-dep-success", from: "w2", data: [{ key: "d1", nbytes: 8 }, { key: "d3", nbytes: 8 }], missing: [] });
    expect(out).toEqual([
      { op: "execute", stimulusId: "s3", key: "x", spec: { op: "noop", args: null }, inputs: ["d1", "d2", "d3"] },
      { op: "free-data", stimulusId: "s3", keys: ["d1", "d2", "d3"] },
    ]);
  });

  it("uses an input it already holds without fetching it", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    d.done("a");
    expect(brief(d.compute("b", 2, [["a", ["w1"]]]))).toEqual(["execute b"]);
  });

  it("retries another holder when one does not have the input", () => {
    const d = new WDriver(1);
    expect(brief(d.compute("x", 1, [["d", ["w2", "w3"]]]))).toEqual(["gather-dep w2 d"]);
    expect(brief(d.send({ op: "gather-dep-success", from: "w2", data: [], missing: ["d"] }))).toEqual(["gather-dep w3 d"]);
    expect(brief(d.send({ op: "gather-dep-success", from: "w3", data: [{ key: "d", nbytes: 8 }], missing: [] }))).toEqual([
      "execute x", "free-data d",
    ]);
  });

  it("reports missing-data and drops the task when no holder can serve an input", () => {
    const d = new WDriver(1);
    d.compute("x", 1, [["d", ["w2", "w3"]]]);
    const error = { name: "IoError", code: "PEER_UNREACHABLE", category: "io" as const, message: "gone" };
    expect(brief(d.send({ op: "gather-dep-failure", from: "w2", keys: ["d"], error }))).toEqual(["gather-dep w3 d"]);
    expect(brief(d.send({ op: "gather-dep-success", from: "w3", data: [], missing: ["d"] }))).toEqual([
      "send missing-data x d [w2,w3]",
    ]);
    expect(d.state.taskCount).toBe(0);
  });

  it("shares one fetch between two tasks that need the same input", () => {
    const d = new WDriver(2);
    expect(brief(d.compute("x", 1, [["d", ["w2"]]]))).toEqual(["gather-dep w2 d"]);
    expect(brief(d.compute("y", 2, [["d", ["w2"]]]))).toEqual([]);
    expect(brief(d.send({ op: "gather-dep-success", from: "w2", data: [{ key: "d", nbytes: 8 }], missing: [] }))).toEqual([
      "execute x", "execute y", "free-data d",
    ]);
  });

  it("drops an input that arrives after its task was freed", () => {
    const d = new WDriver(1);
    d.compute("x", 1, [["d", ["w2"]]]);
    expect(brief(d.send({ op: "free-keys", workerId: "w1", keys: ["x"] }))).toEqual([]);
    expect(d.state.taskState("d")).toBe("flight");
    expect(brief(d.send({ op: "gather-dep-success", from: "w2", data: [{ key: "d", nbytes: 8 }], missing: [] }))).toEqual(["free-data d"]);
    expect(d.state.taskCount).toBe(0);
  });

  it("tells the story of a fetched input", () => {
    const d = new WDriver(1);
    d.compute("x", 1, [["d", ["w2"]]]);
    d.send({ op: "gather-dep-success", from: "w2", data: [{ key: "d", nbytes: 8 }], missing: [] });
    expect(d.state.story("d")).toEqual([
      ["d", "released", "fetch", "s1", 0],
      ["d", "fetch", "flight", "s1", 0],
      ["d", "flight", "memory", "s2", 0],
      ["d", "memory", "released", "s2", 0],
    ]);
  });
});
