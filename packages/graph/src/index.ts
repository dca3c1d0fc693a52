// @tessera/graph: the task contract shared by planner, scheduler and workers.
export type { TaskSpec, TaskGraph, GraphAdmission } from "./task.js";
export { topoOrder } from "./task.js";
