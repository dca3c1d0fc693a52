// Sink operations: write one partition's attempt-unique part files; verify all parts and return the manifest to publish.
import type { SinkCommitArgs, SinkPartArgs, SinkPartResult } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import { columnToArray, filterBatch, groupIds, selectColumns } from "@tessera/kernels";
import { ExecutionError } from "@tessera/common";
import type { DatasetManifest } from "@tessera/io";
import { attemptAborted, deleteObjects, hiveSegment, joinUrl, makeManifest, partFileName, storeFor, verifyParts, writeCsv, writeParquet } from "@tessera/io";
import type { OpHandlers } from "./op-descriptor.js";
import { batchInput } from "./task-inputs.js";

function encode(b: Batch, a: SinkPartArgs): Uint8Array {
  return a.format === "parquet"
    ? writeParquet([b], b.fields, { compression: a.compression, rowGroupSize: a.rowGroupSize })
    : writeCsv([b], b.fields);
}


async function sinkPart(a: SinkPartArgs, inputs: readonly unknown[]): Promise<SinkPartResult> {
  const b = batchInput(inputs, 0, "sink-part");
  const name = partFileName(a.index, a.token, a.format === "parquet" ? "parquet" : "csv");
  const files: { path: string; rows: number; bytes: number }[] = [];
  const write = async (dir: string, batch: Batch): Promise<void> => {
    const bytes = encode(batch, a);
    const path = dir ? `${dir}/${name}` : name;
    await storeFor(a.url).put(joinUrl(a.url, path), bytes);
    files.push({ path, rows: batch.length, bytes: bytes.length });
  };
  if (a.partitionBy.length === 0) {
    await write("", b);
  } else {
    const keyCols = a.partitionBy.map((n) => {
      const c = b.columns[b.fields.findIndex((f) => f.name === n)];
      if (c === undefined) throw new ExecutionError("BAD_INPUT", `sink-part: partition column "${n}" is not in the data (columns: ${b.fields.map((f) => f.name).join(", ")})`, { column: n });
      return c;
    });
    const g = groupIds(keyCols);
    const keyValues = keyCols.map((c) => columnToArray(c));
    const rest = b.fields.filter((f) => !a.partitionBy.includes(f.name)).map((f) => f.name);
    for (let gi = 0; gi < g.count; gi++) {
      const row = g.firstRow[gi] as number;
      // Names and values are escaped as Hive does: no value can add a directory level or climb out of the dataset.
      const dir = a.partitionBy.map((n, k) => {
        const v = keyValues[k]?.[row];
        return hiveSegment(n, v === null || v === undefined ? null : String(v));
      }).join("/");
      const mask = new Uint8Array(b.length);
      for (let i = 0; i < b.length; i++) mask[i] = g.ids[i] === gi ? 1 : 0;
      await write(dir, selectColumns(filterBatch(b, mask), rest));
    }
  }
  // The job may have failed elsewhere while this task ran, and its cleanup listed the parts before these landed:
  // the abort marker tells, and then these parts remove themselves (see abortAttempt).
  if (await attemptAborted(a.url, a.token)) {
    await deleteObjects(files.map((f) => joinUrl(a.url, f.path)));
    throw new ExecutionError("SINK_ABORTED", `sink to ${a.url} was abandoned while partition ${a.index} was being written; its parts were removed`);
  }
  return { files };
}

/** Checks every part (exists, size as written, listed once) and returns the manifest; the client publishes it. */
async function sinkCommit(a: SinkCommitArgs, inputs: readonly unknown[]): Promise<DatasetManifest> {
  const parts = inputs.map((p, i) => {
    const files = (p as Partial<SinkPartResult> | null)?.files;
    if (!Array.isArray(files)) throw new ExecutionError("BAD_INPUT", `sink-commit: input ${i} of the task is not a sink-part result`, { input: i });
    return files as SinkPartResult["files"];
  });
  const manifest = makeManifest(a.format, a.token, a.fields, parts.flat());
  await verifyParts(a.url, manifest.files);
  return manifest;
}

export const SINK_HANDLERS = {
  "sink-part": sinkPart,
  "sink-commit": sinkCommit,
} satisfies Partial<OpHandlers>;
