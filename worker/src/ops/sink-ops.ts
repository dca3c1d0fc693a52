// Sink operations: write one partition's part files (attempt-unique names), then commit a _SUCCESS manifest.
import type { OpFn } from "@tessera/graph";
import type { SinkCommitArgs, SinkPartArgs, SinkPartResult } from "@tessera/plan";
import type { Batch } from "@tessera/kernels";
import { columnToArray, filterBatch, groupIds, selectColumns } from "@tessera/kernels";
import { joinUrl, storeFor, writeCsv, writeParquet } from "@tessera/io";

function encode(b: Batch, a: SinkPartArgs): Uint8Array {
  return a.format === "parquet"
    ? writeParquet([b], b.fields, { compression: a.compression, rowGroupSize: a.rowGroupSize })
    : writeCsv([b], b.fields);
}

const hiveValue = (v: unknown): string => (v === null || v === undefined ? "__HIVE_DEFAULT_PARTITION__" : encodeURIComponent(String(v)));

async function sinkPart(a: SinkPartArgs, inputs: readonly unknown[]): Promise<SinkPartResult> {
  const b = inputs[0] as Batch;
  const ext = a.format === "parquet" ? "parquet" : "csv";
  const name = `part-${String(a.index).padStart(5, "0")}-${a.token}.${ext}`;
  const files: { path: string; rows: number; bytes: number }[] = [];
  const write = async (dir: string, batch: Batch): Promise<void> => {
    const bytes = encode(batch, a);
    const path = dir ? `${dir}/${name}` : name;
    await storeFor(a.url).put(joinUrl(a.url, path), bytes);
    files.push({ path, rows: batch.length, bytes: bytes.length });
  };
  if (a.partitionBy.length === 0) {
    await write("", b);
    return { files };
  }
  const keyCols = a.partitionBy.map((n) => b.columns[b.fields.findIndex((f) => f.name === n)]!);
  const g = groupIds(keyCols);
  const keyValues = keyCols.map((c) => columnToArray(c));
  const rest = b.fields.filter((f) => !a.partitionBy.includes(f.name)).map((f) => f.name);
  for (let gi = 0; gi < g.count; gi++) {
    const row = g.firstRow[gi] as number;
    const dir = a.partitionBy.map((n, k) => `${n}=${hiveValue(keyValues[k]?.[row])}`).join("/");
    const mask = new Uint8Array(b.length);
    for (let i = 0; i < b.length; i++) mask[i] = g.ids[i] === gi ? 1 : 0;
    await write(dir, selectColumns(filterBatch(b, mask), rest));
  }
  return { files };
}

async function sinkCommit(a: SinkCommitArgs, inputs: readonly unknown[]): Promise<{ files: string[]; rows: number; bytes: number }> {
  const parts = (inputs as SinkPartResult[]).flatMap((p) => p.files);
  const manifest = {
    version: 1,
    format: a.format,
    token: a.token,
    schema: a.fields,
    files: parts,
    rows: parts.reduce((s, p) => s + p.rows, 0),
    bytes: parts.reduce((s, p) => s + p.bytes, 0),
  };
  await storeFor(a.url).put(joinUrl(a.url, "_SUCCESS"), new TextEncoder().encode(JSON.stringify(manifest, null, 1)));
  return { files: parts.map((p) => joinUrl(a.url, p.path)), rows: manifest.rows, bytes: manifest.bytes };
}

export const SINK_OPS: Record<string, OpFn> = {
  "sink-part": (a, i) => sinkPart(a as SinkPartArgs, i),
  "sink-commit": (a, i) => sinkCommit(a as SinkCommitArgs, i),
};
