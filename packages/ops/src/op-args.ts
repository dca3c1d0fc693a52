// The physical operator union: every op a task graph may name, with the type of its args (what lowering emits and
// the workers' op table consumes; a mismatch on either side does not compile).
import type { Schema } from "@tessera/common";
import type { SortSpec } from "@tessera/kernels";
import type { PipelineArgs } from "./steps.js";
import type { RasterOpArgs } from "./raster-op-args.js";

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

/**
 * Op name → args type. Adding an op: an entry here, its contract in contracts.ts, its handler in the worker. The
 * raster ops are listed in raster-op-args.ts (contracts in raster-contracts.ts).
 */
export interface OpArgs extends RasterOpArgs {
  readonly pipeline: PipelineArgs;
  readonly pick: PickArgs;
  readonly "merge-sorted": MergeSortedArgs;
  readonly "range-bounds": RangeBoundsArgs;
  readonly "sink-part": SinkPartArgs;
  readonly "sink-commit": SinkCommitArgs;
}

export type OpName = keyof OpArgs;

