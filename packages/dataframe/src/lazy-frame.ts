// LazyFrame: the user's query as an immutable logical plan; methods only build nodes, terminals run them.
import type { Field, Schema } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { Expr } from "@tessera/expr";
import { containsAgg, exprOrCol } from "@tessera/expr";
import type { AggStrategy, JoinHow, PivotAgg, PlanNode } from "@tessera/plan";
import type { LitValue } from "@tessera/expr";
import { explainPlan, schemaOf } from "@tessera/plan";
import type { Schema as ArrowSchema, Table } from "apache-arrow";
import { tableFromBatches } from "@tessera/kernels";
import type { ExecOptions } from "./execute.js";
import { collectPlan, markReleased, persistPlan, preparePlan } from "./execute.js";
import type { SinkCsvOptions, SinkParquetOptions, WriteResult } from "./sink.js";
import { sinkPlan } from "./sink.js";
import type { LazySink, ObjectsWriteResult, SinkObjectsOptions, SinkTilesOptions } from "./sink-objects.js";
import { objectsSink, sinkAll, tilesSink } from "./sink-objects.js";

export interface JoinOptions {
  readonly on?: string | readonly string[];
  readonly leftOn?: string | readonly string[];
  readonly rightOn?: string | readonly string[];
  readonly how?: JoinHow;
  readonly suffix?: string;
}

export interface SortOptions {
  readonly descending?: boolean | readonly boolean[];
  /** Nulls after non-null values (default true, as in SQL ascending order). */
  readonly nullsLast?: boolean | readonly boolean[];
}

export interface PivotOptions {
  /** The column whose distinct values become columns. */
  readonly on: string;
  /** The columns that identify an output row. */
  readonly index: string | readonly string[];
  /** The column(s) whose values fill the cells. */
  readonly values: string | readonly string[];
  /** How several rows of one cell combine (default "first"). */
  readonly agg?: PivotAgg;
  /** The `on` values that become columns, in order (default: every distinct value, sorted, read from the data). */
  readonly columns?: readonly LitValue[];
}

const list = (x: string | readonly string[]): string[] => (typeof x === "string" ? [x] : [...x]);
const perKey = (x: boolean | readonly boolean[] | undefined, n: number, dflt: boolean): boolean[] =>
  Array.from({ length: n }, (_, i) => (x === undefined ? dflt : typeof x === "boolean" ? x : (x[i] ?? dflt)));

export class LazyFrame {
  private releaser: (() => Promise<void>) | null = null;
  constructor(readonly plan: PlanNode) {}

  /** Row-wise expressions; when every expression aggregates, one row over the whole frame. */
  select(...exprs: (Expr | string)[]): LazyFrame {
    const nodes = exprs.map(exprOrCol);
    if (nodes.length > 0 && nodes.every(containsAgg)) return new LazyFrame({ kind: "aggregate", input: this.plan, keys: [], aggs: nodes, strategy: "auto" });
    return new LazyFrame({ kind: "select", input: this.plan, exprs: nodes });
  }
  withColumns(...exprs: (Expr | string)[]): LazyFrame {
    return new LazyFrame({ kind: "withColumns", input: this.plan, exprs: exprs.map(exprOrCol) });
  }
  filter(pred: Expr): LazyFrame {
    return new LazyFrame({ kind: "filter", input: this.plan, predicate: pred.node });
  }
  groupBy(...keys: (Expr | string)[]): GroupBy {
    return new GroupBy(this.plan, keys.map(exprOrCol), "auto");
  }
  join(other: LazyFrame, opts: JoinOptions): LazyFrame {
    const leftOn = list(opts.leftOn ?? opts.on ?? []);
    const rightOn = list(opts.rightOn ?? opts.on ?? []);
    if (leftOn.length === 0) throw new PlanError("BAD_JOIN_KEYS", "join needs `on` or `leftOn` + `rightOn`");
    return new LazyFrame({ kind: "join", left: this.plan, right: other.plan, leftOn, rightOn, how: opts.how ?? "inner", suffix: opts.suffix ?? "_right" });
  }
  sort(by: string | readonly string[], opts: SortOptions = {}): LazyFrame {
    const keys = list(by);
    return new LazyFrame({ kind: "sort", input: this.plan, by: keys, descending: perKey(opts.descending, keys.length, false), nullsLast: perKey(opts.nullsLast, keys.length, true) });
  }
  limit(n: number, offset = 0): LazyFrame {
    if (!Number.isInteger(n) || n < 0) throw new PlanError("BAD_ARGUMENT", `limit(n) needs a non-negative integer, got ${n}`);
    return new LazyFrame({ kind: "limit", input: this.plan, n, offset });
  }
  head(n = 5): LazyFrame { return this.limit(n); }
  unique(opts: { subset?: string | readonly string[]; keep?: "first" | "last" } = {}): LazyFrame {
    return new LazyFrame({ kind: "unique", input: this.plan, subset: opts.subset === undefined ? null : list(opts.subset), keep: opts.keep ?? "first" });
  }
  rename(mapping: Record<string, string>): LazyFrame {
    return new LazyFrame({ kind: "rename", input: this.plan, mapping: { ...mapping } });
  }
  drop(...names: string[]): LazyFrame {
    return new LazyFrame({ kind: "drop", input: this.plan, names });
  }
  repartition(n: number, opts: { by?: string | readonly string[] } = {}): LazyFrame {
    if (!Number.isInteger(n) || n < 1) throw new PlanError("BAD_ARGUMENT", `repartition(n) needs a positive integer, got ${n}`);
    return new LazyFrame({ kind: "repartition", input: this.plan, n, by: opts.by === undefined ? null : list(opts.by) });
  }
  /**
   * Adds an int64 column `name` (default "index") numbering the rows in the frame's order from `offset` (default 0),
   * as Polars' with_row_index: the partitions count their rows, then each numbers its own after those before it.
   */
  withRowIndex(name = "index", opts: { offset?: number } = {}): LazyFrame {
    return new LazyFrame({ kind: "rowIndex", input: this.plan, name, offset: opts.offset ?? 0 });
  }
  /**
   * Long to wide: one row per distinct combination of `index`, one column per distinct value of `on` (sorted; named by
   * the value, or `<values column>_<value>` with several values columns) holding `values` aggregated by `agg`
   * (default "first"), null where a combination has no row. `columns` fixes the `on` values (and their order); when
   * absent they are read from the data first, as DuckDB's PIVOT does.
   */
  pivot(opts: PivotOptions): LazyFrame {
    const values = list(opts.values);
    return new LazyFrame({
      kind: "pivot", input: this.plan, index: list(opts.index), on: opts.on, values, agg: opts.agg ?? "first",
      onValues: opts.columns === undefined ? null : [...opts.columns],
    });
  }
  /** Applies `module#export` (installed where the workers run) to each batch; `schema` declares its output. */
  mapBatches(fn: string, opts: { schema: readonly Field[] }): LazyFrame {
    return new LazyFrame({ kind: "mapBatches", input: this.plan, fn, schema: [...opts.schema] });
  }

  collect(opts: ExecOptions = {}): Promise<Table> { return collectPlan(this.plan, opts); }
  sinkParquet(url: string, opts: SinkParquetOptions & ExecOptions = {}): Promise<WriteResult> { return sinkPlan(this.plan, url, "parquet", opts); }
  sinkCsv(url: string, opts: SinkCsvOptions & ExecOptions = {}): Promise<WriteResult> { return sinkPlan(this.plan, url, "csv", opts); }
  /**
   * One CSV or JSON object per group under `url` (file://, s3://, a path, or "none" to render and drop): the groups
   * and keys come from `opts.path` (`"{feature}/regional/{region}.csv"`), objects are rendered and written in the
   * workers, `opts.commit` ("_SUCCESS" unless null) is written last. See SinkObjectsOptions.
   */
  sinkObjects(url: string, opts: SinkObjectsOptions & { lazy: true }): LazySink;
  sinkObjects(url: string, opts: SinkObjectsOptions & ExecOptions & { lazy?: false }): Promise<ObjectsWriteResult>;
  sinkObjects(url: string, opts: SinkObjectsOptions & ExecOptions & { lazy?: boolean }): LazySink | Promise<ObjectsWriteResult> {
    const s = objectsSink(this.plan, url, opts);
    return opts.lazy === true ? s : sinkAll([s], opts).then((r) => r[0] as ObjectsWriteResult);
  }
  /**
   * One map tile per (group, z, x, y) of a frame of bins (as tileBins makes), encoded by a TileEncoder named
   * "package#export" (resolved where the workers run). See SinkTilesOptions; `lazy: true` defers it for sinkAll.
   */
  sinkTiles(url: string, opts: SinkTilesOptions & { lazy: true }): LazySink;
  sinkTiles(url: string, opts: SinkTilesOptions & ExecOptions & { lazy?: false }): Promise<ObjectsWriteResult>;
  sinkTiles(url: string, opts: SinkTilesOptions & ExecOptions & { lazy?: boolean }): LazySink | Promise<ObjectsWriteResult> {
    const s = tilesSink(this.plan, url, opts);
    return opts.lazy === true ? s : sinkAll([s], opts).then((r) => r[0] as ObjectsWriteResult);
  }

  /**
   * Computes the frame and keeps its partitions in the workers' memory; later queries on the returned frame read
   * no files. Free them with `release()` on the returned frame (or by closing the client).
   */
  async persist(opts: ExecOptions = {}): Promise<LazyFrame> {
    const p = await persistPlan(this.plan, opts);
    const source = { format: "persisted" as const, keys: p.keys, fields: p.fields, numRows: p.rows, partitioning: p.partitioning };
    const frame = new LazyFrame({ kind: "scan", source, projection: null, predicate: null, limit: null });
    frame.releaser = async () => { markReleased(p.keys); await p.client.release?.(p.keys); };
    return frame;
  }
  /** Frees the partitions of a frame returned by persist(); a no-op for other frames. */
  async release(): Promise<void> {
    const r = this.releaser;
    this.releaser = null;
    if (r) await r();
  }

  /** The plan, one node per line; optimized by default, showing what was pushed into scans. */
  async explain(opts: { optimized?: boolean } = {}): Promise<string> {
    const p = await preparePlan(this.plan);
    return explainPlan(opts.optimized === false ? p.resolved : p.optimized);
  }
  /** The output schema, as an Arrow Schema. Validates the plan. */
  async schema(): Promise<ArrowSchema> {
    const p = await preparePlan(this.plan);
    return tableFromBatches([], [...p.fields]).schema;
  }
  /** The output fields in Tessera's logical types. */
  async fields(): Promise<Schema> {
    return schemaOf((await preparePlan(this.plan)).resolved);
  }
}

export class GroupBy {
  constructor(private readonly input: PlanNode, private readonly keys: ReturnType<typeof exprOrCol>[], private readonly strategyName: AggStrategy) {}
  /** Forces the aggregation strategy: "tree" (partial, merge tree) or "shuffle" (hash partitioned). */
  strategy(s: AggStrategy): GroupBy { return new GroupBy(this.input, this.keys, s); }
  agg(...aggs: Expr[]): LazyFrame {
    return new LazyFrame({ kind: "aggregate", input: this.input, keys: this.keys, aggs: aggs.map((a) => a.node), strategy: this.strategyName });
  }
  /** The first n rows of each group, in the frame's order. */
  head(n: number): LazyFrame {
    return new LazyFrame({ kind: "groupHead", input: this.input, keys: this.keyNames("head(n)"), n });
  }
  /**
   * The first `k` rows of each group in the order of `by` (ascending unless `descending`; nulls last unless
   * `nullsLast: false`); rows that tie keep the frame's order. Rows come out by group, then in `by` order.
   */
  topK(k: number, opts: { by: string | readonly string[]; descending?: boolean | readonly boolean[]; nullsLast?: boolean | readonly boolean[] }): LazyFrame {
    if (!Number.isInteger(k) || k < 0) throw new PlanError("BAD_ARGUMENT", `topK(k) needs a non-negative integer, got ${k}`);
    const by = list(opts.by);
    return new LazyFrame({
      kind: "topK", input: this.input, keys: this.keyNames("topK(k)"), by, descending: perKey(opts.descending, by.length, false),
      nullsLast: perKey(opts.nullsLast, by.length, true), k,
    });
  }
  private keyNames(what: string): string[] {
    return this.keys.map((k) => {
      if (k.op !== "col") throw new PlanError("BAD_ARGUMENT", `groupBy(...).${what} takes column names as keys`);
      return k.name;
    });
  }
}

/** Concatenates frames with the same columns, in order. */
export function concat(frames: readonly LazyFrame[]): LazyFrame {
  return new LazyFrame({ kind: "union", inputs: frames.map((f) => f.plan) });
}
