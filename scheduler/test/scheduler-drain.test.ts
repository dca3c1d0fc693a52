// Scheduler state machine: draining a worker moves its results to peers (acquire-replicas / add-keys), then closes it.
import { describe, expect, it } from "vitest";
import type { AcquireReplicas, SchedulerMessage } from "@tessera/protocol";
import { Driver, task } from "./driver.js";

/** Three workers; a job whose outputs p0..p2 were placed one per worker and are kept (persisted). */
function kept(): Driver {
  const d = new Driver();
  d.connect();
  for (const w of ["w1", "w2", "w3"]) d.addWorker(w);
  d.submit({ tasks: [task("p0"), task("p1"), task("p2")], outputs: ["p0", "p1", "p2"] });
  for (const k of ["p0", "p1", "p2"]) d.finish(k, 100);
  return d;
}

function copies(out: readonly SchedulerMessage[]): AcquireReplicas[] {
  return out.filter((m): m is AcquireReplicas => m.op === "acquire-replicas");
}

describe("SchedulerState: draining a worker", () => {
  it("copies each result only the worker holds to a peer, then closes it; nothing is recomputed", () => {
    const d = kept();
    const victim = d.assignment("p1").workerId;
    const out = d.send({ op: "retire-worker", clientId: "c1", workerId: victim }, "drain");
    const asks = copies(out);
    expect(asks).toHaveLength(1);
    const ask = asks[0] as AcquireReplicas;
    expect(ask.workerId).not.toBe(victim);
    expect(ask.keys).toEqual([{ key: "p1", whoHas: [victim], nbytes: 100 }]);
    expect(d.state.workers().find((w) => w.id === victim)).toBeDefined();
    const done = d.send({ op: "add-keys", workerId: ask.workerId, keys: [{ key: "p1", nbytes: 100 }], failed: [] }, "copied");
    expect(done).toEqual([
      { op: "close-worker", stimulusId: "copied", workerId: victim, reason: "drained: 1 results (100 bytes) moved to peers" },
      { op: "worker-retired", stimulusId: "copied", clientId: "c1", workerId: victim, keys: 1, nbytes: 100 },
    ]);
    expect(d.state.workers().map((w) => w.id)).not.toContain(victim);
    expect(d.state.whoHas("p1")).toEqual([ask.workerId]);
    expect(d.state.recomputed).toBe(0);
  });

  it("gives a draining worker no new task; its tasks not started are stolen by peers; it closes once its last one is copied", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 1);
    d.submit({ tasks: [task("a"), task("b"), task("c")], outputs: ["a", "b", "c"] });
    // One thread and one task of slack: a and b are on w1, c waits in the queue.
    expect(d.state.workers()[0]?.processing).toEqual(["a", "b"]);
    expect(d.send({ op: "worker-retiring", workerId: "w1" })).toEqual([]);
    const joined = d.addWorker("w2", 2);
    // The queued task goes to the new worker, and w1 is asked to give up b (not started).
    expect(joined.map((m) => `${m.op} ${"workerId" in m ? m.workerId : ""} ${"key" in m ? m.key : ""}`)).toEqual(["compute-task w2 c", "steal-request w1 b"]);
    const b = d.assignment("b");
    const moved = d.send({ op: "steal-response", workerId: "w1", key: "b", runId: b.runId, state: "ready" });
    expect(moved).toMatchObject([{ op: "compute-task", workerId: "w2", key: "b" }]);
    d.submit({ tasks: [task("z")], outputs: ["z"] }, "j2");
    expect(d.assignment("z").workerId).toBe("w2");
    // a finishes on w1: it is copied to w2, then w1 closes.
    const ask = copies(d.finish("a", 50));
    expect(ask).toEqual([{ op: "acquire-replicas", stimulusId: expect.any(String), workerId: "w2", keys: [{ key: "a", whoHas: ["w1"], nbytes: 50 }] }]);
    const closed = d.send({ op: "add-keys", workerId: "w2", keys: [{ key: "a", nbytes: 50 }], failed: [] });
    expect(closed.map((m) => m.op)).toEqual(["close-worker"]);
    expect(d.state.workers().map((w) => w.id)).toEqual(["w2"]);
  });

  it("lets peers steal a draining worker's tasks even where moving their inputs would not pay", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 1);
    d.submit({ tasks: [task("r"), task("x1", ["r"]), task("x2", ["r"]), task("x3", ["r"])], outputs: ["x1", "x2", "x3"] });
    // r's 50 MB result is on w1 and nothing has run long yet: its dependents stay with it, none worth stealing.
    d.finish("r", 50 << 20);
    expect(d.state.workers()[0]?.processing).toEqual(["x1", "x2", "x3"]);
    expect(d.addWorker("w2", 2).filter((m) => m.op === "steal-request")).toEqual([]);
    // Draining w1 makes every task it has not started stealable: w2's two idle threads ask for two.
    const asked = d.send({ op: "worker-retiring", workerId: "w1" }).filter((m) => m.op === "steal-request");
    expect(asked.map((m) => m.workerId)).toEqual(["w1", "w1"]);
  });

  it("asks another peer when a copy fails, and gives up after three tries (the result is then recomputed)", () => {
    const d = kept();
    const victim = d.assignment("p0").workerId;
    let ask = copies(d.send({ op: "retire-worker", clientId: "c1", workerId: victim }))[0] as AcquireReplicas;
    for (let i = 0; i < 2; i++) {
      ask = copies(d.send({ op: "add-keys", workerId: ask.workerId, keys: [], failed: ["p0"] }))[0] as AcquireReplicas;
      expect(ask.keys.map((k) => k.key)).toEqual(["p0"]);
    }
    const last = d.send({ op: "add-keys", workerId: ask.workerId, keys: [], failed: ["p0"] }, "third");
    expect(last.map((m) => m.op)).toEqual(["close-worker", "worker-retired", "compute-task"]);
    expect(last[2]).toMatchObject({ key: "p0" });
    expect(d.state.recomputed).toBe(1);
  });

  it("answers a drain of an unknown worker with an error", () => {
    const d = kept();
    expect(d.send({ op: "retire-worker", clientId: "c1", workerId: "nobody" }, "x")).toEqual([{
      op: "worker-retired", stimulusId: "x", clientId: "c1", workerId: "nobody", keys: 0, nbytes: 0,
      error: { name: "ExecutionError", code: "UNKNOWN_WORKER", category: "execution", message: "no worker named nobody is connected", details: { worker: "nobody" } },
    }]);
  });

  it("tells a draining client the worker left before it was drained", () => {
    const d = kept();
    const victim = d.assignment("p2").workerId;
    d.send({ op: "retire-worker", clientId: "c1", workerId: victim });
    const out = d.send({ op: "worker-removed", workerId: victim, reason: "killed" });
    expect(out.find((m) => m.op === "worker-retired")).toMatchObject({ workerId: victim, error: { code: "WORKER_LOST" } });
  });
});
