// The in-process cluster end to end: scheduler, workers, hub and pool together.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import { InProcessCluster } from "@tessera/cluster";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

const opModules = [TEST_OPS_MODULE];

/** 900 no-op roots and 100 no-op reducers of 9 roots each: 1000 tasks, the reducers as outputs. */
function noopGraph(): TaskGraph {
  const tasks: TaskSpec[] = [];
  const outputs: string[] = [];
  for (let r = 0; r < 100; r++) {
    const deps: string[] = [];
    for (let i = 0; i < 9; i++) {
      const key = `root-${r}-${i}`;
      tasks.push({ key, op: "noop", args: null, deps: [] });
      deps.push(key);
    }
    tasks.push({ key: `reduce-${r}`, op: "noop", args: null, deps });
    outputs.push(`reduce-${r}`);
  }
  return { tasks, outputs };
}

/** sum(1..n) as a binary tree of sum-inputs tasks. */
function sumTree(n: number): TaskGraph {
  const tasks: TaskSpec[] = [];
  let level = Array.from({ length: n }, (_, i) => {
    tasks.push({ key: `leaf-${i}`, op: "sum-inputs", args: i + 1, deps: [] });
    return `leaf-${i}`;
  });
  for (let depth = 0; level.length > 1; depth++) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const key = `sum-${depth}-${i / 2}`;
      tasks.push({ key, op: "sum-inputs", args: 0, deps: level.slice(i, i + 2) });
      next.push(key);
    }
    level = next;
  }
  return { tasks, outputs: level };
}

describe("InProcessCluster, inline (threads: 0)", () => {
  it("completes a graph of 1000 no-op tasks, reports progress up to the total and frees everything", async () => {
    const cluster = await InProcessCluster.start({ workers: 2, threads: 0, opModules });
    try {
      const seen: [number, number][] = [];
      const values = await cluster.run(noopGraph(), { onProgress: (p) => seen.push([p.done, p.total]) });
      expect(values.size).toBe(100);
      expect(values.get("reduce-99")).toBeNull();
      expect(seen.at(-1)).toEqual([1000, 1000]);
      await cluster.settled();
      expect(cluster.workers.map((w) => w.store.size)).toEqual([0, 0]);
      expect(cluster.scheduler.state.taskCount).toBe(0);
    } finally {
      await cluster.close();
    }
  });
});

describe("InProcessCluster, inline, both state machines in validate mode", () => {
  let cluster: InProcessCluster;
  beforeAll(async () => { cluster = await InProcessCluster.start({ workers: 2, threads: 0, validate: true, opModules }); });
  afterAll(() => cluster.close());

  it("moves data between workers and computes the right values", async () => {
    const values = await cluster.run(sumTree(64));
    expect([...values.values()]).toEqual([(64 * 65) / 2]);
  });

  it("rejects the run with the failing task's op and label, and keeps working", async () => {
    const graph: TaskGraph = {
      tasks: [
        { key: "ok", op: "noop", args: null, deps: [] },
        { key: "bad", op: "fail", args: { message: "cannot parse row 7" }, deps: ["ok"], label: { name: "fail", partition: 3 } },
        { key: "after", op: "noop", args: null, deps: ["bad"] },
      ],
      outputs: ["after"],
    };
    await expect(cluster.run(graph)).rejects.toMatchObject({
      name: "ExecutionError", code: "TEST_FAILURE", message: "op fail, partition 3: cannot parse row 7",
      details: { key: "bad", op: "fail", label: { name: "fail", partition: 3 } },
    });
    expect(await cluster.run(sumTree(4))).toEqual(new Map([["sum-1-0", 10]]));
  });

  it("rejects an invalid graph without running anything", async () => {
    const cyclic: TaskGraph = { tasks: [{ key: "x", op: "noop", args: null, deps: ["y"] }, { key: "y", op: "noop", args: null, deps: ["x"] }], outputs: ["x"] };
    await expect(cluster.run(cyclic)).rejects.toMatchObject({ name: "ProtocolError", code: "INVALID_GRAPH" });
  });

  it("keeps outputs on the workers until released", async () => {
    const values = await cluster.run({ tasks: [{ key: "kept", op: "sum-inputs", args: 5, deps: [] }], outputs: ["kept"] }, { keep: true });
    expect(values.get("kept")).toBe(5);
    await cluster.settled();
    expect(cluster.workers.reduce((n, w) => n + w.store.size, 0)).toBe(1);
    const reuse = await cluster.run({ tasks: [{ key: "uses-kept", op: "sum-inputs", args: 1, deps: ["kept"] }], outputs: ["uses-kept"] });
    expect(reuse.get("uses-kept")).toBe(6);
    await cluster.release(["kept"]);
    expect(cluster.workers.reduce((n, w) => n + w.store.size, 0)).toBe(0);
  });
});

describe("InProcessCluster with a thread pool", () => {
  let cluster: InProcessCluster;
  beforeAll(async () => { cluster = await InProcessCluster.start({ workers: 2, threads: 1, opModules }); });
  afterAll(() => cluster.close());

  it("completes a graph of 1000 no-op tasks", async () => {
    const values = await cluster.run(noopGraph());
    expect(values.size).toBe(100);
  });

  it("returns typed arrays made in pool threads", async () => {
    const values = await cluster.run({ tasks: [{ key: "arr", op: "make-array", args: { n: 1000 }, deps: [] }], outputs: ["arr"] });
    const arr = values.get("arr") as Float64Array;
    expect([arr.length, arr[999]]).toEqual([1000, 999]);
  });

  it("rejects the run with the failing task's op and label from the thread", async () => {
    const graph: TaskGraph = { tasks: [{ key: "f", op: "fail", args: { message: "boom" }, deps: [], label: { name: "agg-partial", partition: 3 } }], outputs: ["f"] };
    await expect(cluster.run(graph)).rejects.toMatchObject({ code: "TEST_FAILURE", message: "op fail (agg-partial), partition 3: boom" });
  });
});

describe("InProcessCluster losing a worker mid-job", () => {
  it("recomputes what the lost worker held and still returns the right value", async () => {
    const cluster = await InProcessCluster.start({ workers: 3, threads: 0, validate: true, progressIntervalMs: 0, opModules });
    try {
      let removed = false;
      const values = await cluster.run(sumTree(128), {
        onProgress: ({ done }) => {
          if (!removed && done >= 100) {
            removed = true;
            void cluster.removeWorker("worker-1");
          }
        },
      });
      expect(removed).toBe(true);
      expect([...values.values()]).toEqual([(128 * 129) / 2]);
      const recovery = cluster.scheduler.state.storyOfStimulus("remove-worker-1").map(([, from, to]) => `${from}->${to}`);
      expect(recovery).toContain("memory->released");
      expect(recovery).toContain("released->waiting");
    } finally {
      await cluster.close();
    }
  });
});
