// Expression simplification: constant folding over literals and boolean identities, "changed or nothing".
import type { DType } from "@tessera/common";
import { isNumeric } from "@tessera/common";
import type { ExprNode, LitValue } from "@tessera/expr";
import { typeOf } from "@tessera/expr";
import { rewriteExpr } from "./rewrite.js";
import { comparableTypes, compareValues, fitsType } from "./values.js";

type Binary = Extract<ExprNode, { op: "binary" }>;
type Unary = Extract<ExprNode, { op: "unary" }>;

/** A literal node. */
export function litOf(value: LitValue, dtype: DType): ExprNode {
  return { op: "lit", value, dtype };
}

/** True for a literal that filters keep nothing for (false or null). */
export function isFalsy(e: ExprNode): boolean {
  return e.op === "lit" && (e.value === false || e.value === null);
}

/** True for the literal `false` (not null: `x AND null` is not `false`). */
function isFalseLit(e: ExprNode): boolean {
  return e.op === "lit" && e.value === false;
}

/** True for the literal `true`. */
export function isTrue(e: ExprNode): boolean {
  return e.op === "lit" && e.value === true;
}

/**
 * Folds what is certain and leaves the rest: comparisons and arithmetic over literals (nulls propagate;
 * no fold that could overflow, divide by zero, or depend on string collation), Kleene AND/OR identities,
 * double negation. Returns null when nothing changed. The result may have a different output name
 * (callers re-alias) and, for `x AND true`, x's type.
 */
export function simplifyExpr(e: ExprNode): ExprNode | null {
  return rewriteExpr(e, (n) => (n.op === "binary" ? foldBinary(n) : n.op === "unary" ? foldUnary(n) : null));
}

function typeOrNull(e: ExprNode): DType | null {
  try {
    return typeOf(e, []);
  } catch {
    return null; // ill-typed literals: left for schemaOf to report with the user's names
  }
}

function foldBinary(e: Binary): ExprNode | null {
  const { left: l, right: r } = e;
  if (e.fn === "and") {
    if (isFalseLit(l) || isFalseLit(r)) return litOf(false, "bool");
    if (isTrue(l)) return r;
    if (isTrue(r)) return l;
  }
  if (e.fn === "or") {
    if (isTrue(l) || isTrue(r)) return litOf(true, "bool");
    if (isFalseLit(l)) return r;
    if (isFalseLit(r)) return l;
  }
  if (l.op !== "lit" || r.op !== "lit") return null;
  const type = typeOrNull(e);
  if (type === null) return null;
  if (l.value === null || r.value === null) return e.fn === "and" || e.fn === "or" ? litOf(null, "bool") : litOf(null, type);
  switch (e.fn) {
    case "eq": case "neq": case "lt": case "lte": case "gt": case "gte": {
      if (!comparableTypes(l.dtype, r.dtype)) return null;
      const c = compareValues(l.value, r.value);
      return c === null ? null : litOf(compareResult(e.fn, c), "bool");
    }
    case "add": case "sub": case "mul": case "div": case "mod": case "pow":
      return foldArithmetic(e.fn, l.value, r.value, l.dtype, r.dtype, type);
    case "and": case "or": case "bitAnd": case "shiftRight":
      return null;
  }
}

function compareResult(fn: "eq" | "neq" | "lt" | "lte" | "gt" | "gte", c: -1 | 0 | 1): boolean {
  switch (fn) {
    case "eq": return c === 0;
    case "neq": return c !== 0;
    case "lt": return c < 0;
    case "lte": return c <= 0;
    case "gt": return c > 0;
    case "gte": return c >= 0;
  }
}

function foldArithmetic(fn: "add" | "sub" | "mul" | "div" | "mod" | "pow", a: LitValue, b: LitValue, ta: DType, tb: DType, out: DType): ExprNode | null {
  if (typeof a !== "number" || typeof b !== "number" || !isNumeric(ta) || !isNumeric(tb)) return null;
  let v: number;
  switch (fn) {
    case "add": v = a + b; break;
    case "sub": v = a - b; break;
    case "mul": v = a * b; break;
    case "div": if (b === 0) return null; v = a / b; break;
    case "mod": if (a < 0 || b <= 0) return null; v = a % b; break; // sign conventions differ between engines
    case "pow": v = a ** b; break;
  }
  return fitsType(v, out) ? litOf(v, out) : null;
}

function foldUnary(e: Unary): ExprNode | null {
  const a = e.arg;
  if (e.fn === "not" && a.op === "unary" && a.fn === "not") return a.arg;
  if (a.op !== "lit") return null;
  switch (e.fn) {
    case "isNull": return litOf(a.value === null, "bool");
    case "isNotNull": return litOf(a.value !== null, "bool");
    case "not":
      if (a.value === null) return litOf(null, "bool");
      return typeof a.value === "boolean" ? litOf(!a.value, "bool") : null;
    case "neg": case "abs": {
      if (a.value === null) return litOf(null, a.dtype);
      if (typeof a.value !== "number" || !isNumeric(a.dtype)) return null;
      const v = e.fn === "neg" ? 0 - a.value : Math.abs(a.value);
      return fitsType(v, a.dtype) ? litOf(v, a.dtype) : null;
    }
    default: return null;
  }
}
