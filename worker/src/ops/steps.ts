// Applies one physical step to a batch, dispatching through a table keyed by step type.
import type { Step } from "@tessera/ops";
import { MAX_SPLIT, MAX_SPLIT_PIECES } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import {
  aggFinalize, aggFull, aggMerge, aggMergeRows, aggPartial, aggSplit, batchFromArrow, batchToArrow, concatBatches, dictEncodeBatch, filterByPredicate, groupHead, groupTopN, groupTopNPartial,
  hashJoin, hashPartition, makeNumColumn, pivotBatch, projectBatch, rangePartition, sampleSortKeys, sliceBatch, sortBatch, unique,
} from "@tessera/kernels";
import type { ExprNode } from "@tessera/expr";
import { outputName } from "@tessera/expr";
import type { Field } from "@tessera/common";
import { ExecutionError } from "@tessera/common";
import { batchInput } from "./task-inputs.js";
import { resolveUserFunction } from "./user-functions.js";
import { splitRowsByWindow } from "@tessera/raster";
import { RecordBatch, Table } from "apache-arrow";

type StepOf<T extends Step["t"]> = Extract<Step, { t: T }>;
type StepFn<T extends Step["t"]> = (b: Batch, s: StepOf<T>, inputs: readonly unknown[]) => Batch | Batch[] | Promise<Batch | Batch[]>;

/** withColumns: every expression sees the input batch; same-named columns are replaced in place. */
function withColumns(b: Batch, exprs: readonly ExprNode[]): Batch {
  const names = exprs.map(outputName);
  const out: ExprNode[] = b.fields.map((f) => {
    const i = names.indexOf(f.name);
    return i >= 0 ? (exprs[i] as ExprNode) : { op: "col", name: f.name };
  });
  exprs.forEach((e, i) => { if (!b.fields.some((f) => f.name === names[i])) out.push(e); });
  return projectBatch(b, out);
}

/** A split into `n` partitions of `b`'s columns stays within MAX_SPLIT_PIECES (range splits take `n` from their data). */
function checkSplit(b: Batch, n: number): number {
  if (n * Math.max(1, b.fields.length) > MAX_SPLIT_PIECES) {
    throw new ExecutionError("SPLIT_TOO_LARGE", `a split into ${n} partitions of ${b.fields.length} columns exceeds ${MAX_SPLIT_PIECES} pieces`, { partitions: n });
  }
  return n;
}

function evenSplit(b: Batch, n: number): Batch[] {
  const out: Batch[] = [];
  for (let j = 0; j < n; j++) out.push(sliceBatch(b, Math.floor((b.length * j) / n), Math.floor((b.length * (j + 1)) / n)));
  return out;
}

/**
 * Applies a user function, named "module#export" and resolved where the worker runs (never sent as code), to the
 * batch as an Arrow RecordBatch; its result must be an Arrow RecordBatch or Table with the declared columns.
 */
async function mapBatches(b: Batch, fn: string, schema: readonly Field[]): Promise<Batch> {
  // Checked again here, where the module is loaded: the scheduler's intake check ran on another host's files.
  const { url, exportName } = resolveUserFunction(fn);
  const m = (await import(url)) as Record<string, unknown>;
  const f = m[exportName];
  if (typeof f !== "function") throw new ExecutionError("BAD_FUNCTION", `mapBatches: ${fn} is not an exported function`);
  const out = await (f as (x: RecordBatch) => unknown)(batchToArrow(b));
  if (!(out instanceof RecordBatch || out instanceof Table)) throw new ExecutionError("BAD_FUNCTION_RESULT", `mapBatches: ${fn} must return an Arrow RecordBatch or Table`);
  const res = batchFromArrow(out);
  const got = res.fields.map((x) => x.name).join(", ");
  if (got !== schema.map((x) => x.name).join(", ")) {
    throw new ExecutionError("BAD_FUNCTION_RESULT", `mapBatches: ${fn} returned columns [${got}] but declared [${schema.map((x) => x.name).join(", ")}]`);
  }
  return res;
}

const STEPS: { [T in Step["t"]]: StepFn<T> } = {
  filter: (b, s) => filterByPredicate(b, s.predicate),
  project: (b, s) => projectBatch(b, s.exprs),
  withColumns: (b, s) => withColumns(b, s.exprs),
  limit: (b, s) => sliceBatch(b, Math.min(s.offset, b.length), Math.min(b.length, s.offset + s.n)),
  aggPartial: (b, s) => aggPartial(b, s.spec),
  aggMerge: (b, s) => aggMerge([b], s.spec),
  aggFinalize: (b, s) => aggFinalize(b, s.spec),
  aggFull: (b, s) => aggFull(b, s.spec),
  aggSplit: (b, s) => aggSplit(b, s.spec, s.n, s.partial, s.by),
  aggMergeRows: (b, s, inputs) => {
    const side = s.side.map((i) => inputs[i] as Batch);
    return aggMergeRows(b, side.length === 1 ? (side[0] as Batch) : concatBatches(side, s.rowFields), s.spec);
  },
  sort: (b, s) => sortBatch(b, s.spec),
  unique: (b, s) => unique(b, s.subset, s.keep),
  groupHead: (b, s) => groupHead(b, s.keys, s.n),
  groupTopN: (b, s) => (s.partial === true ? groupTopNPartial : groupTopN)(b, s.keys, s.n, s.spec),
  mapBatches: (b, s) => mapBatches(b, s.fn, s.schema),
  join: (b, s, inputs) => {
    const side = s.side.map((i) => batchInput(inputs, i, "join"));
    const right = side.length === 1 ? (side[0] as Batch) : concatBatches(side, s.rightFields);
    return hashJoin(b, right, s.spec);
  },
  hashSplit: (b, s) => hashPartition(b, s.keys, checkSplit(b, s.n)),
  evenSplit: (b, s) => evenSplit(b, checkSplit(b, s.n)),
  rangeSplit: (b, s, inputs) => {
    const bounds = batchInput(inputs, s.side, "rangeSplit");
    if (bounds.length >= MAX_SPLIT) throw new ExecutionError("SPLIT_TOO_LARGE", `a range split by ${bounds.length} bounds exceeds ${MAX_SPLIT} partitions`);
    checkSplit(b, bounds.length + 1);
    return rangePartition(b, bounds, s.spec);
  },
  sample: (b, s) => sampleSortKeys(b, s.spec, s.k),
  dictEncode: (b) => dictEncodeBatch(b),
  countSplit: (b) => [b, { fields: [{ name: "rows", type: "int64", nullable: false }], columns: [makeNumColumn("int64", BigInt64Array.of(BigInt(b.length)))], length: 1 }],
  rowIndex: (b, s, inputs) => withRowIndex(b, s.name, s.offset + s.side.reduce((n, i) => n + rowsCounted(inputs[i]), 0)),
  pivot: (b, s, _inputs) => pivotBatch(b, s.index, s.on, s.values, s.onValues, pivotFields(b, s)),
  gridSplit: (b, s) => splitRowsByWindow(b, s),
};

/** The row count a countSplit's second batch carries. */
function rowsCounted(x: unknown): number {
  const b = x as Batch;
  const c = b.columns[0];
  if (b.length !== 1 || c === undefined || c.kind !== "num") throw new ExecutionError("BAD_INPUT", "rowIndex expects one-row count batches as side inputs");
  return Number((c.values as BigInt64Array)[0]);
}

function withRowIndex(b: Batch, name: string, start: number): Batch {
  const values = new BigInt64Array(b.length);
  // Exact below 2^53 rows, far past any frame a cluster holds.
  for (let i = 0; i < b.length; i++) values[i] = BigInt(start + i);
  return { fields: [...b.fields, { name, type: "int64", nullable: false }], columns: [...b.columns, makeNumColumn("int64", values)], length: b.length };
}

/** The pivot's output fields: the index fields, then one nullable column per name, typed as its value column. */
function pivotFields(b: Batch, s: Extract<Step, { t: "pivot" }>): Field[] {
  const out: Field[] = s.index.map((c) => b.fields.find((f) => f.name === c) as Field);
  const m = s.onValues.length;
  s.values.forEach((v, vi) => {
    const type = (b.fields.find((f) => f.name === v) as Field).type;
    for (let k = 0; k < m; k++) out.push({ name: s.names[vi * m + k] as string, type, nullable: true });
  });
  return out;
}

export function applyStep(b: Batch, step: Step, inputs: readonly unknown[]): Batch | Batch[] | Promise<Batch | Batch[]> {
  const f = STEPS[step.t] as StepFn<typeof step.t>;
  return f(b, step as never, inputs);
}
