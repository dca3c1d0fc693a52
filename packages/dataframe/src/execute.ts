// Runs a logical plan: resolve sources, validate (plan errors before any task), optimize, lower, execute.
import type { Schema } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import type { Batch } from "@tessera/kernels";
import { tableFromBatches } from "@tessera/kernels";
import type { PhysicalPlan, PlanNode } from "@tessera/plan";
import { lowerPlan, optimize, resolveSources, schemaOf } from "@tessera/plan";
import type { Table } from "apache-arrow";
import type { Client, Progress } from "./client.js";
import { defaultClientInstance } from "./client.js";
import { terminalProgress } from "./progress.js";

export interface ExecOptions {
  readonly client?: Client;
  /** true: a progress bar on a terminal; a function: called as tasks finish. Default: bar when stderr is a TTY. */
  readonly progress?: boolean | ((p: Progress) => void);
}

/** Resolves and validates the plan; throws PlanError naming the column before anything runs. */
export async function preparePlan(plan: PlanNode): Promise<{ resolved: PlanNode; optimized: PlanNode; fields: Schema }> {
  const resolved = await resolveSources(plan);
  const fields = schemaOf(resolved);
  const optimized = optimize(resolved).plan;
  return { resolved, optimized, fields };
}

export async function physicalPlan(plan: PlanNode): Promise<PhysicalPlan> {
  const { optimized } = await preparePlan(plan);
  return lowerPlan(optimized);
}

/** Runs a graph on the given or default client, with progress reporting. */
export async function runGraph(graph: TaskGraph, opts: ExecOptions): Promise<Map<string, unknown>> {
  const client = opts.client ?? (await defaultClientInstance());
  const onProgress = typeof opts.progress === "function" ? opts.progress
    : opts.progress === true || (opts.progress === undefined && process.stderr.isTTY && graph.tasks.length > 1)
      ? terminalProgress() : undefined;
  return client.run(graph, onProgress ? { onProgress } : {});
}

export async function collectPlan(plan: PlanNode, opts: ExecOptions): Promise<Table> {
  const phys = await physicalPlan(plan);
  const values = await runGraph(phys.graph, opts);
  const batches = phys.outputs.map((k) => values.get(k) as Batch);
  return tableFromBatches(batches, [...phys.fields]);
}
