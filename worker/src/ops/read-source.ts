// Reads a pipeline's source: Parquet pieces, a CSV byte range, shipped memory data, or the task's inputs.
import type { SourceSpec } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import { concatBatches, projectBatch, sliceBatch } from "@tessera/kernels";
import { readCsv, readParquet } from "@tessera/io";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { batchInputs } from "./task-inputs.js";
import { resultsShared } from "../pool/share.js";

async function readParquetSource(s: Extract<SourceSpec, { type: "parquet" }>, ): Promise<Batch> {
  const out: Batch[] = [];
  let rows = 0;
  for (const piece of s.pieces) {
    if (s.limit !== null && rows >= s.limit) break;
    // A piece read alone is the task's source as it is: in a pool thread it is decoded straight into shared memory.
    const sharedMemory = s.pieces.length === 1 && resultsShared();
    let b = await readParquet(piece.url, { rowGroups: [...piece.rowGroups], columns: [...s.columns], sharedMemory, ...(piece.footer ? { footer: piece.footer } : {}) });
    if (piece.hive.length > 0) {
      const exprs: ExprNode[] = [
        ...b.fields.map((f): ExprNode => ({ op: "col", name: f.name })),
        ...piece.hive.map((h): ExprNode => ({ op: "alias", arg: { op: "lit", value: h.value, dtype: h.value === null ? "null" : h.type }, name: h.name })),
      ];
      b = projectBatch(b, exprs);
    }
    out.push(b);
    rows += b.length;
  }
  const all = out.length === 1 ? (out[0] as Batch) : concatBatches(out, s.fields);
  return s.limit !== null && all.length > s.limit ? sliceBatch(all, 0, s.limit) : all;
}

export async function readSource(s: SourceSpec, inputs: readonly unknown[]): Promise<Batch> {
  switch (s.type) {
    case "parquet": return readParquetSource(s);
    case "csv": return readCsv(s.url, { schema: [...s.fields], delimiter: s.delimiter, header: s.header, ...(s.range ? { range: s.range, aligned: true } : {}) });
    case "memory": return s.data as Batch;
    case "inputs": {
      const data = batchInputs(inputs, "inputs source", 0, s.count);
      return data.length === 1 ? (data[0] as Batch) : concatBatches(data, s.fields);
    }
    default: return assertNever(s, "source");
  }
}
