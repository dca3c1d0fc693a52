// Statistics reasoning for pruning: can any row of a group with these min/max/null counts pass a predicate?
import type { DType } from "@tessera/common";
import { isFloat } from "@tessera/common";
import type { ExprNode, LitValue } from "@tessera/expr";
import type { ColumnStats } from "../nodes.js";
import { comparableTypes, compareValues } from "./values.js";

/** Statistics of one column in one row group, with the column's type. */
export interface ColumnFacts extends ColumnStats {
  readonly type: DType;
}

/** The facts of a column by name (undefined: nothing known). */
export type FactsLookup = (column: string) => ColumnFacts | undefined;

type Cmp = "eq" | "neq" | "lt" | "lte" | "gt" | "gte";
const FLIP: Record<Cmp, Cmp> = { eq: "eq", neq: "neq", lt: "gt", lte: "gte", gt: "lt", gte: "lte" };

/**
 * False only when the statistics prove that no row of the group can make `pred` true; anything not
 * understood counts as "may pass". Assumes SQL semantics: a comparison with null is null (not true),
 * float comparisons are IEEE (NaN fails every comparison but `neq`; min/max exclude NaN).
 */
export function mayPass(pred: ExprNode, facts: FactsLookup, numRows: number): boolean {
  switch (pred.op) {
    case "lit": return pred.value === true;
    case "col": return compare(facts(pred.name), "eq", true, "bool", numRows);
    case "binary": {
      const { fn, left: l, right: r } = pred;
      if (fn === "and") return mayPass(l, facts, numRows) && mayPass(r, facts, numRows);
      if (fn === "or") return mayPass(l, facts, numRows) || mayPass(r, facts, numRows);
      if (fn !== "eq" && fn !== "neq" && fn !== "lt" && fn !== "lte" && fn !== "gt" && fn !== "gte") return true;
      if (l.op === "col" && r.op === "lit") return compare(facts(l.name), fn, r.value, r.dtype, numRows);
      if (l.op === "lit" && r.op === "col") return compare(facts(r.name), FLIP[fn], l.value, l.dtype, numRows);
      return true;
    }
    case "unary": {
      if (pred.arg.op !== "col" || (pred.fn !== "isNull" && pred.fn !== "isNotNull")) return true;
      const f = facts(pred.arg.name);
      if (!f || f.nullCount === null) return true;
      return pred.fn === "isNull" ? f.nullCount > 0 : f.nullCount < numRows;
    }
    case "isIn": {
      if (pred.arg.op !== "col") return true;
      const f = facts(pred.arg.name);
      if (pred.values.includes(null)) return true; // whether null matches null is the kernel's business
      return pred.values.some((v) => compare(f, "eq", v, valueType(v), numRows));
    }
    default: return true;
  }
}

/** The type an isIn value is taken as (its list carries no dtype): plain numbers, strings, booleans. */
function valueType(v: LitValue): DType {
  switch (typeof v) {
    case "string": return "utf8";
    case "boolean": return "bool";
    default: return "float64";
  }
}

function compare(f: ColumnFacts | undefined, fn: Cmp, v: LitValue, vType: DType, numRows: number): boolean {
  if (v === null) return false;
  if (!f) return true;
  if (f.nullCount !== null && f.nullCount >= numRows) return false;
  if (!comparableTypes(f.type, vType) || f.min === null || f.max === null) return true;
  const lo = compareValues(f.min, v);
  const hi = compareValues(f.max, v);
  if (lo === null || hi === null) return true;
  switch (fn) {
    case "eq": return lo <= 0 && hi >= 0;
    case "neq": return isFloat(f.type) || !(lo === 0 && hi === 0);
    case "lt": return lo < 0;
    case "lte": return lo <= 0;
    case "gt": return hi > 0;
    case "gte": return hi >= 0;
  }
}
