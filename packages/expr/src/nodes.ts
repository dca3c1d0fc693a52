// Expression nodes: immutable plain data (never closures), so plans can be hashed, sent and replayed.
import type { DType } from "@tessera/common";
import { checkChoice } from "@tessera/common";

/** A literal value. Dates and timestamps are numbers with an explicit dtype (days / units since epoch). */
export type LitValue = number | string | boolean | bigint | null;

export type BinaryFn =
  | "add" | "sub" | "mul" | "div" | "mod" | "pow"
  | "eq" | "neq" | "lt" | "lte" | "gt" | "gte"
  | "and" | "or"
  | "bitAnd" | "shiftRight";

export type UnaryFn =
  | "neg" | "abs" | "not" | "isNull" | "isNotNull"
  | "sqrt" | "exp" | "log" | "floor" | "ceil" | "round" | "sin" | "cos" | "tan" | "atan" | "asinh"
  | "year" | "month" | "day"
  | "lower" | "upper" | "lengths";

export type AggFn =
  | "sum" | "mean" | "min" | "max" | "count" | "nUnique" | "std" | "var" | "median" | "quantile"
  | "first" | "last" | "len" | "corr";

export type TruncateUnit = "day" | "month" | "year";
/**
 * Web-mercator tile maths (see tile.ts): `x`/`y` the tile column/row of a longitude/latitude at zoom `level`;
 * `parent` a cell's ancestor `level` zooms up; `bin` a cell's index inside its tile of 2^level × 2^level bins.
 */
export type TileFn = "x" | "y" | "parent" | "bin";
/** contains / startsWith a literal substring; matches: a regular expression (see safe-regex.ts) found anywhere. */
export type StrPredFn = "contains" | "startsWith" | "matches";
/** How numbers read as text: "default" (JavaScript's shortest digits), "python" (Python's str(), see python-float). */
export type NumberFormat = "default" | "python";

export type ExprNode =
  | { readonly op: "col"; readonly name: string }
  | { readonly op: "lit"; readonly value: LitValue; readonly dtype: DType }
  | { readonly op: "alias"; readonly arg: ExprNode; readonly name: string }
  | { readonly op: "binary"; readonly fn: BinaryFn; readonly left: ExprNode; readonly right: ExprNode }
  | { readonly op: "unary"; readonly fn: UnaryFn; readonly arg: ExprNode }
  | { readonly op: "fillNull"; readonly arg: ExprNode; readonly value: ExprNode }
  | { readonly op: "isIn"; readonly arg: ExprNode; readonly values: readonly LitValue[] }
  /** `format` (casts to utf8 only): how numbers and booleans are spelled; absent means "default". */
  | { readonly op: "cast"; readonly arg: ExprNode; readonly to: DType; readonly format?: NumberFormat }
  | { readonly op: "when"; readonly branches: readonly { readonly when: ExprNode; readonly then: ExprNode }[]; readonly otherwise: ExprNode }
  | { readonly op: "truncate"; readonly arg: ExprNode; readonly unit: TruncateUnit }
  | { readonly op: "strPred"; readonly fn: StrPredFn; readonly arg: ExprNode; readonly pattern: string }
  /** Every occurrence of the literal `pattern` replaced by `replacement`, left to right, non-overlapping. */
  | { readonly op: "strReplace"; readonly arg: ExprNode; readonly pattern: string; readonly replacement: string }
  /** The texts of `args` joined by `separator`; null when any is null. */
  | { readonly op: "concatStr"; readonly args: readonly ExprNode[]; readonly separator: string }
  /** Tile maths; `args` is [lng] for x, [lat] for y, [cell] for parent, [cellX, cellY] for bin. */
  | { readonly op: "tile"; readonly fn: TileFn; readonly args: readonly ExprNode[]; readonly level: number }
  /** An aggregate. `len` has no args; `corr` has two; `quantile` carries q in [0, 1] (linear interpolation). */
  | { readonly op: "agg"; readonly fn: AggFn; readonly args: readonly ExprNode[]; readonly q?: number };

export type ExprOp = ExprNode["op"];

// Keyed by every member of the union: the compiler checks that the list misses none.
const OPS: Record<ExprOp, true> = {
  col: true, lit: true, alias: true, binary: true, unary: true, fillNull: true, isIn: true, cast: true, when: true, truncate: true, strPred: true, agg: true,
  tile: true, strReplace: true, concatStr: true,
};
/** Every expression op, for errors that list the valid choices. */
export const EXPR_OPS = Object.keys(OPS) as ExprOp[];

/** Children of a node, in a fixed order (used by every generic walk). */
export function children(e: ExprNode): ExprNode[] {
  switch (e.op) {
    case "col": case "lit": return [];
    case "alias": case "unary": case "isIn": case "cast": case "truncate": case "strPred": case "strReplace": return [e.arg];
    case "binary": return [e.left, e.right];
    case "fillNull": return [e.arg, e.value];
    case "when": return [...e.branches.flatMap((b) => [b.when, b.then]), e.otherwise];
    case "agg": case "tile": case "concatStr": return [...e.args];
  }
  // An op no case knows (an untyped caller's): a PlanError listing the ones that exist.
  checkChoice("UNKNOWN_EXPRESSION", "expression", (e as { op?: unknown }).op, EXPR_OPS);
  return [];
}

/** Rebuilds `e` with new children (same order as `children`). */
export function withChildren(e: ExprNode, c: ExprNode[]): ExprNode {
  const at = (i: number): ExprNode => c[i] as ExprNode;
  switch (e.op) {
    case "col": case "lit": return e;
    case "alias": return { ...e, arg: at(0) };
    case "unary": return { ...e, arg: at(0) };
    case "isIn": return { ...e, arg: at(0) };
    case "cast": return { ...e, arg: at(0) };
    case "truncate": return { ...e, arg: at(0) };
    case "strPred": return { ...e, arg: at(0) };
    case "strReplace": return { ...e, arg: at(0) };
    case "binary": return { ...e, left: at(0), right: at(1) };
    case "fillNull": return { ...e, arg: at(0), value: at(1) };
    case "when": {
      const branches = e.branches.map((_, i) => ({ when: at(2 * i), then: at(2 * i + 1) }));
      return { op: "when", branches, otherwise: at(2 * e.branches.length) };
    }
    case "agg": return { ...e, args: c };
    case "tile": return { ...e, args: c };
    case "concatStr": return { ...e, args: c };
  }
}

/** Bottom-up rewrite: `f` sees each node after its children were rewritten. */
export function transform(e: ExprNode, f: (n: ExprNode) => ExprNode): ExprNode {
  const c = children(e);
  const rebuilt = c.length === 0 ? e : withChildren(e, c.map((x) => transform(x, f)));
  return f(rebuilt);
}

/** Names of all columns an expression reads, in first-seen order. */
export function columnsOf(e: ExprNode, out: string[] = []): string[] {
  if (e.op === "col") {
    if (!out.includes(e.name)) out.push(e.name);
    return out;
  }
  for (const c of children(e)) columnsOf(c, out);
  return out;
}

export function containsAgg(e: ExprNode): boolean {
  return e.op === "agg" || children(e).some(containsAgg);
}

/** The name of the column an expression produces: its alias, else the first column it reads, else "literal"/"len". */
export function outputName(e: ExprNode): string {
  switch (e.op) {
    case "alias": return e.name;
    case "col": return e.name;
    case "lit": return "literal";
    case "agg": {
      if (e.fn === "len") return "len";
      const first = e.args[0];
      return first ? outputName(first) : e.fn;
    }
    case "when": {
      const b = e.branches[0];
      return b ? outputName(b.then) : outputName(e.otherwise);
    }
    default: {
      const c = children(e)[0];
      return c ? outputName(c) : e.op;
    }
  }
}

/** Splits a predicate into its AND-ed parts. */
export function conjuncts(e: ExprNode): ExprNode[] {
  if (e.op === "binary" && e.fn === "and") return [...conjuncts(e.left), ...conjuncts(e.right)];
  return [e];
}

/** Joins predicates with AND (null for none). */
export function andAll(preds: readonly ExprNode[]): ExprNode | null {
  let acc: ExprNode | null = null;
  for (const p of preds) acc = acc === null ? p : { op: "binary", fn: "and", left: acc, right: p };
  return acc;
}
