// Physical steps: the per-partition operations a fused "pipeline" task applies in order, as plain data.
import type { Field, Schema } from "@tessera/common";
import type { ExprNode, LitValue } from "@tessera/expr";
import type { AggSpec, JoinSpec, SortSpec } from "@tessera/kernels";
import type { ParquetFooterPart } from "@tessera/io";

/** The kernels' contracts for aggregate, sort and join steps: the planner fills them, the kernels run them. */
export type { AggCall as AggItem, AggSpec, SortSpec, JoinSpec } from "@tessera/kernels";

/** One piece of a Parquet file: the row groups to decode and the hive values to add as columns. */
export interface ParquetPiece {
  readonly url: string;
  readonly rowGroups: readonly number[];
  readonly hive: readonly { readonly name: string; readonly type: Field["type"]; readonly value: LitValue }[];
  /** The footer of just these row groups and the scan's columns, so the task reads no footer (absent: it reads it). */
  readonly footer?: ParquetFooterPart;
}

/** Where a pipeline's rows come from. */
export type SourceSpec =
  /** Decode `columns` of the pieces (file columns only), add hive columns, concatenate. */
  | { readonly type: "parquet"; readonly pieces: readonly ParquetPiece[]; readonly columns: readonly string[]; readonly limit: number | null; readonly fields: Schema }
  /** A record-aligned byte range of a CSV file (null: the whole file). */
  | { readonly type: "csv"; readonly url: string; readonly range: { readonly start: number; readonly end: number } | null; readonly fields: Schema; readonly delimiter: string; readonly header: boolean }
  /** In-memory data shipped with the task. `ref` names it structurally (the data is not hashed). */
  | { readonly type: "memory"; readonly ref: string; readonly data: unknown }
  /** The first `count` task inputs (Batches), concatenated in order; the rest are side inputs for steps. */
  | { readonly type: "inputs"; readonly count: number; readonly fields: Schema };

/** A per-partition step. The last step may be a splitting one that returns several Batches. */
export type Step =
  | { readonly t: "filter"; readonly predicate: ExprNode }
  | { readonly t: "project"; readonly exprs: readonly ExprNode[] }
  | { readonly t: "withColumns"; readonly exprs: readonly ExprNode[] }
  | { readonly t: "limit"; readonly n: number; readonly offset: number }
  | { readonly t: "aggPartial"; readonly spec: AggSpec }
  | { readonly t: "aggFull"; readonly spec: AggSpec }
  | { readonly t: "sort"; readonly spec: SortSpec }
  | { readonly t: "unique"; readonly subset: readonly string[] | null; readonly keep: "first" | "last" }
  | { readonly t: "groupHead"; readonly keys: readonly string[]; readonly n: number }
  | { readonly t: "mapBatches"; readonly fn: string; readonly schema: Schema }
  /** Hash join with the right side = concatenation of the task inputs at `side` (absolute input indices). */
  | { readonly t: "join"; readonly spec: JoinSpec; readonly side: readonly number[]; readonly rightFields: Schema }
  /** Terminal: n Batches by hash of `keys`. */
  | { readonly t: "hashSplit"; readonly keys: readonly string[]; readonly n: number }
  /** Terminal: n Batches of (nearly) equal row counts, in order. */
  | { readonly t: "evenSplit"; readonly n: number }
  /** Terminal: n Batches by range, bounds taken from the task input at index `side`. */
  | { readonly t: "rangeSplit"; readonly spec: SortSpec; readonly side: number }
  /** Terminal: up to k rows of the sort keys, evenly spaced (the input is already sorted). */
  | { readonly t: "sample"; readonly spec: SortSpec; readonly k: number };

/** Args of the "pipeline" op. */
export interface PipelineArgs {
  readonly source: SourceSpec;
  readonly steps: readonly Step[];
  /** The output fields (after all steps), used to build empty results. */
  readonly fields: Schema;
}

/** Args of the "agg-merge" op: merges partial states in input order; `finalize` adds the final projection. */
export interface AggMergeArgs {
  readonly spec: AggSpec;
  readonly finalize: boolean;
  readonly post: readonly ExprNode[] | null;
}

/** Args of "pick": element `index` of an input that is an array of Batches. */
export interface PickArgs { readonly index: number }

/** Args of "merge-sorted": k-way merge of sorted inputs, ties by input order. */
export interface MergeSortedArgs { readonly spec: SortSpec; readonly fields: Schema }

/** Args of "range-bounds": n-1 boundary rows from the samples given as inputs. */
export interface RangeBoundsArgs { readonly spec: SortSpec; readonly n: number }

/** Args of "sink-part": writes one output partition as attempt-unique part file(s) under `url`. */
export interface SinkPartArgs {
  readonly url: string;
  readonly format: "parquet" | "csv";
  readonly index: number;
  readonly token: string;
  readonly partitionBy: readonly string[];
  readonly fields: Schema;
  readonly compression: "zstd" | "snappy" | "none";
  readonly rowGroupSize: number;
}

/** What a sink-part task returns. */
export interface SinkPartResult {
  readonly files: readonly { readonly path: string; readonly rows: number; readonly bytes: number }[];
}

/** Args of "sink-commit": checks that every part exists as written and returns the manifest; the client publishes it. */
export interface SinkCommitArgs {
  readonly url: string;
  readonly format: "parquet" | "csv";
  readonly token: string;
  readonly fields: Schema;
}
