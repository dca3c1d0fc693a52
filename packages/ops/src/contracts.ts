// Each op's contract: a check of its args as they come off the wire, and the storage URLs a task reads and writes.
import { ExecutionError, assertNever } from "@tessera/common";
import type { Check } from "@tessera/protocol";
import { optional } from "@tessera/protocol";
import {
  MAX_SAMPLE, MAX_SPLIT, MAX_SPLIT_PIECES, aggSpec, bool, count, dtype, expr, exprs, int, joinSpec, list, litValue, literal, name, names, nullable, obj, schema,
  sortSpec, str, tagged, url,
} from "./checks.js";
import { batch } from "./batch-check.js";
import { TOP_N_MAX } from "@tessera/kernels";
import type {
  MergeSortedArgs, ObjectFormatArgs, OpArgs, OpName, PickArgs, RangeBoundsArgs, SinkCommitArgs, SinkObjectsArgs, SinkObjectsCommitArgs, SinkPartArgs,
} from "./op-args.js";
import type { ParquetPiece, PipelineArgs, SourceSpec, Step } from "./steps.js";
import { RASTER_CONTRACTS, gridSplitCheck } from "./raster-contracts.js";
import type { OpContract, StorageAccess } from "./op-contract.js";

export type { OpContract, StorageAccess };

const NONE: StorageAccess = { reads: [], writes: [] };
const noStorage = (): StorageAccess => NONE;

/**
 * Checks `args` against `contract` and returns them typed; a malformed task fails with ExecutionError BAD_OP_ARGS
 * naming the op (and never reaches the handler).
 */
export function validateArgs<A>(op: string, contract: OpContract<A>, args: unknown): A {
  const e = contract.check(args);
  if (e !== null) throw new ExecutionError("BAD_OP_ARGS", `op ${op}: bad args: ${e}`, { op });
  // The check above accepted exactly the shape of A (the contract pairs them; see OP_CONTRACTS).
  return args as A;
}

/** `first`, then (once the shape is right) `then`, which may read the value as typed. */
const both = (first: Check, then: Check): Check => (v) => first(v) ?? then(v);

type StepOf<T extends Step["t"]> = Extract<Step, { t: T }>;
type SourceOf<T extends SourceSpec["type"]> = Extract<SourceSpec, { type: T }>;
const split = int(1, MAX_SPLIT);
/** Most columns one pivot makes per value column. */
export const MAX_PIVOT_COLUMNS = 100_000;
const inputIndex = int(0, 1_000_000);

const STEP_CHECKS: { readonly [T in Step["t"]]: Check } = {
  filter: obj<StepOf<"filter">>({ t: str(), predicate: expr }),
  project: obj<StepOf<"project">>({ t: str(), exprs }),
  withColumns: obj<StepOf<"withColumns">>({ t: str(), exprs }),
  limit: obj<StepOf<"limit">>({ t: str(), n: count, offset: count }),
  aggPartial: obj<StepOf<"aggPartial">>({ t: str(), spec: aggSpec }),
  aggMerge: obj<StepOf<"aggMerge">>({ t: str(), spec: aggSpec }),
  aggFinalize: obj<StepOf<"aggFinalize">>({ t: str(), spec: aggSpec }),
  aggFull: obj<StepOf<"aggFull">>({ t: str(), spec: aggSpec }),
  aggSplit: obj<StepOf<"aggSplit">>({ t: str(), spec: aggSpec, n: split, partial: literal("auto", "never"), by: optional(names) }),
  aggMergeRows: obj<StepOf<"aggMergeRows">>({ t: str(), spec: aggSpec, side: list(inputIndex, 1_000_000), rowFields: schema }),
  sort: obj<StepOf<"sort">>({ t: str(), spec: sortSpec }),
  unique: obj<StepOf<"unique">>({ t: str(), subset: nullable(names), keep: literal("first", "last") }),
  groupHead: obj<StepOf<"groupHead">>({ t: str(), keys: names, n: count }),
  groupTopN: obj<StepOf<"groupTopN">>({ t: str(), keys: names, n: int(0, TOP_N_MAX), spec: sortSpec, partial: optional(bool) }),
  mapBatches: obj<StepOf<"mapBatches">>({ t: str(), fn: str(4096), schema }),
  join: obj<StepOf<"join">>({ t: str(), spec: joinSpec, side: list(inputIndex, 1_000_000), rightFields: schema }),
  hashSplit: obj<StepOf<"hashSplit">>({ t: str(), keys: names, n: split }),
  evenSplit: obj<StepOf<"evenSplit">>({ t: str(), n: split }),
  rangeSplit: obj<StepOf<"rangeSplit">>({ t: str(), spec: sortSpec, side: inputIndex }),
  sample: obj<StepOf<"sample">>({ t: str(), spec: sortSpec, k: int(0, MAX_SAMPLE) }),
  gridSplit: gridSplitCheck,
  countSplit: obj<StepOf<"countSplit">>({ t: str() }),
  dictEncode: obj<StepOf<"dictEncode">>({ t: str() }),
  rowIndex: obj<StepOf<"rowIndex">>({ t: str(), name, offset: count, side: list(inputIndex, 1_000_000) }),
  pivot: obj<StepOf<"pivot">>({ t: str(), index: names, on: name, values: names, onValues: list(litValue, MAX_PIVOT_COLUMNS), names: list(name, MAX_PIVOT_COLUMNS * 1000) }),
};

/** Bytes off the wire (msgpack binary), at most `max` of them. */
const bytes = (max: number): Check => (v) => (v instanceof Uint8Array && v.length <= max ? null : `expected at most ${max} bytes`);
const footerPart = obj({ rowGroups: list(count, 1_000_000), bytes: bytes(256 << 20), size: count });
const piece = obj<ParquetPiece>({
  url, rowGroups: list(count, 1_000_000), hive: list(obj({ name, type: dtype, value: litValue }), 10_000), footer: optional(footerPart),
});

const SOURCE_CHECKS: { readonly [T in SourceSpec["type"]]: Check } = {
  parquet: obj<SourceOf<"parquet">>({ type: str(), pieces: list(piece, 1_000_000), columns: names, limit: nullable(count), fields: schema }),
  csv: obj<SourceOf<"csv">>({
    type: str(), url, range: nullable(obj({ start: count, end: count })), fields: schema, delimiter: str(1), header: bool,
  }),
  memory: obj<SourceOf<"memory">>({ type: str(), ref: str(4096), data: batch }),
  inputs: obj<SourceOf<"inputs">>({ type: str(), count: int(0, 1_000_000), fields: schema }),
};

function sourceReads(s: SourceSpec): readonly string[] {
  switch (s.type) {
    case "parquet": return s.pieces.map((p) => p.url);
    case "csv": return [s.url];
    case "memory": case "inputs": return [];
    default: return assertNever(s, "source");
  }
}

/** A split's partitions times the columns it splits (the pipeline's output fields: a split is its last step) stay in budget. */
const splitBudget: Check = (v) => {
  const a = v as PipelineArgs;
  const columns = Math.max(1, a.fields.length);
  for (const [i, s] of a.steps.entries()) {
    if ((s.t === "hashSplit" || s.t === "evenSplit") && s.n * columns > MAX_SPLIT_PIECES) {
      return `.steps: [${i}]: ${s.n} partitions of ${columns} columns exceed ${MAX_SPLIT_PIECES} pieces`;
    }
  }
  return null;
};

const format = literal("parquet", "csv");
const numberFormat = literal("default", "python");
type FormatOf<K extends ObjectFormatArgs["kind"]> = Extract<ObjectFormatArgs, { kind: K }>;
const OBJECT_FORMAT_CHECKS: { readonly [K in ObjectFormatArgs["kind"]]: Check } = {
  csv: obj<FormatOf<"csv">>({ kind: str(), columns: names, numberFormat, pivot: nullable(obj({ index: name, on: name, values: name })) }),
  json: obj<FormatOf<"json">>({ kind: str(), columns: names, numberFormat, nest: names, nestKeys: list(nullable(names), 1000), leaf: literal("records", "values") }),
  tile: obj<FormatOf<"tile">>({ kind: str(), encoder: str(4096), z: name, x: name, y: name, bin: name, binLevel: int(0, 15), values: names }),
};
/** The URL a fan-out sink's objects go under: the root, or the root's commit object. */
const under = (root: string, name: string): string => (root.endsWith("/") ? root + name : `${root}/${name}`);

/** The contract of every op in OpArgs: a new op does not compile until it has one. */
export const OP_CONTRACTS: { readonly [K in OpName]: OpContract<OpArgs[K]> } = {
  pipeline: {
    check: both(obj<PipelineArgs>({ source: tagged("type", SOURCE_CHECKS), steps: list(tagged("t", STEP_CHECKS), 10_000), fields: schema }), splitBudget),
    storage: (a) => ({ reads: sourceReads(a.source), writes: [] }),
  },
  pick: { check: obj<PickArgs>({ index: int(0, MAX_SPLIT) }), storage: noStorage },
  "merge-sorted": { check: obj<MergeSortedArgs>({ spec: sortSpec, fields: schema }), storage: noStorage },
  "range-bounds": { check: obj<RangeBoundsArgs>({ spec: sortSpec, n: split }), storage: noStorage },
  "sink-part": {
    check: obj<SinkPartArgs>({
      url, format, index: count, token: str(128), partitionBy: names, fields: schema,
      compression: literal("zstd", "snappy", "none"), rowGroupSize: int(1, 1 << 30),
    }),
    // Writes its parts under the dataset directory; reads the job's abort marker there (attemptAborted).
    storage: (a) => ({ reads: [a.url], writes: [a.url] }),
  },
  "sink-commit": {
    check: obj<SinkCommitArgs>({ url, format, token: str(128), fields: schema }),
    // Heads every part under the dataset directory; the manifest is published by the client, not by this task.
    storage: (a) => ({ reads: [a.url], writes: [] }),
  },
  ...RASTER_CONTRACTS,
  "sink-objects": {
    check: obj<SinkObjectsArgs>({
      url, template: str(8192), format: tagged("kind", OBJECT_FORMAT_CHECKS), orderBy: nullable(sortSpec), fields: schema, index: count,
      token: str(128), concurrency: int(1, 256), attempts: int(1, 20),
    }),
    storage: (a) => ({ reads: [], writes: [a.url] }),
  },
  "sink-objects-commit": {
    check: obj<SinkObjectsCommitArgs>({ url, commit: nullable(str(1024)), token: str(128), template: str(8192) }),
    storage: (a) => ({ reads: [], writes: a.commit === null ? [] : [under(a.url, a.commit)] }),
  },
};

/** Every production op name (the runtime counterpart of OpName). */
export const OP_NAMES = Object.keys(OP_CONTRACTS) as OpName[];

/**
 * The storage a task of a production op touches, after checking its args (ExecutionError BAD_OP_ARGS); UNKNOWN_OP
 * for a name that is not a production op. What a storage-scope check calls for every task of a submitted graph.
 */
export function storageOf(op: string, args: unknown): StorageAccess {
  if (!Object.hasOwn(OP_CONTRACTS, op)) throw new ExecutionError("UNKNOWN_OP", `no production op named ${op}`, { op });
  return storageWith(op as OpName, args);
}

function storageWith<K extends OpName>(op: K, args: unknown): StorageAccess {
  const contract: OpContract<OpArgs[K]> = OP_CONTRACTS[op];
  return contract.storage(validateArgs(op, contract, args));
}
