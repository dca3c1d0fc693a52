// Runs a logical plan: resolve sources, validate (plan errors before any task), optimize, lower, execute.
import type { Schema } from "@tessera/common";
import { ExecutionError, PlanError, isTesseraError } from "@tessera/common";
import type { TaskGraph } from "@tessera/graph";
import type { Batch } from "@tessera/kernels";
import { tableFromBatches } from "@tessera/kernels";
import type { LowerOptions, PhysicalPlan, PlanNode } from "@tessera/plan";
import { explainPlan, lowerPlan, optimize, planStages, resolveSources, schemaOf, transformPlan, withKeyStatistics } from "@tessera/plan";
import type { Table } from "apache-arrow";
import type { Client, Progress, RunOptions } from "@tessera/client";
import { defaultClient } from "@tessera/cluster";
import { terminalProgress } from "./progress.js";
import { resolvePivots } from "./resolve-pivots.js";

export interface ExecOptions {
  readonly client?: Client;
  /** true: a progress bar on a terminal; a function: called as tasks finish. Default: bar when stderr is a TTY. */
  readonly progress?: boolean | ((p: Progress) => void);
}

/** Keys of persisted partitions already released: a plan reading them fails before it runs. */
const released = new Set<string>();

export function markReleased(keys: readonly string[]): void {
  for (const k of keys) released.add(k);
}

function checkNotReleased(plan: PlanNode): void {
  transformPlan(plan, (n) => {
    if (n.kind === "scan" && n.source.format === "persisted" && n.source.keys.some((k) => released.has(k))) {
      throw new PlanError("PERSIST_RELEASED", "this frame reads persisted partitions that were released; call persist() again");
    }
    return n;
  });
}

/** Turns "column not found" for a column the files have but cannot be decoded into an error saying so. */
function withUnsupportedNamed<T>(plan: PlanNode, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (!(isTesseraError(e) && e.code === "COLUMN_NOT_FOUND")) throw e;
    const name = e.details?.["column"];
    let hit: { name: string; reason: string; url: string } | undefined;
    transformPlan(plan, (n) => {
      if (n.kind === "scan" && n.source.format === "parquet" && "files" in n.source) hit ??= n.source.unsupported?.find((u) => u.name === name);
      return n;
    });
    if (!hit) throw e;
    throw new PlanError("UNSUPPORTED_COLUMN_TYPE", `column "${hit.name}" of ${hit.url} has a type Tessera cannot read yet (${hit.reason}); ${e.message}`, { column: hit.name, reason: hit.reason, url: hit.url });
  }
}

/**
 * Resolves and validates the plan; throws PlanError naming the column before anything runs. Pivots whose columns
 * were not given read them first, with a query on the options' client (or the default one).
 */
export async function preparePlan(plan: PlanNode, opts: ExecOptions = {}): Promise<{ resolved: PlanNode; optimized: PlanNode; fields: Schema }> {
  checkNotReleased(plan);
  const withPivots = await resolvePivots(plan, async () => opts.client ?? (await defaultClient()));
  const resolved = await resolveSources(withPivots);
  const fields = withUnsupportedNamed(resolved, () => schemaOf(resolved));
  const optimized = await withKeyStatistics(optimize(resolved).plan);
  return { resolved, optimized, fields };
}

/** The physical plan, and what the cluster shows of it: the optimized plan's explain text and the graph's stages. */
export async function physicalPlan(
  plan: PlanNode, opts: ExecOptions = {}, lower: LowerOptions = {},
): Promise<PhysicalPlan & { readonly summary: NonNullable<RunOptions["plan"]> }> {
  const { optimized } = await preparePlan(plan, opts);
  const phys = lowerPlan(optimized, lower);
  return { ...phys, summary: { explain: explainPlan(optimized), stages: planStages(phys.graph) } };
}

/** Runs a graph on the given or default client, with progress reporting; `plan` goes along for the dashboard. */
export async function runGraph(graph: TaskGraph, opts: ExecOptions, keep = false, plan?: RunOptions["plan"]): Promise<Map<string, unknown>> {
  const client = opts.client ?? (await defaultClient());
  const onProgress = typeof opts.progress === "function" ? opts.progress
    : opts.progress === true || (opts.progress === undefined && process.stderr.isTTY && graph.tasks.length > 1)
      ? terminalProgress() : undefined;
  return client.run(graph, { ...(onProgress ? { onProgress } : {}), ...(keep ? { keep } : {}), ...(plan !== undefined ? { plan } : {}) });
}

/** Runs the plan and keeps its output partitions in the cluster; returns their keys, schema and row count. */
export async function persistPlan(plan: PlanNode, opts: ExecOptions): Promise<{ client: Client; keys: string[]; fields: Schema; rows: number; partitioning: PhysicalPlan["partitioning"] }> {
  const client = opts.client ?? (await defaultClient());
  if (!client.release) throw new ExecutionError("PERSIST_UNSUPPORTED", "this client cannot keep results in memory (persist needs release())");
  // Kept results hold repeating text dictionary-encoded (smaller, grouped and joined per value); pool threads return
  // large results in shared memory, so the worker's threads read them without copies.
  const phys = await physicalPlan(plan, { ...opts, client }, { forKeeping: true });
  const values = await runGraph(phys.graph, { ...opts, client }, true, phys.summary);
  const rows = phys.outputs.reduce((n, k) => n + ((values.get(k) as Batch | undefined)?.length ?? 0), 0);
  // Keys are structural: persisting a plan again after a release holds the same keys again, live.
  for (const k of phys.outputs) released.delete(k);
  return { client, keys: [...phys.outputs], fields: phys.fields, rows, partitioning: phys.partitioning };
}

export async function collectPlan(plan: PlanNode, opts: ExecOptions): Promise<Table> {
  const phys = await physicalPlan(plan, opts);
  const values = await runGraph(phys.graph, opts, false, phys.summary);
  const batches = phys.outputs.map((k) => values.get(k) as Batch);
  // Partitions' dictionaries are appended, not merged: merging would hash every entry on this thread, after the run.
  return tableFromBatches(batches, [...phys.fields], { dictionaries: "append" });
}
