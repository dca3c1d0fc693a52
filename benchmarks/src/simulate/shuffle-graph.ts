// A shuffle-shaped task graph as Tessera's planner builds one: maps that split, a pick per (map, reducer), reducers.
import type { TaskGraph, TaskSpec } from "@tessera/graph";

/** Kinds of task in the graph, by label: what the model's costs are drawn for. */
export type SimTaskKind = "map" | "pick" | "reduce";

export interface ShuffleGraph {
  readonly graph: TaskGraph;
  readonly maps: number;
  readonly reducers: number;
}

/**
 * `maps` root tasks each split their result into `reducers` pieces; pick (m, r) takes piece r of map m; reducer r
 * depends on the picks (0..maps-1, r). maps + maps × reducers + reducers tasks; the reducers are the outputs.
 */
export function shuffleGraph(maps: number, reducers: number): ShuffleGraph {
  const tasks: TaskSpec[] = [];
  // Inputs name their tasks by the same string objects as the tasks' keys, as the planner's graph builder does.
  const mapKeys = Array.from({ length: maps }, (_, m) => `map-${m}`);
  const pickKeys: string[][] = Array.from({ length: reducers }, () => []);
  for (let m = 0; m < maps; m++) tasks.push({ key: mapKeys[m] as string, op: "sim", args: null, deps: [], label: { name: "map", partition: m } });
  for (let m = 0; m < maps; m++) {
    for (let r = 0; r < reducers; r++) {
      const key = `pick-${m}-${r}`;
      (pickKeys[r] as string[]).push(key);
      tasks.push({ key, op: "sim", args: null, deps: [mapKeys[m] as string], label: { name: "pick", partition: r } });
    }
  }
  const outputs: string[] = [];
  for (let r = 0; r < reducers; r++) {
    const key = `reduce-${r}`;
    tasks.push({ key, op: "sim", args: null, deps: pickKeys[r] as string[], label: { name: "reduce", partition: r } });
    outputs.push(key);
  }
  return { graph: { tasks, outputs }, maps, reducers };
}

/** The side of a square shuffle with about `tasks` tasks: n maps and n reducers make n² + 2n. */
export function squareSide(tasks: number): number {
  return Math.max(1, Math.floor(Math.sqrt(tasks + 1) - 1));
}
