// Lowers pivot: aggregate by (index, on), bring each index value's rows into one part, spread them into columns.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type { PivotNode, PlanNode } from "../nodes.js";
import { pivotColumnName } from "../schema.js";
import type { GraphBuilder, Stage } from "./builder.js";
import { concatOf, groupedBy, mapStage } from "./builder.js";

const col = (name: string): ExprNode => ({ op: "col", name });

/** The aggregation a pivot starts with: keys the index columns and `on`, one `agg` per value column keeping its name. */
export function pivotCells(p: PivotNode): PlanNode {
  const aggs: ExprNode[] = p.values.map((v) => ({ op: "alias", arg: { op: "agg", fn: p.agg, args: [col(v)] }, name: v }));
  return { kind: "aggregate", input: p.input, keys: [...p.index, p.on].map(col), aggs, strategy: "auto" };
}

/**
 * Over the cells (pivotCells, lowered): when their parts are not already partitioned by the index, they are
 * hash-split by it (as many buckets as parts), so every output row is built in one part; the pivot step then
 * spreads each part's rows into columns.
 */
export function lowerPivot(g: GraphBuilder, cells: Stage, p: PivotNode, fields: Schema): Stage {
  const onValues = p.onValues ?? [];
  const many = p.values.length > 1;
  const names = p.values.flatMap((v) => onValues.map((o) => pivotColumnName(v, o, many)));
  const step = { t: "pivot" as const, index: p.index, on: p.on, values: p.values, onValues, names };
  if (groupedBy(cells, p.index)) return mapStage(cells, step, fields, "pivot");
  const n = cells.parts.length;
  const splits = g.materializeAll(mapStage(cells, { t: "hashSplit", keys: p.index, n }, cells.fields, "pivot-split"));
  const parts = [];
  for (let j = 0; j < n; j++) parts.push(concatOf(splits.map((k) => g.pick(k, j)), cells.fields, [step], "pivot"));
  return { parts, fields, rows: cells.rows, partitioning: { by: p.index, buckets: n } };
}
