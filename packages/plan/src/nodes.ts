// Logical plan nodes: immutable plain data built by LazyFrame, rewritten by the optimizer, lowered to tasks.
import type { Field, Schema } from "@tessera/common";
import type { ExprNode, LitValue } from "@tessera/expr";
import type { DictionarySize } from "@tessera/io";
import type { FromRasterNodeOf, RasterNodeOf, RasterSinkNodeOf } from "./raster/raster-nodes.js";

/** Min/max/null-count statistics of one column in one row group (values in the column's logical type). */
export interface ColumnStats {
  readonly min: LitValue;
  readonly max: LitValue;
  readonly nullCount: number | null;
}

export interface RowGroupInfo {
  readonly index: number;
  readonly numRows: number;
  readonly bytes: number;
  readonly stats: Readonly<Record<string, ColumnStats>>;
}

export interface ParquetFileInfo {
  readonly url: string;
  readonly numRows: number;
  /** Hive partition values of this file (`key=value/` segments), typed per the scan's hive fields. */
  readonly hive: Readonly<Record<string, LitValue>>;
  readonly rowGroups: readonly RowGroupInfo[];
  /** The file's raw footer as read while planning, and the file's size: lowering cuts each scan task the part it reads. */
  readonly footer?: { readonly bytes: Uint8Array; readonly size: number };
}

/** A source before its metadata is read: what the user named. */
export type UnresolvedSource =
  | { readonly format: "parquet"; readonly urls: readonly string[]; readonly partitions: number | null }
  | { readonly format: "csv"; readonly urls: readonly string[]; readonly delimiter: string; readonly header: boolean; readonly schema: Schema | null; readonly partitions: number | null };

/** A source with its metadata: everything the planner needs to split and prune without reading data. */
export type ResolvedSource =
  | { readonly format: "parquet"; readonly files: readonly ParquetFileInfo[]; readonly fileFields: Schema; readonly hiveFields: Schema; readonly partitions: number | null;
      /** Columns of the files this reader cannot decode (decimal, nested, ...): not in fileFields, named in errors. */
      readonly unsupported?: readonly { readonly name: string; readonly reason: string; readonly url: string }[];
      /** Dictionary sizes of string group keys in the first file's first row group (see key-statistics.ts). */
      readonly dictionarySizes?: Readonly<Record<string, DictionarySize>> }
  /** `ranges`: record-aligned byte ranges per file (quote-aware), one partition each. */
  | { readonly format: "csv"; readonly files: readonly { readonly url: string; readonly size: number; readonly ranges: readonly { readonly start: number; readonly end: number }[] }[]; readonly delimiter: string; readonly header: boolean; readonly fields: Schema; readonly partitions: number | null }
  /** In-memory data: `id` identifies it structurally; the batches travel with the plan as data. */
  | { readonly format: "memory"; readonly id: string; readonly fields: Schema; readonly partitions: readonly unknown[]; readonly numRows: number }
  /** Partitions held in the cluster's memory by `persist()`: task keys whose results later graphs take as inputs. */
  | { readonly format: "persisted"; readonly keys: readonly string[]; readonly fields: Schema; readonly numRows: number;
      /** How rows are spread over the keys, when known (see the lowering's Partitioning): later plans use it to skip shuffles. */
      readonly partitioning?: { readonly by: readonly string[]; readonly buckets: number } | null };

export type ScanSource = UnresolvedSource | ResolvedSource;

export interface ScanNode {
  readonly kind: "scan";
  readonly source: ScanSource;
  /** Columns to decode (null: all). Set by projection pushdown. */
  readonly projection: readonly string[] | null;
  /** Rows failing this are dropped while scanning; also prunes row groups and hive partitions. */
  readonly predicate: ExprNode | null;
  /** Stop after this many rows (only when no predicate). */
  readonly limit: number | null;
}

export type JoinHow = "inner" | "left" | "right" | "full" | "semi" | "anti";
export type AggStrategy = "auto" | "tree" | "shuffle";
export type SinkFormat = "parquet" | "csv";

/** How a sink writes its files; every field has its default filled in by the terminal that built the node. */
export interface SinkOptions {
  /** Columns whose values name `key=value/` directories; they are not stored in the files. */
  readonly partitionBy: readonly string[];
  /** Parquet only. */
  readonly compression: "zstd" | "snappy" | "none";
  readonly rowGroupSize: number;
}

/**
 * Writes its input as a dataset under `url` (a directory): part files named with the attempt's `token`, verified
 * by a commit task that returns the manifest the client publishes (the commit protocol, io/src/commit/).
 */
export interface SinkNode {
  readonly kind: "sink";
  readonly input: PlanNode;
  readonly format: SinkFormat;
  readonly url: string;
  readonly token: string;
  readonly options: SinkOptions;
}

/** How values are aggregated into a pivot's cells when several rows share an index and an `on` value. */
export type PivotAgg = "first" | "last" | "sum" | "mean" | "min" | "max" | "count";

/**
 * Long to wide: one row per distinct `index` combination, one column per (value column, distinct `on` value),
 * cells aggregated by `agg`. `onValues` lists the `on` values that become columns, in column order; null until
 * the frame layer reads them from the data (a plan is typed only once they are known).
 */
export interface PivotNode {
  readonly kind: "pivot";
  readonly input: PlanNode;
  readonly index: readonly string[];
  readonly on: string;
  readonly values: readonly string[];
  readonly agg: PivotAgg;
  readonly onValues: readonly LitValue[] | null;
}

/** How one object of a fan-out sink is rendered from its group's rows. */
export type ObjectFormat =
  /** CSV with a header; `pivot` writes each object's rows long to wide (columns = its own `on` values). */
  | { readonly kind: "csv"; readonly columns: readonly string[]; readonly numberFormat: "default" | "python"; readonly pivot: ObjectPivot | null }
  /**
   * JSON: `nest` columns become levels of nested objects keyed by their values (`nestKeys[i]`, when given, are keys
   * every object has, in that order, even without rows); at the leaves the rows as records (`columns` → value) or,
   * with `leaf: "values"`, the list of the one column's values.
   */
  | { readonly kind: "json"; readonly columns: readonly string[]; readonly numberFormat: "default" | "python"; readonly nest: readonly string[];
      readonly nestKeys: readonly (readonly string[] | null)[]; readonly leaf: "records" | "values" }
  /**
   * A map tile through a TileEncoder named "module#export" (resolved where the workers run, as mapBatches
   * functions are): rows are the tile's bins (`bin`), `values` the bins' values; `z`, `x`, `y` name the tile.
   */
  | { readonly kind: "tile"; readonly encoder: string; readonly z: string; readonly x: string; readonly y: string; readonly bin: string;
      readonly binLevel: number; readonly values: readonly string[] };

/** A CSV object written wide: a row per `index` value, a column per `on` value holding `values`. */
export interface ObjectPivot {
  readonly index: string;
  readonly on: string;
  readonly values: string;
}

/**
 * Writes one object per group of rows under `url`: the key is `template` (see io's path-template.ts) filled with
 * the group's values; `orderBy` orders rows inside an object. Objects land at their final keys (a re-run
 * overwrites them); once every part is written, the commit task writes the `commit` object (null: none, the
 * caller commits), so its presence means the whole tree is there.
 */
export interface ObjectSinkNode {
  readonly kind: "sinkObjects";
  readonly input: PlanNode;
  readonly url: string;
  readonly template: string;
  /** The template's placeholder columns, in order (each group is one combination of their values). */
  readonly groupBy: readonly string[];
  readonly format: ObjectFormat;
  readonly orderBy: readonly string[];
  readonly descending: readonly boolean[];
  readonly commit: string | null;
  readonly token: string;
  /** PUTs in flight per partition, and tries per PUT. */
  readonly concurrency: number;
  readonly attempts: number;
}

export type PlanNode =
  | ScanNode
  | { readonly kind: "select"; readonly input: PlanNode; readonly exprs: readonly ExprNode[] }
  | { readonly kind: "withColumns"; readonly input: PlanNode; readonly exprs: readonly ExprNode[] }
  | { readonly kind: "filter"; readonly input: PlanNode; readonly predicate: ExprNode }
  | { readonly kind: "aggregate"; readonly input: PlanNode; readonly keys: readonly ExprNode[]; readonly aggs: readonly ExprNode[]; readonly strategy: AggStrategy }
  | { readonly kind: "groupHead"; readonly input: PlanNode; readonly keys: readonly string[]; readonly n: number }
  | { readonly kind: "join"; readonly left: PlanNode; readonly right: PlanNode; readonly leftOn: readonly string[]; readonly rightOn: readonly string[]; readonly how: JoinHow; readonly suffix: string }
  | { readonly kind: "sort"; readonly input: PlanNode; readonly by: readonly string[]; readonly descending: readonly boolean[]; readonly nullsLast: readonly boolean[] }
  | { readonly kind: "limit"; readonly input: PlanNode; readonly n: number; readonly offset: number }
  | { readonly kind: "unique"; readonly input: PlanNode; readonly subset: readonly string[] | null; readonly keep: "first" | "last" }
  | { readonly kind: "rename"; readonly input: PlanNode; readonly mapping: Readonly<Record<string, string>> }
  | { readonly kind: "drop"; readonly input: PlanNode; readonly names: readonly string[] }
  | { readonly kind: "repartition"; readonly input: PlanNode; readonly n: number; readonly by: readonly string[] | null }
  | { readonly kind: "union"; readonly inputs: readonly PlanNode[] }
  | { readonly kind: "mapBatches"; readonly input: PlanNode; readonly fn: string; readonly schema: Schema }
  /** Adds column `name`: the row's position in the frame, from `offset` (int64). */
  | { readonly kind: "rowIndex"; readonly input: PlanNode; readonly name: string; readonly offset: number }
  /** The first `k` rows of each group of `keys` in the order of `by` (ties keep the frame's order). */
  | { readonly kind: "topK"; readonly input: PlanNode; readonly keys: readonly string[]; readonly by: readonly string[]; readonly descending: readonly boolean[]; readonly nullsLast: readonly boolean[]; readonly k: number }
  | PivotNode
  /**
   * A subplan several plans share (sinkAll marks them): rules treat it as a boundary (all its columns are kept, no
   * predicate or limit moves into it), so every plan lowers it to the same tasks and it is computed once.
   */
  | { readonly kind: "cache"; readonly input: PlanNode }
  | SinkNode
  | ObjectSinkNode
  | FromRasterNode;

/** A raster's plan (raster/raster-nodes.ts), whose rasterize nodes hold frame plans. */
export type RasterNode = RasterNodeOf<PlanNode>;
/** A frame made from a raster: its cells as rows, zonal statistics, or statistics over all cells. */
export interface FromRasterNode extends FromRasterNodeOf<PlanNode> {}
/** A raster job's root: a raster written as a GeoTIFF or as tiles. */
export interface RasterSinkNode extends RasterSinkNodeOf<PlanNode> {}

export type PlanKind = PlanNode["kind"];

/** The inputs of a node, in order. A fromRaster node is a leaf of the frame plan (raster/ walks its raster). */
export function planInputs(p: PlanNode): PlanNode[] {
  switch (p.kind) {
    case "scan": case "fromRaster": return [];
    case "join": return [p.left, p.right];
    case "union": return [...p.inputs];
    default: return [p.input];
  }
}

/** Rebuilds `p` with new inputs (same order as planInputs). */
export function withInputs(p: PlanNode, inputs: readonly PlanNode[]): PlanNode {
  const at = (i: number): PlanNode => inputs[i] as PlanNode;
  switch (p.kind) {
    case "scan": case "fromRaster": return p;
    case "join": return { ...p, left: at(0), right: at(1) };
    case "union": return { ...p, inputs: [...inputs] };
    default: return { ...p, input: at(0) } as PlanNode;
  }
}

/** Bottom-up rewrite of a plan tree. */
export function transformPlan(p: PlanNode, f: (n: PlanNode) => PlanNode): PlanNode {
  const ins = planInputs(p);
  const rebuilt = ins.length === 0 ? p : withInputs(p, ins.map((x) => transformPlan(x, f)));
  return f(rebuilt);
}

export type { Field };
