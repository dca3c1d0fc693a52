// Where a filter conjunct may go below each kind of plan node, rewritten in the names of that node's inputs.
import type { Schema } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { columnsOf, containsAgg, outputName } from "@tessera/expr";
import type { PlanNode } from "../nodes.js";
import { nameSet, passThroughColumn, renameColumns, rightOutputNames } from "./columns.js";

/** Per input of a node (planInputs order), the conjunct to apply there or null; null overall: it stays above. */
export type Route = (ExprNode | null)[] | null;

type Join = Extract<PlanNode, { kind: "join" }>;

const lookup = (m: ReadonlyMap<string, string>) => (name: string): string | null => m.get(name) ?? null;

/**
 * Routes one conjunct through `n` (not a scan or filter: the rule handles those). Conjuncts reading no
 * column stay put: below a global aggregate or an outer join's preserved side they would change the result.
 */
export function routeConjunct(n: PlanNode, pred: ExprNode, schema: (p: PlanNode) => Schema): Route {
  const cols = columnsOf(pred);
  if (cols.length === 0) return null;
  const only = (names: readonly string[]): boolean => cols.every((c) => names.includes(c));
  switch (n.kind) {
    case "scan": case "filter": case "limit": case "mapBatches": case "sink": case "sinkObjects": case "rowIndex": case "cache": case "fromRaster":
      // limit: a filter below it would change which rows are counted; rowIndex: the indices; mapBatches, fromRaster: opaque;
      // sinks: the root; cache: a shared subplan stays the same for every plan that reads it.
      return null;
    case "sort": case "repartition": case "drop":
      return [pred];
    case "unique":
      return n.subset === null || only(n.subset) ? [pred] : null;
    case "groupHead": case "topK":
      return only(n.keys) ? [pred] : null;
    case "pivot":
      return only(n.index) ? [pred] : null;
    case "select":
      return one(renameColumns(pred, lookup(passThroughMap(n.exprs))));
    case "aggregate":
      return one(renameColumns(pred, lookup(passThroughMap(n.keys))));
    case "withColumns": {
      const computed = new Map(n.exprs.map((e) => [outputName(e), e] as const));
      return one(renameColumns(pred, (c) => {
        const e = computed.get(c);
        return e === undefined ? c : passThroughColumn(e);
      }));
    }
    case "rename": {
      const back = new Map(Object.entries(n.mapping).map(([from, to]) => [to, from] as const));
      return one(renameColumns(pred, (c) => back.get(c) ?? c));
    }
    case "union": {
      const schemas = n.inputs.map(schema);
      const sameTypes = cols.every((c) => new Set(schemas.map((s) => s.find((f) => f.name === c)?.type)).size === 1);
      return sameTypes ? n.inputs.map(() => pred) : null;
    }
    case "join":
      return joinRoute(n, pred, cols, schema);
    default:
      return assertNever(n, "plan node");
  }
}

function one(e: ExprNode | null): Route {
  return e === null ? null : [e];
}

/** Output name to input column, for expressions that only pass a column through (aggregates never do). */
function passThroughMap(exprs: readonly ExprNode[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const e of exprs) {
    const c = containsAgg(e) ? null : passThroughColumn(e);
    if (c !== null) m.set(outputName(e), c);
  }
  return m;
}

/**
 * Left-only conjuncts go left for inner, left, semi and anti joins (left rows are preserved or only
 * removed); right-only conjuncts go right for inner and right joins, in right-input names (suffix
 * undone; key columns excluded for right joins since their output is the coalesced key). An inner
 * join's conjunct on left keys is also copied to the right keys when the key types are equal.
 * Full joins take nothing.
 */
function joinRoute(j: Join, pred: ExprNode, cols: readonly string[], schema: (p: PlanNode) => Schema): Route {
  const left = schema(j.left);
  const right = schema(j.right);
  const leftNames = nameSet(left);
  const rightOut = j.how === "semi" || j.how === "anti" ? new Map<string, string>() : rightOutputNames(left, right, j.rightOn, j.suffix);
  const onLeft = cols.every((c) => leftNames.has(c));
  const toRight = (): ExprNode | null => renameColumns(pred, lookup(rightOut));
  switch (j.how) {
    case "inner": return onLeft ? [pred, keyCopy(j, pred, left, right)] : routeRight(toRight());
    case "left": case "semi": case "anti": return onLeft ? [pred, null] : null;
    case "right": return routeRight(toRight());
    case "full": return null;
    default: return assertNever(j.how, "join kind");
  }
}

function routeRight(e: ExprNode | null): Route {
  return e === null ? null : [null, e];
}

function keyCopy(j: Join, pred: ExprNode, left: Schema, right: Schema): ExprNode | null {
  const m = new Map<string, string>();
  j.leftOn.forEach((l, i) => {
    const r = j.rightOn[i];
    const lt = left.find((f) => f.name === l)?.type;
    if (r !== undefined && !m.has(l) && lt !== undefined && lt === right.find((f) => f.name === r)?.type) m.set(l, r);
  });
  return renameColumns(pred, lookup(m));
}
