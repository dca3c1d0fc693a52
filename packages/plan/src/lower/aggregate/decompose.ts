// Splits groupBy().agg() into what is evaluated per row (keys, arguments), what kernels aggregate, and the final projection.
import type { Field, Schema } from "@tessera/common";
import { aggOutputField, aggStateFields, fieldOf, outputName, transform, typeOf } from "@tessera/expr";
import type { AggCall, AggSpec, ExprNode } from "@tessera/expr";

export interface AggDecomposition {
  /** Evaluated per input row: key columns and aggregate arguments. */
  readonly pre: readonly ExprNode[];
  /** Keys and aggregates as the kernels see them (each call with its output type). */
  readonly spec: AggSpec;
  /** Evaluated on the finalized aggregates: the user's output columns. */
  readonly post: readonly ExprNode[];
}

const colNode = (name: string): ExprNode => ({ op: "col", name });
const aliasNode = (arg: ExprNode, name: string): ExprNode => (arg.op === "col" && arg.name === name ? arg : { op: "alias", arg, name });

/** Splits key and aggregate expressions over `input` into what kernels compute and what is evaluated around them. */
export function decomposeAggregate(keys: readonly ExprNode[], aggs: readonly ExprNode[], input: Schema): AggDecomposition {
  const keyNames = keys.map(outputName);
  const pre: ExprNode[] = keys.map((k, i) => aliasNode(k, keyNames[i] as string));
  const preNames = new Set(keyNames);
  const items: AggCall[] = [];
  const argName = (a: ExprNode): string => {
    if (a.op === "col") {
      if (!preNames.has(a.name)) { pre.push(a); preNames.add(a.name); }
      return a.name;
    }
    const name = `__arg${pre.length}`;
    pre.push(aliasNode(a, name));
    preNames.add(name);
    return name;
  };
  const post: ExprNode[] = keyNames.map(colNode);
  for (const a of aggs) {
    const rewritten = transform(a, (n) => {
      if (n.op !== "agg") return n;
      const name = `__agg${items.length}`;
      const out = typeOf(n, input);
      const inputs = n.args.map(argName);
      items.push(n.q === undefined ? { fn: n.fn, inputs, name, out } : { fn: n.fn, inputs, q: n.q, name, out });
      return colNode(name);
    });
    post.push(aliasNode(rewritten, outputName(a)));
  }
  return { pre, spec: { keys: keyNames, aggs: items }, post };
}

/** The schemas around the kernels: rows going in, partial states, finalized aggregates. */
export interface AggSchemas {
  /** Key columns and aggregate arguments (the pre-projection's output). */
  readonly pre: Schema;
  /** Key columns, then each aggregate's partial state (aggStateFields). */
  readonly state: Schema;
  /** Key columns, then one column per aggregate: the input of the final projection. */
  readonly final: Schema;
}

export function aggSchemas(d: AggDecomposition, input: Schema): AggSchemas {
  const pre = d.pre.map((e) => fieldOf(e, input));
  const keys = d.spec.keys.map((k) => pre.find((f) => f.name === k) as Field);
  const state = aggStateFields(d.spec).map(({ name, type, nullable }): Field => ({ name, type, nullable }));
  return { pre, state: [...keys, ...state], final: [...keys, ...d.spec.aggs.map(aggOutputField)] };
}
