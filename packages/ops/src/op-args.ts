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

/** How one object is rendered from its group's rows (the plan node's ObjectFormat, as data). */
export type ObjectFormatArgs =
  | { readonly kind: "csv"; readonly columns: readonly string[]; readonly numberFormat: "default" | "python";
      readonly pivot: { readonly index: string; readonly on: string; readonly values: string } | null }
  | { readonly kind: "json"; readonly columns: readonly string[]; readonly numberFormat: "default" | "python"; readonly nest: readonly string[];
      readonly nestKeys: readonly (readonly string[] | null)[]; readonly leaf: "records" | "values" }
  | { readonly kind: "tile"; readonly encoder: string; readonly z: string; readonly x: string; readonly y: string; readonly bin: string;
      readonly binLevel: number; readonly values: readonly string[] };

/**
 * Args of "sink-objects": renders one object per group of the concatenated inputs (groups: combinations of the
 * template's placeholder columns; rows ordered by `orderBy`) and PUTs it at `url` + the rendered key, at most
 * `concurrency` at once, each tried up to `attempts` times.
 */
export interface SinkObjectsArgs {
  readonly url: string;
  readonly template: string;
  readonly format: ObjectFormatArgs;
  readonly orderBy: SortSpec | null;
  readonly fields: Schema;
  readonly index: number;
  readonly token: string;
  readonly concurrency: number;
  readonly attempts: number;
}

/** What a sink-objects task returns. */
export interface SinkObjectsResult {
  readonly index: number;
  readonly objects: number;
  readonly bytes: number;
}

/** Args of "sink-objects-commit": after every part, writes the commit object `url` + `commit` (if any) and returns the summary. */
export interface SinkObjectsCommitArgs {
  readonly url: string;
  readonly commit: string | null;
  readonly token: string;
  readonly template: string;
}

/** What the commit task returns (and writes, as JSON, as the commit object). */
export interface ObjectsManifest {
  readonly token: string;
  readonly template: string;
  readonly objects: number;
  readonly bytes: number;
  readonly parts: readonly SinkObjectsResult[];
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
  readonly "sink-objects": SinkObjectsArgs;
  readonly "sink-objects-commit": SinkObjectsCommitArgs;
}

export type OpName = keyof OpArgs;

