// Sinks: partitions write attempt-unique parts, a commit task verifies them, and this client publishes the _SUCCESS manifest.
import { randomBytes } from "node:crypto";
import type { PlanNode, SinkCommitArgs, SinkPartArgs } from "@tessera/plan";
import type { DatasetManifest } from "@tessera/io";
import { abortAttempt, normalizeUrl, publishDataset } from "@tessera/io";
import type { ExecOptions } from "./execute.js";
import { physicalPlan, runGraph } from "./execute.js";
import { checkSinkOptions } from "./sink-options.js";
import type { Compression } from "./sink-options.js";

export interface SinkParquetOptions {
  /** Columns whose values name `key=value/` directories; they are not stored in the files. */
  readonly partitionBy?: string | readonly string[];
  readonly compression?: Compression;
  readonly rowGroupSize?: number;
}
export interface SinkCsvOptions {
  readonly partitionBy?: string | readonly string[];
}

export interface WriteResult {
  /** URLs of the dataset's data files (the ones its `_SUCCESS` manifest lists). */
  readonly files: readonly string[];
  readonly rows: number;
  readonly bytes: number;
}

/** A published manifest must not be undone by a cleanup; anything else that failed leaves parts to remove. */
function mayHavePublished(e: unknown): boolean {
  const d = (e as { code?: string; details?: Record<string, unknown> } | null);
  return d?.code === "IO_COMMIT" && d.details?.["published"] === "unknown";
}

/**
 * Writes the plan's result as a dataset at `url` (a directory), all or nothing (DESIGN.md, principle 5):
 * 1. each output partition writes part files named with this job's token and a per-execution nonce;
 * 2. a commit task checks that every part exists with the size written and returns the manifest;
 * 3. this client publishes `_SUCCESS` (one put, replacing any earlier dataset's manifest), then deletes the
 *    earlier dataset's files.
 * When anything fails or is cancelled before step 3 the manifest is untouched, and this job's parts are
 * removed (abortAttempt); readers honouring manifests keep seeing the earlier dataset.
 */
export async function sinkPlan(plan: PlanNode, url: string, format: "parquet" | "csv", opts: (SinkParquetOptions | SinkCsvOptions) & ExecOptions): Promise<WriteResult> {
  const dir = normalizeUrl(url).replace(/\/+$/, "");
  const phys = await physicalPlan(plan);
  const token = randomBytes(6).toString("hex");
  const { partitionBy, compression, rowGroupSize } = checkSinkOptions(phys.fields, opts);
  const tasks = [...phys.graph.tasks];
  const parts = phys.outputs.map((dep, index) => {
    const args: SinkPartArgs = { url: dir, format, index, token, partitionBy, fields: phys.fields, compression, rowGroupSize };
    const key = `sink-part-${index}-${token}`;
    tasks.push({ key, op: "sink-part", args, deps: [dep], label: { name: "sink-part", partition: index } });
    return key;
  });
  const commitArgs: SinkCommitArgs = { url: dir, format, token, fields: phys.fields };
  const commit = `sink-commit-${token}`;
  tasks.push({ key: commit, op: "sink-commit", args: commitArgs, deps: parts, label: { name: "sink-commit" } });
  try {
    const out = await runGraph({ tasks, outputs: [commit] }, opts);
    const manifest = out.get(commit) as DatasetManifest;
    const published = await publishDataset(dir, manifest);
    return { files: published.files, rows: manifest.rows, bytes: manifest.bytes };
  } catch (e) {
    if (!mayHavePublished(e)) await abortAttempt(dir, token).catch(() => undefined);
    throw e;
  }
}
