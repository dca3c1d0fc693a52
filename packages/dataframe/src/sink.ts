// Sinks: each output partition writes attempt-unique part files; a final commit task publishes the _SUCCESS manifest.
import { randomBytes } from "node:crypto";
import type { PlanNode, SinkCommitArgs, SinkPartArgs } from "@tessera/plan";
import { normalizeUrl, storeFor } from "@tessera/io";
import type { ExecOptions } from "./execute.js";
import { physicalPlan, runGraph } from "./execute.js";

export interface SinkParquetOptions {
  /** Columns whose values name `key=value/` directories; they are not stored in the files. */
  readonly partitionBy?: string | readonly string[];
  readonly compression?: "zstd" | "snappy" | "none";
  readonly rowGroupSize?: number;
}
export interface SinkCsvOptions {
  readonly partitionBy?: string | readonly string[];
}

export interface WriteResult {
  readonly files: readonly string[];
  readonly rows: number;
  readonly bytes: number;
}

/** Removes every object a failed sink attempt wrote (its names carry the attempt token). */
async function cleanupSink(url: string, token: string): Promise<void> {
  const store = storeFor(url);
  const prefix = normalizeUrl(url);
  for (const o of await store.list(prefix)) if (o.url.includes(token)) await store.delete(o.url);
}

export async function sinkPlan(plan: PlanNode, url: string, format: "parquet" | "csv", opts: (SinkParquetOptions | SinkCsvOptions) & ExecOptions): Promise<WriteResult> {
  const phys = await physicalPlan(plan);
  const token = randomBytes(6).toString("hex");
  const partitionBy = opts.partitionBy === undefined ? [] : typeof opts.partitionBy === "string" ? [opts.partitionBy] : [...opts.partitionBy];
  const p = opts as SinkParquetOptions;
  const tasks = [...phys.graph.tasks];
  const parts = phys.outputs.map((dep, index) => {
    const args: SinkPartArgs = { url, format, index, token, partitionBy, fields: phys.fields, compression: p.compression ?? "zstd", rowGroupSize: p.rowGroupSize ?? 122_880 };
    const key = `sink-part-${index}-${token}`;
    tasks.push({ key, op: "sink-part", args, deps: [dep], label: { name: "sink-part", partition: index } });
    return key;
  });
  const commitArgs: SinkCommitArgs = { url, format, token, fields: phys.fields };
  const commit = `sink-commit-${token}`;
  tasks.push({ key: commit, op: "sink-commit", args: commitArgs, deps: parts, label: { name: "sink-commit" } });
  try {
    const out = await runGraph({ tasks, outputs: [commit] }, opts);
    return out.get(commit) as WriteResult;
  } catch (e) {
    await cleanupSink(url, token).catch(() => undefined);
    throw e;
  }
}
