// Physical steps: the per-partition operations a fused "pipeline" task applies in order, as plain data.
import type { Field, Schema } from "@tessera/common";
import type { AggSpec, ExprNode, LitValue } from "@tessera/expr";
import type { JoinSpec, PartialMode, SortSpec } from "@tessera/kernels";
import type { ParquetFooterPart } from "@tessera/io";
import type { Grid } from "@tessera/raster";

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
  /** One row per group: keys, then each aggregate's partial state (aggStateFields). */
  | { readonly t: "aggPartial"; readonly spec: AggSpec }
  /** Merges partial-state rows of equal keys (the input: concatenated states, in partition order). */
  | { readonly t: "aggMerge"; readonly spec: AggSpec }
  /** Partial states to each aggregate's output column. */
  | { readonly t: "aggFinalize"; readonly spec: AggSpec }
  | { readonly t: "aggFull"; readonly spec: AggSpec }
  /**
   * Terminal: 2n Batches for a hash-shuffled aggregation: n pieces of partial states, then n pieces of rows, one half
   * empty; states only where partial aggregation reduces what moves ("auto": estimated per partition; "never": known
   * from statistics not to).
   */
  /** `by`: the keys whose hash picks a row's bucket (some of spec.keys; all of them when absent). */
  | { readonly t: "aggSplit"; readonly spec: AggSpec; readonly n: number; readonly partial: PartialMode; readonly by?: readonly string[] }
  /** The merge side of aggSplit: the input holds state pieces; the inputs at `side` hold row pieces (`rowFields`). */
  | { readonly t: "aggMergeRows"; readonly spec: AggSpec; readonly side: readonly number[]; readonly rowFields: Schema }
  | { readonly t: "sort"; readonly spec: SortSpec }
  | { readonly t: "unique"; readonly subset: readonly string[] | null; readonly keep: "first" | "last" }
  | { readonly t: "groupHead"; readonly keys: readonly string[]; readonly n: number }
  /**
   * The rows sort(spec) then groupHead(keys, n) keeps, in input order (see groupTopN); reduces through a merge tree.
   * `partial`: one partition of several, before the merge tree, which may pass its rows on when reducing them does
   * not pay (groupTopNPartial).
   */
  | { readonly t: "groupTopN"; readonly keys: readonly string[]; readonly n: number; readonly spec: SortSpec; readonly partial?: boolean }
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
  | { readonly t: "sample"; readonly spec: SortSpec; readonly k: number }
  /** Text columns that repeat values become dictionary-encoded (what persisted results hold). */
  | { readonly t: "dictEncode" }
  /** Terminal: [the batch, a one-row batch with its row count in an int64 column "rows"]. */
  | { readonly t: "countSplit" }
  /** Adds int64 column `name`: `offset` + the rows counted by the one-row batches at inputs `side` + the row's position. */
  | { readonly t: "rowIndex"; readonly name: string; readonly offset: number; readonly side: readonly number[] }
  /**
   * Long to wide over rows holding at most one row per (index, on): one row per index combination, and for each
   * value column and each of `onValues` a column `names[v * onValues.length + k]` (null where no row).
   */
  | { readonly t: "pivot"; readonly index: readonly string[]; readonly on: string; readonly values: readonly string[]; readonly onValues: readonly LitValue[]; readonly names: readonly string[] }
  /**
   * Terminal: one Batch per window of `shape` over `grid` (a rasterize's chunks, row-major), by the pixel each row's
   * x/y point (in `crs`, null: the grid's) falls in; rows off the grid are dropped.
   */
  | {
    readonly t: "gridSplit"; readonly grid: Grid; readonly shape: { readonly width: number; readonly height: number };
    readonly x: string; readonly y: string; readonly crs: string | null;
  };

/** Args of the "pipeline" op. */
export interface PipelineArgs {
  readonly source: SourceSpec;
  readonly steps: readonly Step[];
  /** The output fields (after all steps), used to build empty results. */
  readonly fields: Schema;
}
