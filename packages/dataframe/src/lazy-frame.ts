// LazyFrame: the user's query as an immutable logical plan; methods only build nodes, terminals run them.
import type { Field, Schema } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { Expr } from "@tessera/expr";
import { containsAgg, exprOrCol } from "@tessera/expr";
import type { AggStrategy, JoinHow, PlanNode } from "@tessera/plan";
import { explainPlan, schemaOf } from "@tessera/plan";
import type { Schema as ArrowSchema, Table } from "apache-arrow";
import { tableFromBatches } from "@tessera/kernels";
import type { ExecOptions } from "./execute.js";
import { collectPlan, markReleased, persistPlan, preparePlan } from "./execute.js";
import type { SinkCsvOptions, SinkParquetOptions, WriteResult } from "./sink.js";
import { sinkPlan } from "./sink.js";

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
  /** Applies `module#export` (installed where the workers run) to each batch; `schema` declares its output. */
  mapBatches(fn: string, opts: { schema: readonly Field[] }): LazyFrame {
    return new LazyFrame({ kind: "mapBatches", input: this.plan, fn, schema: [...opts.schema] });
  }

  collect(opts: ExecOptions = {}): Promise<Table> { return collectPlan(this.plan, opts); }
  sinkParquet(url: string, opts: SinkParquetOptions & ExecOptions = {}): Promise<WriteResult> { return sinkPlan(this.plan, url, "parquet", opts); }
  sinkCsv(url: string, opts: SinkCsvOptions & ExecOptions = {}): Promise<WriteResult> { return sinkPlan(this.plan, url, "csv", opts); }

  /**
   * Computes the frame and keeps its partitions in the workers' memory; later queries on the returned frame read
   * no files. Free them with `release()` on the returned frame (or by closing the client).
   */
  async persist(opts: ExecOptions = {}): Promise<LazyFrame> {
    const p = await persistPlan(this.plan, opts);
    const frame = new LazyFrame({ kind: "scan", source: { format: "persisted", keys: p.keys, fields: p.fields, numRows: p.rows }, projection: null, predicate: null, limit: null });
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
    const names = this.keys.map((k) => {
      if (k.op !== "col") throw new PlanError("BAD_ARGUMENT", "groupBy(...).head(n) takes column names as keys");
      return k.name;
    });
    return new LazyFrame({ kind: "groupHead", input: this.input, keys: names, n });
  }
}

/** Concatenates frames with the same columns, in order. */
export function concat(frames: readonly LazyFrame[]): LazyFrame {
  return new LazyFrame({ kind: "union", inputs: frames.map((f) => f.plan) });
}
