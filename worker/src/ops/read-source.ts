// Reads a pipeline's source: Parquet pieces, a CSV byte range, shipped memory data, or the task's inputs.
import type { SourceSpec, Step } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import { concatBatches, projectBatch, sliceBatch } from "@tessera/kernels";
import { readCsv, readParquet, type ColumnMemory } from "@tessera/io";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { batchInputs } from "./task-inputs.js";
import { resultsShared } from "../pool/share.js";

/**
 * Steps whose result holds none of their input's row buffers (dictionaries aside): they aggregate the rows, or gather
 * them into new columns. (Not joins: a side whose rows all come out once, in order, keeps its columns.)
 */
const REBUILDS_ROWS: ReadonlySet<Step["t"]> = new Set(["aggPartial", "aggFull", "aggSplit", "hashSplit", "sort"]);

/**
 * Where a pipeline's Parquet source is decoded. When a step rebuilds the rows (after projections and filters, say),
 * the columns are the task's working memory, reused from task to task ("scratch"); in a pool thread, a piece read
 * alone is otherwise the task's result as it is, decoded straight into shared memory. Either is correct whatever the
 * steps keep of the source (scratch buffers a result holds are copied out before they are lent again); the choice
 * spares the page faults of fresh memory, or a copy.
 */
export function sourceMemory(s: SourceSpec, steps: readonly Step[]): ColumnMemory {
  if (s.type === "parquet" && steps.some((step) => REBUILDS_ROWS.has(step.t))) return "scratch";
  return s.type === "parquet" && s.pieces.length === 1 && resultsShared() ? "shared" : "ordinary";
}

async function readParquetSource(s: Extract<SourceSpec, { type: "parquet" }>, memory: ColumnMemory): Promise<Batch> {
  const out: Batch[] = [];
  let rows = 0;
  for (const piece of s.pieces) {
    if (s.limit !== null && rows >= s.limit) break;
    let b = await readParquet(piece.url, { rowGroups: [...piece.rowGroups], columns: [...s.columns], memory, ...(piece.footer ? { footer: piece.footer } : {}) });
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

/** The source's rows, for a pipeline of `steps` (they decide where Parquet columns are decoded: sourceMemory). */
export async function readSource(s: SourceSpec, inputs: readonly unknown[], steps: readonly Step[] = []): Promise<Batch> {
  switch (s.type) {
    case "parquet": return readParquetSource(s, sourceMemory(s, steps));
    case "csv": return readCsv(s.url, { schema: [...s.fields], delimiter: s.delimiter, header: s.header, ...(s.range ? { range: s.range, aligned: true } : {}) });
    case "memory": return s.data as Batch;
    case "inputs": {
      const data = batchInputs(inputs, "inputs source", 0, s.count);
      return data.length === 1 ? (data[0] as Batch) : concatBatches(data, s.fields);
    }
    default: return assertNever(s, "source");
  }
}
