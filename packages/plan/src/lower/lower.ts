// Physical planning: walks an optimized logical plan and emits the partitioned task graph.
import type { Schema } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type { TaskGraph } from "@tessera/graph";
import type { PlanNode } from "../nodes.js";
import { schemaOf } from "../schema.js";
import { DEFAULT_FAN_IN, lowerAggregate } from "./aggregate/index.js";
import type { Stage } from "./builder.js";
import { GraphBuilder, concatOf, mapStage } from "./builder.js";
import { DEFAULT_BROADCAST_ROWS, lowerJoin } from "./join.js";
import { lowerScan } from "./scan.js";
import { lowerSink } from "./sink.js";
import { groupsBound } from "./estimate.js";
import { lowerSort, lowerSortedHead } from "./sort.js";
import { TOP_N_MAX } from "@tessera/kernels";
import type { Step } from "@tessera/ops";

export interface LowerOptions {
  /** Fan-in of aggregation merge trees. */
  readonly fanIn?: number;
  /** Right sides estimated at or below this many rows are broadcast. */
  readonly broadcastRows?: number;
}

export interface PhysicalPlan {
  readonly graph: TaskGraph;
  /** Output partitions, in order: concatenated they are the result. */
  readonly outputs: readonly string[];
  readonly fields: Schema;
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
  constructor(private readonly opts: Required<LowerOptions>) {}

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
      case "aggregate": return lowerAggregate(this.g, this.lower(p.input), p.keys, p.aggs, fields,
        { strategy: p.strategy, fanIn: this.opts.fanIn, groupsBound: groupsBound(p.input, p.keys) });
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
        return { parts, fields, rows: s.rows };
      }
      case "union": {
        const stages = p.inputs.map((x) => this.lower(x));
        return { parts: stages.flatMap((s) => s.parts), fields, rows: stages.reduce((a, s) => a + s.rows, 0) };
      }
      case "sink": return lowerSink(this.g, this.lower(p.input), p);
      default: return assertNever(p, "plan node");
    }
  }
}

/** Lowers an optimized, resolved plan to a task graph whose outputs, concatenated in order, are the result. */
export function lowerPlan(plan: PlanNode, opts: LowerOptions = {}): PhysicalPlan {
  const l = new Lowerer({ fanIn: opts.fanIn ?? DEFAULT_FAN_IN, broadcastRows: opts.broadcastRows ?? DEFAULT_BROADCAST_ROWS });
  const stage = l.lower(plan);
  const outputs = l.g.materializeAll(stage);
  return { graph: l.g.build(outputs), outputs, fields: stage.fields };
}
