// Sinks: a sink plan node lowers to attempt-unique part writes and a commit task; this client publishes the _SUCCESS manifest.
import { randomBytes } from "node:crypto";
import type { PlanNode, SinkFormat, SinkNode } from "@tessera/plan";
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

/**
 * Whether parts may need removing: not after a manifest may have been published (a cleanup must not undo it), nor
 * when the cluster refused the graph at intake (no task ran, so nothing was written).
 */
function needsCleanup(e: unknown): boolean {
  const d = (e as { code?: string; details?: Record<string, unknown> } | null);
  if (d?.details?.["refused"] === "intake") return false;
  return !(d?.code === "IO_COMMIT" && d.details?.["published"] === "unknown");
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
export async function sinkPlan(plan: PlanNode, url: string, format: SinkFormat, opts: (SinkParquetOptions | SinkCsvOptions) & ExecOptions): Promise<WriteResult> {
  const dir = normalizeUrl(url).replace(/\/+$/, "");
  const token = randomBytes(6).toString("hex");
  const { partitionBy, compression, rowGroupSize } = checkSinkOptions(opts);
  const sink: SinkNode = { kind: "sink", input: plan, format, url: dir, token, options: { partitionBy, compression, rowGroupSize } };
  const phys = await physicalPlan(sink, opts);
  const commit = phys.outputs[0] as string;
  try {
    const out = await runGraph(phys.graph, opts, false, phys.summary);
    const manifest = out.get(commit) as DatasetManifest;
    const published = await publishDataset(dir, manifest);
    return { files: published.files, rows: manifest.rows, bytes: manifest.bytes };
  } catch (e) {
    if (needsCleanup(e)) await abortAttempt(dir, token).catch(() => undefined);
    throw e;
  }
}
