// The no-op task graph the scheduler suite times: groups of 100 tasks, 99 independent leaves feeding one sink.
import type { TaskGraph, TaskSpec } from "@tessera/graph";

export const GROUP = 100;

/** `n` tasks (a multiple of 100) of the workers' "noop" op; the outputs are the n/100 sinks. Same shape as dask-noop.py. */
let graphs = 0;

/** A graph's keys carry a fresh token, so a run never resubmits keys the previous run is still releasing. */
export function noopGraph(n: number): TaskGraph {
  if (!Number.isInteger(n / GROUP) || n < GROUP) throw new Error(`the no-op graph needs a multiple of ${GROUP} tasks, got ${n}`);
  const token = `${process.pid.toString(16)}${(++graphs).toString(16)}`;
  const tasks: TaskSpec[] = [];
  const outputs: string[] = [];
  for (let g = 0; g < n / GROUP; g++) {
    const leaves: string[] = [];
    for (let i = 0; i < GROUP - 1; i++) {
      const key = `leaf-${token}-${g}-${i}`;
      tasks.push({ key, op: "noop", args: null, deps: [] });
      leaves.push(key);
    }
    const sink = `sink-${token}-${g}`;
    tasks.push({ key: sink, op: "noop", args: null, deps: leaves });
    outputs.push(sink);
  }
  return { tasks, outputs };
}
