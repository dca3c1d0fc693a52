// Physical planning: walks an optimized logical plan and emits the partitioned task graph.
import type { Schema } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type { TaskGraph } from "@tessera/graph";
import type { PlanNode, RasterNode, RasterSinkNode } from "../nodes.js";
import { schemaOf } from "../schema.js";
import { optimize } from "../optimizer/index.js";
import type { RasterInfo } from "../raster/raster-info.js";
import { rasterInfo } from "../raster/raster-info.js";
import type { RasterLowering } from "./raster/raster-stage.js";
import { lowerFromRaster } from "./raster/lower-raster-views.js";
import { lowerRasterCollect, lowerRasterSink } from "./raster/lower-raster-sinks.js";
import { DEFAULT_FAN_IN, lowerAggregate } from "./aggregate/index.js";
import type { Partitioning, Stage } from "./builder.js";
import { GraphBuilder, concatOf, groupedBy, mapStage, partitioningOf, samePartitioning } from "./builder.js";
import { DEFAULT_BROADCAST_ROWS, lowerJoin } from "./join.js";
import { lowerScan } from "./scan.js";
import { lowerObjectSink, lowerSink } from "./sink.js";
import { lowerRowIndex } from "./row-index.js";
import { lowerPivot, pivotCells } from "./pivot.js";
import { groupsBound, groupsEstimate, keyEstimates } from "./estimate.js";
import { withAggregationPartitions } from "./aggregate/input-partitions.js";
import { lowerSort, lowerSortedHead } from "./sort.js";
import { TOP_N_MAX } from "@tessera/kernels";
import type { Step } from "@tessera/ops";

export interface LowerOptions {
  /** Fan-in of aggregation merge trees. */
  readonly fanIn?: number;
  /**
   * Prepare the outputs for many readers (results kept by persist()): repeating text dictionary-encoded, and
   * dictionaries holding each value once (Parquet reads and concatenation append dictionaries; deduplicating them
   * once here spares every later query hashing the repeats). Pool threads return large results in shared memory, so
   * later tasks on the same worker read them without a copy.
   */
  readonly forKeeping?: boolean;
  /** Right sides estimated at or below this many rows are broadcast. */
  readonly broadcastRows?: number;
}

export interface PhysicalPlan {
  readonly graph: TaskGraph;
  /** Output partitions, in order: concatenated they are the result. */
  readonly outputs: readonly string[];
  readonly fields: Schema;
  /** How rows are spread over the outputs, when known (a persisted result keeps it for later plans). */
  readonly partitioning: Partitioning | null;
}

const cols = (fields: Schema): ExprNode[] => fields.map((f) => ({ op: "col", name: f.name }));

/** Collapses a multi-partition stage into one partition by applying `step` per part, concatenating, and applying it again. */
function reduceToOne(g: GraphBuilder, s: Stage, step: Step, label: string): Stage {
  if (s.parts.length === 1) return mapStage(s, step, s.fields, label);
  const keys = g.materializeAll(mapStage(s, step, s.fields, label));
  return { parts: [concatOf(keys, s.fields, [step], label)], fields: s.fields, rows: s.rows };
}

class Lowerer {
  readonly g = new GraphBuilder();
  private readonly memo = new Map<PlanNode, Schema>();
  private readonly rasterMemo = new WeakMap<RasterNode, RasterInfo>();
  /** What raster lowering asks of this lowerer: shapes, and frames (optimized, then lowered here) as task keys. */
  readonly raster: RasterLowering;

  constructor(private readonly opts: Required<Omit<LowerOptions, "forKeeping">>) {
    this.raster = {
      g: this.g,
      fanIn: opts.fanIn,
      info: (n) => rasterInfo(n, (p) => schemaOf(p, this.memo), this.rasterMemo),
      frameStage: (p) => this.lower(optimize(p).plan),
      schema: (p) => schemaOf(p, this.memo),
    };
  }

  lower(p: PlanNode): Stage {
    const fields = schemaOf(p, this.memo);
    switch (p.kind) {
      case "scan": return lowerScan(p);
      case "select": return mapStage(this.lower(p.input), { t: "project", exprs: p.exprs }, fields, "select");
      case "withColumns": return mapStage(this.lower(p.input), { t: "withColumns", exprs: p.exprs }, fields, "with-columns");
      case "filter": { const s = this.lower(p.input); return mapStage(s, { t: "filter", predicate: p.predicate }, fields, "filter", s.rows / 2); }
      case "rename": return mapStage(this.lower(p.input), {
        t: "project", exprs: schemaOf(p.input, this.memo).map((f) => {
          const to = p.mapping[f.name];
          return to === undefined ? { op: "col", name: f.name } : { op: "alias", arg: { op: "col", name: f.name }, name: to };
        }),
      }, fields, "rename");
      case "drop": return mapStage(this.lower(p.input), { t: "project", exprs: cols(fields) }, fields, "drop");
      case "mapBatches": return mapStage(this.lower(p.input), { t: "mapBatches", fn: p.fn, schema: p.schema }, fields, "map-batches");
      case "aggregate": {
        const estimate = groupsEstimate(p.input, p.keys);
        return lowerAggregate(this.g, this.lower(withAggregationPartitions(p.input, estimate)), p.keys, p.aggs, fields,
          { strategy: p.strategy, fanIn: this.opts.fanIn, groupsBound: groupsBound(p.input, p.keys), groupsEstimate: estimate, keyEstimates: keyEstimates(p.input, p.keys) });
      }
      case "join": return lowerJoin(this.g, this.lower(p.left), this.lower(p.right),
        { leftOn: p.leftOn, rightOn: p.rightOn, how: p.how, suffix: p.suffix }, fields, { broadcastRows: this.opts.broadcastRows });
      case "sort": return lowerSort(this.g, this.lower(p.input), { by: p.by, descending: p.descending, nullsLast: p.nullsLast });
      case "limit": {
        const s = this.lower(p.input);
        if (s.parts.length === 1) return mapStage(s, { t: "limit", n: p.n, offset: p.offset }, fields, "limit", p.n);
        const keys = this.g.materializeAll(mapStage(s, { t: "limit", n: p.n + p.offset, offset: 0 }, fields, "limit"));
        return { parts: [concatOf(keys, fields, [{ t: "limit", n: p.n, offset: p.offset }], "limit")], fields, rows: p.n };
      }
      case "unique": return reduceToOne(this.g, this.lower(p.input), { t: "unique", subset: p.subset, keep: p.keep }, "unique");
      case "groupHead":
        if (p.input.kind === "sort" && p.n <= TOP_N_MAX) {
          const sort = p.input;
          return lowerSortedHead(this.g, this.lower(sort.input), { by: sort.by, descending: sort.descending, nullsLast: sort.nullsLast }, p.keys, p.n, this.opts.fanIn);
        }
        return reduceToOne(this.g, this.lower(p.input), { t: "groupHead", keys: p.keys, n: p.n }, "group-head");
      case "repartition": {
        const s = this.lower(p.input);
        const split: Step = p.by ? { t: "hashSplit", keys: p.by, n: p.n } : { t: "evenSplit", n: p.n };
        const source = p.by ? s : { parts: [concatOf(this.g.materializeAll(s), fields, [], "repartition")], fields, rows: s.rows };
        const keys = this.g.materializeAll(mapStage(source, split, fields, "repartition-split"));
        const parts = [];
        for (let j = 0; j < p.n; j++) parts.push(concatOf(keys.map((k) => this.g.pick(k, j)), fields, [], "repartition"));
        return { parts, fields, rows: s.rows, partitioning: p.by ? { by: p.by, buckets: p.n } : null };
      }
      case "union": return this.union(p.inputs.map((x) => this.lower(x)), fields);
      case "sink": return lowerSink(this.g, this.lower(p.input), p);
      case "fromRaster": return lowerFromRaster(p, fields, this.raster);
      case "sinkObjects": return lowerObjectSink(this.g, this.lower(p.input), p);
      case "cache": {
        // Materialized, so every consumer depends on the same tasks (a pending part would be fused into each).
        const s = this.lower(p.input);
        return { ...s, parts: this.g.materializeAll(s).map((key) => ({ key })) };
      }
      case "rowIndex": return lowerRowIndex(this.g, this.lower(p.input), p.name, p.offset, fields);
      case "topK": return this.topK(this.lower(p.input), p.keys, p.by, p.descending, p.nullsLast, p.k, fields);
      case "pivot": return lowerPivot(this.g, this.lower(pivotCells(p)), p, fields);
      default: return assertNever(p, "plan node");
    }
  }

  /**
   * Inputs that share one partitioning are joined part by part (part j of the union holds bucket j of every input), so
   * the union keeps it; otherwise their parts are listed one after the other.
   */
  private union(stages: readonly Stage[], fields: Schema): Stage {
    const rows = stages.reduce((a, s) => a + s.rows, 0);
    const first = stages[0] === undefined ? null : partitioningOf(stages[0]);
    const zipped = stages.length > 1 && first !== null && first.buckets > 1 && stages.every((s) => s.parts.length === first.buckets && samePartitioning(partitioningOf(s), first));
    if (!zipped) return { parts: stages.flatMap((s) => s.parts), fields, rows };
    const keys = stages.map((s) => this.g.materializeAll(s));
    const parts = Array.from({ length: first.buckets }, (_, j) => concatOf(keys.map((k) => k[j] as string), fields, [], "union"));
    return { parts, fields, rows, partitioning: first };
  }

  /** The first k rows per group in `by` order: each part keeps its own top k, then (unless parts hold whole groups) one task merges them. */
  private topK(s: Stage, keys: readonly string[], by: readonly string[], descending: readonly boolean[], nullsLast: readonly boolean[], k: number, fields: Schema): Stage {
    const spec = { by: [...keys, ...by], descending: [...keys.map(() => false), ...descending], nullsLast: [...keys.map(() => true), ...nullsLast] };
    const steps: Step[] = [{ t: "sort", spec }, { t: "groupHead", keys, n: k }];
    const local = steps.reduce((st, step) => mapStage(st, step, fields, "top-k"), s);
    if (groupedBy(s, keys)) return local;
    const parts = this.g.materializeAll(local);
    return { parts: [concatOf(parts, fields, steps, "top-k")], fields, rows: Math.min(s.rows, k * 1000) };
  }
}

/** Lowers an optimized, resolved plan to a task graph whose outputs, concatenated in order, are the result. */
export function lowerPlan(plan: PlanNode, opts: LowerOptions = {}): PhysicalPlan {
  const l = new Lowerer({ fanIn: opts.fanIn ?? DEFAULT_FAN_IN, broadcastRows: opts.broadcastRows ?? DEFAULT_BROADCAST_ROWS });
  const lowered = l.lower(plan);
  const text = lowered.fields.some((f) => f.type === "utf8");
  const stage = opts.forKeeping !== true ? lowered
    : text ? mapStage(lowered, { t: "dictEncode" }, lowered.fields, "keep") : lowered;
  const outputs = l.g.materializeAll(stage);
  return { graph: l.g.build(outputs), outputs, fields: stage.fields, partitioning: partitioningOf(stage) };
}

/**
 * Lowers several optimized plans into one task graph (a job with several results). Tasks are keyed by their
 * structure, so work the plans share (the same scan, the same aggregation) becomes one task; each plan keeps its
 * own outputs.
 */
export function lowerPlans(plans: readonly PlanNode[], opts: LowerOptions = {}): { graph: TaskGraph; plans: Omit<PhysicalPlan, "graph">[] } {
  const l = new Lowerer({ fanIn: opts.fanIn ?? DEFAULT_FAN_IN, broadcastRows: opts.broadcastRows ?? DEFAULT_BROADCAST_ROWS });
  const out = plans.map((p) => {
    const stage = l.lower(p);
    return { outputs: l.g.materializeAll(stage), fields: stage.fields, partitioning: partitioningOf(stage) };
  });
  return { graph: l.g.build(out.flatMap((p) => p.outputs)), plans: out };
}

/** A lowered raster job: the graph, its outputs in order, and the raster's shape (grid, bands, times). */
export interface PhysicalRasterPlan {
  readonly graph: TaskGraph;
  readonly outputs: readonly string[];
  readonly info: RasterInfo;
}

/**
 * Lowers a resolved, optimized raster job: a raster to collect (outputs: every chunk, time-major) or a raster sink
 * (one output: the COG written, or the tile pyramid's manifest).
 */
export function lowerRasterJob(plan: RasterNode | RasterSinkNode, opts: LowerOptions = {}): PhysicalRasterPlan {
  const l = new Lowerer({ fanIn: opts.fanIn ?? DEFAULT_FAN_IN, broadcastRows: opts.broadcastRows ?? DEFAULT_BROADCAST_ROWS });
  const job = plan.kind === "rasterSink" ? lowerRasterSink(plan, l.raster) : lowerRasterCollect(plan, l.raster);
  return { graph: l.g.build(job.outputs), outputs: job.outputs, info: job.stage.info };
}
