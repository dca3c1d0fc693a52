// Worker state machine when the cluster changes: a lost scheduler, a rejoin, copies for a draining peer.
import { describe, expect, it } from "vitest";
import { WorkerState } from "@tessera/worker";
import { WDriver, brief } from "./worker-driver.js";

describe("WorkerState: losing the scheduler", () => {
  it("keeps held results for the next scheduler, cancels running tasks, drops the rest", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    d.done("a", 40);
    d.compute("b", 2, [["a", ["w1"]]]);
    d.compute("c", 3);
    expect(d.state.taskState("b")).toBe("executing");
    expect(d.state.taskState("c")).toBe("ready");
    expect(brief(d.send({ op: "scheduler-lost", keepData: true }))).toEqual([]);
    expect(d.state.taskState("a")).toBe("memory");
    expect(d.state.taskState("b")).toBe("cancelled");
    expect(d.state.taskState("c")).toBe("forgotten");
    expect(d.state.heldResults()).toEqual([{ key: "a", nbytes: 40 }]);
    // b's result comes in: not wanted by anyone now, it is dropped.
    expect(brief(d.done("b"))).toEqual(["free-data b"]);
    // The new scheduler assigns a again: it is reported at once; a free-keys later drops it.
    expect(brief(d.compute("a", 1))).toEqual(["send task-finished a 1"]);
    expect(brief(d.send({ op: "free-keys", workerId: "w1", keys: ["a"] }))).toEqual(["free-data a"]);
    expect(d.state.heldResults()).toEqual([]);
  });

  it("on rejoin (the scheduler timed it out) drops everything it holds", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    d.done("a");
    d.compute("b", 2);
    d.done("b");
    expect(brief(d.send({ op: "rejoin", workerId: "w1", reason: "timeout" }))).toEqual(["free-data a,b"]);
    expect(d.state.heldResults()).toEqual([]);
    expect(d.state.taskCount).toBe(0);
  });
});

describe("WorkerState: copies for a draining peer", () => {
  it("fetches each asked key from its holder, keeps it and reports it with add-keys", () => {
    const d = new WDriver(1);
    const out = d.send({ op: "acquire-replicas", workerId: "w1", keys: [{ key: "x", whoHas: ["w9"], nbytes: 5 }, { key: "y", whoHas: ["w9"], nbytes: 6 }] });
    expect(brief(out)).toEqual(["gather-dep w9 x,y"]);
    const got = d.send({ op: "gather-dep-success", from: "w9", data: [{ key: "x", nbytes: 5 }], missing: ["y"] });
    expect(got).toEqual([
      { op: "send", msg: { op: "add-keys", stimulusId: expect.any(String), workerId: "w1", keys: [{ key: "x", nbytes: 5 }], failed: [] } },
      { op: "send", msg: { op: "add-keys", stimulusId: expect.any(String), workerId: "w1", keys: [], failed: ["y"] } },
    ]);
    expect(d.state.heldResults()).toEqual([{ key: "x", nbytes: 5 }]);
    expect(d.state.taskState("y")).toBe("forgotten");
  });

  it("reports a key it already holds at once, and a key with no other holder as failed", () => {
    const d = new WDriver(1);
    d.compute("a", 1);
    d.done("a", 7);
    expect(d.send({ op: "acquire-replicas", workerId: "w1", keys: [{ key: "a", whoHas: ["w2"], nbytes: 7 }, { key: "z", whoHas: ["w1"], nbytes: 1 }] })).toEqual([
      { op: "send", msg: { op: "add-keys", stimulusId: expect.any(String), workerId: "w1", keys: [{ key: "a", nbytes: 7 }], failed: ["z"] } },
    ]);
    // Freed by the scheduler later: the copy goes like any result.
    expect(brief(d.send({ op: "free-keys", workerId: "w1", keys: ["a"] }))).toEqual(["free-data a"]);
  });
});

describe("WorkerState: gathers bounded by bytes", () => {
  it("asks a peer for at most maxGatherBytes at once; the rest follow when the first answer arrives", () => {
    const state = new WorkerState({ workerId: "w1", nthreads: 1, validate: true, maxGatherBytes: 20 });
    let n = 0;
    const send = (m: object): string[] => brief(state.handle({ ...m, stimulusId: `s${++n}`, time: 0 } as Parameters<WorkerState["handle"]>[0]));
    const deps = ["d1", "d2", "d3"].map((key) => ({ key, whoHas: ["w2"], nbytes: 8 }));
    expect(send({ op: "compute-task", workerId: "w1", key: "x", runId: 1, spec: { op: "noop", args: null }, priority: [1, 0], deps })).toEqual(["gather-dep w2 d1,d2"]);
    expect(send({ op: "gather-dep-success", from: "w2", data: [{ key: "d1", nbytes: 8 }, { key: "d2", nbytes: 8 }], missing: [] })).toEqual(["gather-dep w2 d3"]);
    expect(send({ op: "gather-dep-success", from: "w2", data: [{ key: "d3", nbytes: 8 }], missing: [] })).toEqual(["execute x", "free-data d1,d2,d3"]);
  });
});
