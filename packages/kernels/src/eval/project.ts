// Row-wise operators over expressions: projection, predicates as masks, filtering.
import type { Field } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { fieldOf } from "@tessera/expr";
import type { Batch, Column } from "../column.js";
import { filterBatch } from "../batch-ops.js";
import { evalExpr } from "./eval-expr.js";

/** 1 where the boolean expression is true; false and null give 0. */
export function evalPredicate(e: ExprNode, b: Batch): Uint8Array {
  const c = evalExpr(e, b);
  const n = b.length;
  if (c.kind !== "num" || c.type === "null") return new Uint8Array(n);
  const v = c.values as Uint8Array;
  const valid = c.valid;
  if (valid === null) return v.slice();
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i] !== 0 && valid[i] !== 0 ? 1 : 0;
  return out;
}

/** One output column per expression: named by outputName, typed by typeOf (fieldOf over the batch's fields). */
export function projectBatch(b: Batch, exprs: readonly ExprNode[]): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const e of exprs) {
    const col = evalExpr(e, b);
    const f = fieldOf(e, b.fields);
    fields.push(col.valid !== null && !f.nullable ? { ...f, nullable: true } : f);
    columns.push(col);
  }
  return { fields, columns, length: b.length };
}

/** The rows where the predicate is true. */
export function filterByPredicate(b: Batch, pred: ExprNode): Batch {
  return filterBatch(b, evalPredicate(pred, b));
}
