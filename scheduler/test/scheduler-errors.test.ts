// Scheduler state machine: failing tasks, dependents erring with them, and invalid submissions.
import { describe, expect, it } from "vitest";
import { Driver, compute, task } from "./driver.js";

describe("SchedulerState: a task that errs", () => {
  it("errs its dependents, sends job-erred with op and partition, and cancels the rest of the job", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1", 2);
    const graph = { tasks: [task("a", [], "fail", 3), task("b", ["a"]), task("c"), task("d", ["b", "c"])], outputs: ["d"] };
    const out = d.submit(graph);
    expect(out.map((m) => m.op === "compute-task" && m.key)).toEqual(["a", "c"]);
    expect(d.fail("a", "division by zero")).toEqual([
      {
        op: "job-erred", stimulusId: "s4", clientId: "c1", jobId: "j1", key: "a",
        error: {
          name: "ExecutionError", code: "TEST_FAILURE", category: "execution",
          message: "op fail, partition 3: division by zero",
          details: { key: "a", op: "fail", label: { name: "fail", partition: 3 } },
        },
      },
      { op: "free-keys", stimulusId: "s4", workerId: "w1", keys: ["c"] },
    ]);
    expect(d.state.story("b").map(([, from, to, sid]) => `${from}->${to} ${sid}`)).toEqual([
      "released->waiting s3", "waiting->erred s4", "erred->released s4", "released->forgotten s4",
    ]);
    expect(d.state.taskCount).toBe(0);
    // The late result of the cancelled task is dropped on the worker.
    const c = d.assignment("c");
    expect(d.send({ op: "task-finished", workerId: "w1", key: "c", runId: c.runId, nbytes: 8 })).toEqual([
      { op: "free-keys", stimulusId: "s5", workerId: "w1", keys: ["c"] },
    ]);
  });

  it("fails every job that shares the failed task", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.submit({ tasks: [task("a", [], "fail")], outputs: ["a"] }, "j1");
    d.submit({ tasks: [task("a", [], "fail"), task("b", ["a"])], outputs: ["b"] }, "j2");
    const out = d.fail("a");
    expect(out.map((m) => m.op === "job-erred" && [m.jobId, m.key])).toEqual([["j1", "a"], ["j2", "a"]]);
    expect(d.state.taskCount).toBe(0);
  });

  it("rejects a graph with a cycle, a missing input or a reused key with other work, without changing state", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    const codes = (out: ReturnType<Driver["send"]>): unknown[] => out.map((m) => m.op === "job-erred" && [m.jobId, m.error.code, m.error.message]);
    expect(codes(d.submit({ tasks: [task("a", ["b"]), task("b", ["a"])], outputs: ["a"] }, "j1"))).toEqual([
      ["j1", "INVALID_GRAPH", "the graph has a cycle through task a"],
    ]);
    expect(codes(d.submit({ tasks: [task("a", ["zz"])], outputs: ["a"] }, "j2"))).toEqual([
      ["j2", "INVALID_GRAPH", "task a depends on zz, which is neither in the graph nor held by the scheduler"],
    ]);
    d.submit({ tasks: [task("a")], outputs: ["a"] }, "j3");
    expect(codes(d.submit({ tasks: [task("a", [], "other")], outputs: ["a"] }, "j4"))).toEqual([
      ["j4", "KEY_CONFLICT", "task a was submitted before with a different op or inputs"],
    ]);
    expect(codes(d.submit({ tasks: [task("x")], outputs: ["x"] }, "j3"))).toEqual([
      ["j3", "DUPLICATE_JOB", "job j3 of client c1 already exists"],
    ]);
    expect(d.state.taskCount).toBe(1);
  });

  it("ignores a late error from an assignment that was superseded", () => {
    const d = new Driver();
    d.connect();
    d.addWorker("w1");
    d.addWorker("w2");
    d.submit({ tasks: [task("a")], outputs: ["a"] });
    const first = d.assignment("a");
    d.send({ op: "worker-removed", workerId: first.workerId, reason: "test" });
    const error = { name: "ExecutionError", code: "X", category: "execution" as const, message: "late" };
    expect(d.send({ op: "task-erred", workerId: first.workerId, key: "a", runId: first.runId, error })).toEqual([]);
    expect(d.state.taskState("a")).toBe("processing");
  });
});

describe("SchedulerState: a task that kills workers", () => {
  it("is rescheduled twice, then fails with TASK_KILLED_WORKERS naming the three workers", () => {
    const d = new Driver();
    d.connect();
    for (const w of ["w1", "w2", "w3", "w4"]) d.addWorker(w);
    d.submit({ tasks: [task("k", [], "crash", 7)], outputs: ["k"] });
    expect(d.assignment("k").workerId).toBe("w1");
    expect(d.send({ op: "worker-removed", workerId: "w1", reason: "exit 137" })).toEqual([
      { ...compute("w2", "k", 2, [], [1, 0], "s7", "crash"), spec: { op: "crash", args: null, label: { name: "crash", partition: 7 } } },
    ]);
    d.send({ op: "worker-removed", workerId: "w2", reason: "exit 137" });
    expect(d.assignment("k").workerId).toBe("w3");
    const out = d.send({ op: "worker-removed", workerId: "w3", reason: "exit 137" });
    expect(out).toEqual([
      {
        op: "job-erred", stimulusId: "s9", clientId: "c1", jobId: "j1", key: "k",
        error: {
          name: "ExecutionError", code: "TASK_KILLED_WORKERS", category: "execution",
          message:
            "op crash, partition 7: task k was processing on 3 workers that died (w1, w2, w3); " +
            "it may be crashing its worker or exhausting its memory",
          details: { workers: ["w1", "w2", "w3"], key: "k", op: "crash", label: { name: "crash", partition: 7 } },
        },
      },
    ]);
    expect(d.state.story("k").map(([, from, to]) => `${from}->${to}`)).toEqual([
      "released->waiting", "waiting->processing", "processing->waiting", "waiting->processing",
      "processing->waiting", "waiting->processing", "processing->erred", "erred->released", "released->forgotten",
    ]);
  });
});
