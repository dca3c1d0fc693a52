// Rule push-down-projections: every node asks its inputs only for the columns it uses; scans decode just those.
import type { Schema } from "@tessera/common";
import { assertNever } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { columnsOf, containsAgg, outputName } from "@tessera/expr";
import type { PlanNode } from "../../nodes.js";
import { planInputs, withInputs } from "../../nodes.js";
import { schemaOf } from "../../schema.js";
import { nameSet } from "../columns.js";
import { cheapestField, joinSideColumns, narrowScan } from "../narrow-scan.js";
import type { OptimizerRule } from "../rule.js";

type SchemaFn = (p: PlanNode) => Schema;

/**
 * Top-down: the root needs all its columns; each node derives what its inputs must produce. Unused
 * select, withColumns and aggregate outputs are dropped (a select or aggregate keeps at least one),
 * and drop/rename entries for columns no longer produced below are removed with them.
 */
export const pushDownProjections: OptimizerRule = {
  name: "push-down-projections",
  apply(plan) {
    const memo = new Map<PlanNode, Schema>();
    const schema: SchemaFn = (p) => schemaOf(p, memo);
    const out = prune(plan, nameSet(schema(plan)), schema);
    return out === plan ? null : out;
  },
};

const need = (...parts: Iterable<string>[]): Set<string> => new Set(parts.flatMap((p) => [...p]));
const cols = (es: readonly ExprNode[]): string[] => es.flatMap((e) => columnsOf(e));

/** `n` producing at least the `required` columns, with inputs narrowed; `n` itself when nothing changed. */
function prune(n: PlanNode, required: ReadonlySet<string>, schema: SchemaFn): PlanNode {
  const inputs = (...reqs: ReadonlySet<string>[]): PlanNode => {
    const old = planInputs(n);
    const next = old.map((x, i) => prune(x, reqs[i] ?? reqs[0] ?? new Set(), schema));
    return next.every((x, i) => x === old[i]) ? n : withInputs(n, next);
  };
  const all = (p: PlanNode): Set<string> => nameSet(schema(p));
  switch (n.kind) {
    case "scan": return narrowScan(n, required);
    case "fromRaster": return n;
    case "filter": return inputs(need(required, columnsOf(n.predicate)));
    case "limit": return inputs(required);
    case "sort": return inputs(need(required, n.by));
    case "repartition": return inputs(need(required, n.by ?? []));
    case "groupHead": return inputs(need(required, n.keys));
    case "unique": return inputs(n.subset === null ? all(n.input) : need(required, n.subset));
    case "mapBatches": case "sink": case "sinkObjects": case "cache": return inputs(all(n.input));
    case "rowIndex": return inputs(new Set([...required].filter((c) => c !== n.name)));
    case "topK": return inputs(need(required, n.keys, n.by));
    case "pivot": return inputs(need(n.index, [n.on], n.values));
    case "union": {
      const cheapest = required.size > 0 ? undefined : cheapestField(schema(n));
      const narrowed = inputs(cheapest ? new Set([cheapest.name]) : required);
      // inputs may keep extra columns (a select's anchor): if they disagree, every input keeps all columns
      return narrowed.kind === "union" && !sameNames(narrowed.inputs.map(schema)) ? inputs(all(n)) : narrowed;
    }
    case "join": {
      const [l, r] = joinSideColumns(n, required, schema(n.left), schema(n.right));
      return inputs(l, r);
    }
    case "select": {
      const exprs = selectKept(n.exprs, required);
      const input = prune(n.input, need(cols(exprs)), schema);
      return exprs.length === n.exprs.length && input === n.input ? n : { ...n, exprs, input };
    }
    case "withColumns": {
      const exprs = n.exprs.filter((e) => required.has(outputName(e)));
      // an output that replaces an input column keeps that column's position, so the input still provides it
      const inputNames = all(n.input);
      const made = new Set(exprs.map(outputName).filter((c) => !inputNames.has(c)));
      const input = prune(n.input, need([...required].filter((c) => !made.has(c)), cols(exprs)), schema);
      if (exprs.length === 0) return input;
      return exprs.length === n.exprs.length && input === n.input ? n : { ...n, exprs, input };
    }
    case "aggregate": {
      const used = n.aggs.filter((e) => required.has(outputName(e)));
      const aggs = used.length > 0 ? used : n.aggs.slice(0, 1);
      const input = prune(n.input, need(cols(n.keys), cols(aggs)), schema);
      return aggs.length === n.aggs.length && input === n.input ? n : { ...n, aggs, input };
    }
    case "rename": {
      const back = new Map(Object.entries(n.mapping).map(([from, to]) => [to, from] as const));
      const input = prune(n.input, new Set([...required].map((c) => back.get(c) ?? c)), schema);
      if (input === n.input) return n;
      const present = all(input);
      const mapping = Object.fromEntries(Object.entries(n.mapping).filter(([from]) => present.has(from)));
      return Object.keys(mapping).length === 0 ? input : { ...n, input, mapping };
    }
    case "drop": {
      const input = prune(n.input, required, schema);
      if (input === n.input) return n;
      const present = all(input);
      const names = n.names.filter((c) => present.has(c));
      return names.length === 0 ? input : { ...n, input, names };
    }
    default: return assertNever(n, "plan node");
  }
}

function sameNames(schemas: readonly Schema[]): boolean {
  const key = (s: Schema): string => s.map((f) => f.name).join("\u0000");
  return schemas.every((s) => key(s) === key(schemas[0] ?? []));
}

/**
 * The select outputs to keep: the required ones, plus, for a row-wise select left with only literals,
 * its first column-reading output (so the row count still comes from the input). Never none.
 */
function selectKept(exprs: readonly ExprNode[], required: ReadonlySet<string>): readonly ExprNode[] {
  const used = exprs.filter((e) => required.has(outputName(e)));
  if (exprs.some(containsAgg)) return used.length > 0 ? used : exprs.slice(0, 1);
  const anchor = exprs.find((e) => columnsOf(e).length > 0);
  if (anchor === undefined) return exprs;
  const anchored = used.some((e) => columnsOf(e).length > 0);
  return exprs.filter((e) => used.includes(e) || (!anchored && e === anchor));
}
