import { describe, expect, it } from "vitest";
import type { TaskSpec } from "@tessera/graph";
import type { GraphSubmitted } from "@tessera/protocol";
import { JobGraphs } from "../src/dashboard/job-graphs.js";

function task(key: string, stage: string, deps: string[] = []): TaskSpec {
  return { key, op: stage, args: null, deps, label: { name: stage } };
}

function submit(jobId: string, tasks: TaskSpec[]): GraphSubmitted {
  return { op: "graph-submitted", stimulusId: `s-${jobId}`, clientId: "c", jobId, graph: { tasks, outputs: [tasks.at(-1)?.key ?? ""] } };
}

describe("job graphs", () => {
  it("counts tasks per stage and result bytes along the edges between stages", () => {
    const graphs = new JobGraphs();
    graphs.submitted(submit("j", [task("a0", "scan"), task("a1", "scan"), task("b", "agg", ["a0", "a1"]), task("c", "sink", ["b", "a0"])]), 1);
    graphs.sent("a0");
    graphs.sent("a1");
    graphs.finished("a0", 10);
    graphs.finished("a1", 5);
    graphs.sent("b");
    let g = graphs.graph("c", "j");
    expect(g?.stages.map((s) => [s.name, s.total, s.waiting, s.processing, s.memory, s.done, s.nbytes])).toEqual([
      ["scan", 2, 0, 0, 2, 2, 15], ["agg", 1, 0, 1, 0, 0, 0], ["sink", 1, 1, 0, 0, 0, 0],
    ]);
    // a0 feeds agg and sink: its bytes count on both edges, a1's only on scan -> agg.
    expect(g?.edges).toEqual([{ from: "scan", to: "agg", nbytes: 15 }, { from: "agg", to: "sink", nbytes: 0 }, { from: "scan", to: "sink", nbytes: 10 }]);
    expect(g?.stages.map((s) => s.inputs)).toEqual([[], ["scan"], ["agg", "scan"]]);
    graphs.finished("b", 7);
    graphs.finished("b", 7); // a result reported twice (recomputed) is counted once
    graphs.erred("c");
    g = graphs.graph("c", "j");
    expect(g?.edges[1]).toEqual({ from: "agg", to: "sink", nbytes: 7 });
    expect(g?.stages[2]).toMatchObject({ erred: 1, waiting: 0 });
  });

  it("keeps each job's records of a shared key, and lets go of a job's records when it ends", () => {
    const graphs = new JobGraphs(1);
    graphs.submitted(submit("j1", [task("x", "scan"), task("y", "agg", ["x"])]), 1);
    graphs.submitted(submit("j2", [task("x", "scan"), task("z", "agg", ["x"])]), 2);
    expect(graphs.trackedKeys).toBe(3);
    graphs.finished("x", 4);
    for (const j of ["j1", "j2"]) expect(graphs.graph("c", j)?.edges).toEqual([{ from: "scan", to: "agg", nbytes: 4 }]);
    graphs.ended("c", "j1", "done", 3);
    // x stays tracked for j2; y goes.
    expect(graphs.trackedKeys).toBe(2);
    graphs.finished("z", 1);
    expect(graphs.graph("c", "j2")?.stages[1]?.done).toBe(1);
    expect(graphs.graph("c", "j1")).toMatchObject({ state: "done", finishedAt: 3 });
    graphs.ended("c", "j2", "cancelled", 4);
    expect(graphs.trackedKeys).toBe(0);
    // history 1: only the last finished job is kept, with its counts
    expect(graphs.graph("c", "j1")).toBeNull();
    expect(graphs.graph("c", "j2")?.stages.map((s) => s.done)).toEqual([1, 1]);
    // a key sent after its job ended changes nothing
    graphs.finished("z", 9);
    expect(graphs.graph("c", "j2")?.stages[1]?.nbytes).toBe(1);
  });

  it("a job whose tasks are all in one stage has no edges", () => {
    const graphs = new JobGraphs();
    graphs.submitted(submit("j", [task("l0", "noop"), task("l1", "noop"), task("s", "noop", ["l0", "l1"])]), 0);
    for (const k of ["l0", "l1", "s"]) graphs.finished(k, 1);
    expect(graphs.graph("c", "j")).toMatchObject({ edges: [], stages: [{ name: "noop", total: 3, done: 3, nbytes: 3, inputs: [] }] });
  });
});
