import { describe, expect, it } from "vitest";
import type { TaskSpec } from "@tessera/graph";
import type { GraphSubmitted } from "@tessera/protocol";
import { JobGraphs } from "../src/dashboard/job-graphs.js";
import { viewIn, viewOf } from "../src/dashboard/task-view.js";
import type { TaskView } from "../src/dashboard/task-view.js";
import type { ObservedTask } from "../src/state/scheduler-state.js";

function task(key: string, stage: string, deps: string[] = []): TaskSpec {
  return { key, op: stage, args: null, deps, label: { name: stage } };
}

function submit(jobId: string, tasks: TaskSpec[]): GraphSubmitted {
  return { op: "graph-submitted", stimulusId: `s-${jobId}`, clientId: "c", jobId, graph: { tasks, outputs: [tasks.at(-1)?.key ?? ""] } };
}

/** The state machine's tasks as the recorder sees them: a task is made when a graph with its key is taken in. */
class Slots {
  readonly map = new Map<string, ObservedTask>();
  /** The graph's tasks by position, as SchedulerState.intakeSlots gives them. */
  takeIn(m: GraphSubmitted): ObservedTask[] {
    return m.graph.tasks.map((t) => {
      let o = this.map.get(t.key);
      if (o === undefined) this.map.set(t.key, o = { key: t.key, view: undefined });
      return o;
    });
  }
  view(key: string): TaskView {
    const v = viewOf(this.map.get(key));
    if (v === undefined) throw new Error(`no view of ${key}`);
    return v;
  }
}

function submitted(graphs: JobGraphs, slots: Slots, m: GraphSubmitted, time: number): void {
  graphs.submitted(m, time, slots.takeIn(m), viewIn);
}

describe("job graphs", () => {
  it("counts tasks per stage and result bytes along the edges between stages", () => {
    const graphs = new JobGraphs();
    const slots = new Slots();
    submitted(graphs, slots, submit("j", [task("a0", "scan"), task("a1", "scan"), task("b", "agg", ["a0", "a1"]), task("c", "sink", ["b", "a0"])]), 1);
    const sent = (k: string): void => graphs.sent(slots.view(k));
    const finished = (k: string, n: number): void => graphs.finished(slots.view(k), n);
    sent("a0");
    sent("a1");
    finished("a0", 10);
    finished("a1", 5);
    sent("b");
    let g = graphs.graph("c", "j");
    expect(g?.stages.map((s) => [s.name, s.total, s.waiting, s.processing, s.memory, s.done, s.nbytes])).toEqual([
      ["scan", 2, 0, 0, 2, 2, 15], ["agg", 1, 0, 1, 0, 0, 0], ["sink", 1, 1, 0, 0, 0, 0],
    ]);
    // a0 feeds agg and sink: its bytes count on both edges, a1's only on scan -> agg.
    expect(g?.edges).toEqual([{ from: "scan", to: "agg", nbytes: 15 }, { from: "agg", to: "sink", nbytes: 0 }, { from: "scan", to: "sink", nbytes: 10 }]);
    expect(g?.stages.map((s) => s.inputs)).toEqual([[], ["scan"], ["agg", "scan"]]);
    finished("b", 7);
    finished("b", 7); // a result reported twice (recomputed) is counted once
    graphs.erred(slots.view("c"));
    g = graphs.graph("c", "j");
    expect(g?.edges[1]).toEqual({ from: "agg", to: "sink", nbytes: 7 });
    expect(g?.stages[2]).toMatchObject({ erred: 1, waiting: 0 });
  });

  it("keeps each job's records of a shared key, and lets go of a job's records when it ends", () => {
    const graphs = new JobGraphs(1);
    const slots = new Slots();
    const records = (k: string): number => { const r = slots.view(k).records; return r === null ? 0 : Array.isArray(r) ? r.length : 1; };
    submitted(graphs, slots, submit("j1", [task("x", "scan"), task("y", "agg", ["x"])]), 1);
    submitted(graphs, slots, submit("j2", [task("x", "scan"), task("z", "agg", ["x"])]), 2);
    expect([records("x"), records("y"), records("z")]).toEqual([2, 1, 1]);
    graphs.finished(slots.view("x"), 4);
    for (const j of ["j1", "j2"]) expect(graphs.graph("c", j)?.edges).toEqual([{ from: "scan", to: "agg", nbytes: 4 }]);
    graphs.ended("c", "j1", "done", 3);
    // y belongs to j1 only: touching it after j1 ended changes nothing and drops its record.
    graphs.finished(slots.view("y"), 8);
    expect(records("y")).toBe(0);
    expect(graphs.graph("c", "j1")).toMatchObject({ state: "done", finishedAt: 3 });
    expect(graphs.graph("c", "j1")?.stages[1]).toMatchObject({ done: 0, nbytes: 0 });
    graphs.finished(slots.view("z"), 1);
    expect(graphs.graph("c", "j2")?.stages[1]?.done).toBe(1);
    // A third job sharing x drops j1's record of it as it adds its own.
    submitted(graphs, slots, submit("j3", [task("x", "scan")]), 4);
    expect(records("x")).toBe(2);
    graphs.ended("c", "j2", "cancelled", 5);
    // history 1: only the last finished job is kept, with its counts
    expect(graphs.graph("c", "j1")).toBeNull();
    expect(graphs.graph("c", "j2")?.stages.map((s) => s.done)).toEqual([1, 1]);
    // a key finished after its job ended changes nothing
    graphs.finished(slots.view("z"), 9);
    expect(graphs.graph("c", "j2")?.stages[1]?.nbytes).toBe(1);
  });

  it("a task the state machine did not take in gets no record but counts in its stage's total", () => {
    const graphs = new JobGraphs();
    const slots = new Slots();
    const m = submit("j", [task("a", "scan"), task("b", "agg", ["a"])]);
    const taken = slots.takeIn(m);
    graphs.submitted(m, 0, [undefined, taken[1]], viewIn);
    expect(viewOf(slots.map.get("a"))).toBeUndefined();
    graphs.finished(slots.view("b"), 3);
    expect(graphs.graph("c", "j")?.stages.map((s) => [s.name, s.total, s.done, s.nbytes])).toEqual([["scan", 1, 0, 0], ["agg", 1, 1, 3]]);
  });

  it("a job whose tasks are all in one stage has no edges", () => {
    const graphs = new JobGraphs();
    const slots = new Slots();
    submitted(graphs, slots, submit("j", [task("l0", "noop"), task("l1", "noop"), task("s", "noop", ["l0", "l1"])]), 0);
    for (const k of ["l0", "l1", "s"]) graphs.finished(slots.view(k), 1);
    expect(graphs.graph("c", "j")).toMatchObject({ edges: [], stages: [{ name: "noop", total: 3, done: 3, nbytes: 3, inputs: [] }] });
  });
});
