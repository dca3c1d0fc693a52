// The user-facing expression builder: a thin immutable wrapper whose methods only build nodes.
import type { DType } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { AggFn, BinaryFn, ExprNode, LitValue, NumberFormat, TruncateUnit, UnaryFn } from "./nodes.js";

export type IntoExpr = Expr | LitValue | Date;

const EXPR = Symbol.for("tessera.expr");

/** Wraps an ExprNode. Every method returns a new Expr; nothing is evaluated here. */
export class Expr {
  readonly [EXPR] = true;
  constructor(readonly node: ExprNode) {}

  private bin(fn: BinaryFn, other: IntoExpr): Expr { return new Expr({ op: "binary", fn, left: this.node, right: toNode(other) }); }
  private un(fn: UnaryFn): Expr { return new Expr({ op: "unary", fn, arg: this.node }); }
  private agg(fn: AggFn, q?: number): Expr {
    const node: ExprNode = q === undefined ? { op: "agg", fn, args: [this.node] } : { op: "agg", fn, args: [this.node], q };
    return new Expr(node);
  }

  add(o: IntoExpr): Expr { return this.bin("add", o); }
  sub(o: IntoExpr): Expr { return this.bin("sub", o); }
  mul(o: IntoExpr): Expr { return this.bin("mul", o); }
  div(o: IntoExpr): Expr { return this.bin("div", o); }
  mod(o: IntoExpr): Expr { return this.bin("mod", o); }
  pow(o: IntoExpr): Expr { return this.bin("pow", o); }
  eq(o: IntoExpr): Expr { return this.bin("eq", o); }
  neq(o: IntoExpr): Expr { return this.bin("neq", o); }
  lt(o: IntoExpr): Expr { return this.bin("lt", o); }
  lte(o: IntoExpr): Expr { return this.bin("lte", o); }
  gt(o: IntoExpr): Expr { return this.bin("gt", o); }
  gte(o: IntoExpr): Expr { return this.bin("gte", o); }
  and(o: IntoExpr): Expr { return this.bin("and", o); }
  or(o: IntoExpr): Expr { return this.bin("or", o); }
  bitAnd(o: IntoExpr): Expr { return this.bin("bitAnd", o); }
  shiftRight(o: IntoExpr): Expr { return this.bin("shiftRight", o); }

  neg(): Expr { return this.un("neg"); }
  abs(): Expr { return this.un("abs"); }
  not(): Expr { return this.un("not"); }
  isNull(): Expr { return this.un("isNull"); }
  isNotNull(): Expr { return this.un("isNotNull"); }
  sqrt(): Expr { return this.un("sqrt"); }
  exp(): Expr { return this.un("exp"); }
  log(): Expr { return this.un("log"); }
  floor(): Expr { return this.un("floor"); }
  ceil(): Expr { return this.un("ceil"); }
  round(): Expr { return this.un("round"); }
  sin(): Expr { return this.un("sin"); }
  cos(): Expr { return this.un("cos"); }
  tan(): Expr { return this.un("tan"); }
  atan(): Expr { return this.un("atan"); }
  asinh(): Expr { return this.un("asinh"); }

  fillNull(v: IntoExpr): Expr { return new Expr({ op: "fillNull", arg: this.node, value: toNode(v) }); }
  isIn(values: readonly (LitValue | Date)[]): Expr {
    return new Expr({ op: "isIn", arg: this.node, values: values.map((v) => (v instanceof Date ? v.getTime() : v)) });
  }
  between(lo: IntoExpr, hi: IntoExpr): Expr { return this.gte(lo).and(this.lte(hi)); }
  /**
   * The value as type `to`. Casting numbers (or booleans) to "utf8" takes a `numberFormat`: "default" (the shortest
   * digits that read back the same, `3`, `0.1`, `true`) or "python" (Python's `str()`: `3` for integers, `3.0`, `1e-05`,
   * `nan`, `inf` for floats, `True`/`False`), so text made from numbers can match a pandas pipeline's.
   */
  cast(to: DType, opts: { numberFormat?: NumberFormat } = {}): Expr {
    const f = opts.numberFormat;
    return new Expr(f === undefined || f === "default" ? { op: "cast", arg: this.node, to } : { op: "cast", arg: this.node, to, format: f });
  }
  alias(name: string): Expr { return new Expr({ op: "alias", arg: this.node, name }); }

  sum(): Expr { return this.agg("sum"); }
  mean(): Expr { return this.agg("mean"); }
  min(): Expr { return this.agg("min"); }
  max(): Expr { return this.agg("max"); }
  count(): Expr { return this.agg("count"); }
  nUnique(): Expr { return this.agg("nUnique"); }
  std(): Expr { return this.agg("std"); }
  var(): Expr { return this.agg("var"); }
  median(): Expr { return this.agg("median"); }
  quantile(q: number): Expr {
    if (!(q >= 0 && q <= 1)) throw new PlanError("BAD_ARGUMENT", `quantile(q) needs 0 <= q <= 1, got ${q}`);
    return this.agg("quantile", q);
  }
  first(): Expr { return this.agg("first"); }
  last(): Expr { return this.agg("last"); }

  get dt(): DtNamespace { return new DtNamespace(this.node); }
  get str(): StrNamespace { return new StrNamespace(this.node); }

  toJSON(): ExprNode { return this.node; }
}

/** `.dt` methods: calendar parts in UTC. */
export class DtNamespace {
  constructor(private readonly node: ExprNode) {}
  truncate(unit: TruncateUnit): Expr {
    if (unit !== "day" && unit !== "month" && unit !== "year") throw new PlanError("BAD_ARGUMENT", `dt.truncate unit must be day, month or year, got ${String(unit)}`);
    return new Expr({ op: "truncate", arg: this.node, unit });
  }
  year(): Expr { return new Expr({ op: "unary", fn: "year", arg: this.node }); }
  month(): Expr { return new Expr({ op: "unary", fn: "month", arg: this.node }); }
  day(): Expr { return new Expr({ op: "unary", fn: "day", arg: this.node }); }
}

/** `.str` methods over UTF-8 strings. */
export class StrNamespace {
  constructor(private readonly node: ExprNode) {}
  contains(s: string): Expr { return new Expr({ op: "strPred", fn: "contains", arg: this.node, pattern: s }); }
  startsWith(s: string): Expr { return new Expr({ op: "strPred", fn: "startsWith", arg: this.node, pattern: s }); }
  /**
   * Whether the regular expression `pattern` (JavaScript syntax, Unicode mode) matches anywhere in the text; anchor it
   * (`^...$`) for a whole-text match. Patterns that could backtrack without bound are refused at plan time (see
   * checkSafeRegex): backreferences, lookaround, quantified groups holding a quantifier or an alternation.
   */
  matches(pattern: string): Expr { return new Expr({ op: "strPred", fn: "matches", arg: this.node, pattern }); }
  /** Every occurrence of the literal `pattern` replaced by `replacement`, left to right, non-overlapping (`"a///b"` with "//" → "" is `"a/b"`). */
  replaceAll(pattern: string, replacement: string): Expr { return new Expr({ op: "strReplace", arg: this.node, pattern, replacement }); }
  toLowerCase(): Expr { return new Expr({ op: "unary", fn: "lower", arg: this.node }); }
  toUpperCase(): Expr { return new Expr({ op: "unary", fn: "upper", arg: this.node }); }
  lengths(): Expr { return new Expr({ op: "unary", fn: "lengths", arg: this.node }); }
}

export function isExpr(x: unknown): x is Expr {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[EXPR] === true;
}

/** The literal node for a JS value: numbers are float64 unless integral (int64 for bigint). */
export function litNode(v: LitValue | Date): ExprNode {
  if (v instanceof Date) return { op: "lit", value: v.getTime(), dtype: "timestamp[ms]" };
  if (v === null) return { op: "lit", value: null, dtype: "null" };
  switch (typeof v) {
    case "number": return { op: "lit", value: v, dtype: Number.isInteger(v) ? "int64" : "float64" };
    case "bigint": return { op: "lit", value: v, dtype: "int64" };
    case "string": return { op: "lit", value: v, dtype: "utf8" };
    case "boolean": return { op: "lit", value: v, dtype: "bool" };
  }
}

/** A column name string means the column in selections; other values become literals. */
export function toNode(v: IntoExpr): ExprNode {
  return isExpr(v) ? v.node : litNode(v);
}

export function col(name: string): Expr { return new Expr({ op: "col", name }); }
export function lit(value: LitValue | Date, dtype?: DType): Expr {
  const n = litNode(value);
  return new Expr(dtype !== undefined && n.op === "lit" ? { ...n, dtype } : n);
}
/** Number of rows (in a group when used in an aggregation). */
export function len(): Expr { return new Expr({ op: "agg", fn: "len", args: [] }); }
/** Pearson correlation of two columns (an aggregate). */
export function corr(a: IntoExpr | string, b: IntoExpr | string): Expr {
  const na = typeof a === "string" ? col(a).node : toNode(a);
  const nb = typeof b === "string" ? col(b).node : toNode(b);
  return new Expr({ op: "agg", fn: "corr", args: [na, nb] });
}

/**
 * The texts of `exprs` (a string names a column) joined by `separator`, e.g. `concatStr(["country", "admin1"], "__")`;
 * null when any input is null. Inputs that are not text are cast to utf8 first.
 */
export function concatStr(exprs: readonly (Expr | string)[], separator = ""): Expr {
  if (!Array.isArray(exprs) || exprs.length === 0) throw new PlanError("BAD_ARGUMENT", "concatStr takes a non-empty list of expressions or column names");
  if (typeof separator !== "string") throw new PlanError("BAD_ARGUMENT", "concatStr's separator must be a string");
  return new Expr({ op: "concatStr", args: exprs.map(exprOrCol), separator });
}

/** `when(p).then(a).when(q).then(b).otherwise(c)` */
export function when(pred: IntoExpr): WhenThen {
  return new WhenThen([], toNode(pred));
}
export class WhenThen {
  constructor(private readonly done: { when: ExprNode; then: ExprNode }[], private readonly pending: ExprNode) {}
  then(v: IntoExpr): WhenChain { return new WhenChain([...this.done, { when: this.pending, then: toNode(v) }]); }
}
export class WhenChain extends Expr {
  constructor(private readonly branches: { when: ExprNode; then: ExprNode }[]) {
    super({ op: "when", branches, otherwise: { op: "lit", value: null, dtype: "null" } });
  }
  when(pred: IntoExpr): WhenThen { return new WhenThen(this.branches, toNode(pred)); }
  otherwise(v: IntoExpr): Expr { return new Expr({ op: "when", branches: this.branches, otherwise: toNode(v) }); }
}

/** Accepts an Expr or a column name (strings in selections mean columns). */
export function exprOrCol(x: Expr | string): ExprNode {
  return typeof x === "string" ? { op: "col", name: x } : x.node;
}
