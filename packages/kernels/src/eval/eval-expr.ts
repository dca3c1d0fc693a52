// Expression evaluation over a batch: one handler per node op, and per-fn tables for binary and unary nodes.
import type { DType } from "@tessera/common";
import { InternalError, isTemporal } from "@tessera/common";
import type { BinaryFn, ExprNode, ExprOp, UnaryFn } from "@tessera/expr";
import { typeOf } from "@tessera/expr";
import type { Batch, Column, NumColumn } from "../column.js";
import { getColumn } from "../batch-ops.js";
import { arith } from "./arithmetic.js";
import { negAbs } from "./arithmetic.js";
import { bitwise } from "./bitwise.js";
import { kleene, not } from "./boolean.js";
import { litColumn } from "./broadcast.js";
import { castColumn } from "./cast.js";
import { compare } from "./compare.js";
import { isIn } from "./is-in.js";
import { floatMath, roundMath } from "./math.js";
import { fillNull, nullTest } from "./nulls.js";
import { lengths, lowerUpper, replaceAll, strPred } from "./string.js";
import { concatStr } from "./concat-str.js";
import { datePart, temporalArith, truncate } from "./temporal.js";
import { tileFn } from "./tile.js";
import { when } from "./when.js";

function num(c: Column): NumColumn {
  if (c.kind !== "num") throw new InternalError("EXPECTED_NUMERIC", `kernel expected a numeric column, got ${c.type}`);
  return c;
}

type BinaryKernel = (l: Column, r: Column, out: DType) => Column;
const BINARY: Record<BinaryFn, BinaryKernel> = {
  add: (l, r, out) => (isTemporal(l.type) ? temporalArith("add", num(l), num(r), out) : arith("add", num(l), num(r), out)),
  sub: (l, r, out) => (isTemporal(l.type) ? temporalArith("sub", num(l), num(r), out) : arith("sub", num(l), num(r), out)),
  mul: (l, r, out) => arith("mul", num(l), num(r), out),
  div: (l, r, out) => arith("div", num(l), num(r), out),
  mod: (l, r, out) => arith("mod", num(l), num(r), out),
  pow: (l, r, out) => arith("pow", num(l), num(r), out),
  eq: (l, r) => compare("eq", l, r),
  neq: (l, r) => compare("neq", l, r),
  lt: (l, r) => compare("lt", l, r),
  lte: (l, r) => compare("lte", l, r),
  gt: (l, r) => compare("gt", l, r),
  gte: (l, r) => compare("gte", l, r),
  and: (l, r) => kleene("and", num(l), num(r)),
  or: (l, r) => kleene("or", num(l), num(r)),
  bitAnd: (l, r, out) => bitwise("bitAnd", num(l), num(r), out),
  shiftRight: (l, r, out) => bitwise("shiftRight", num(l), num(r), out),
};

type UnaryKernel = (c: Column, out: DType) => Column;
const UNARY: Record<UnaryFn, UnaryKernel> = {
  neg: (c) => negAbs("neg", num(c)),
  abs: (c) => negAbs("abs", num(c)),
  not: (c) => not(num(c)),
  isNull: (c) => nullTest("isNull", c),
  isNotNull: (c) => nullTest("isNotNull", c),
  sqrt: (c) => floatMath("sqrt", num(c)),
  exp: (c) => floatMath("exp", num(c)),
  log: (c) => floatMath("log", num(c)),
  sin: (c) => floatMath("sin", num(c)),
  cos: (c) => floatMath("cos", num(c)),
  tan: (c) => floatMath("tan", num(c)),
  atan: (c) => floatMath("atan", num(c)),
  asinh: (c) => floatMath("asinh", num(c)),
  floor: (c) => roundMath("floor", num(c)),
  ceil: (c) => roundMath("ceil", num(c)),
  round: (c) => roundMath("round", num(c)),
  year: (c) => datePart("year", num(c)),
  month: (c) => datePart("month", num(c)),
  day: (c) => datePart("day", num(c)),
  lower: (c) => lowerUpper("lower", c),
  upper: (c) => lowerUpper("upper", c),
  lengths: (c) => lengths(c),
};

type Node<K extends ExprOp> = Extract<ExprNode, { op: K }>;
type Handler<K extends ExprOp> = (e: Node<K>, b: Batch, out: DType) => Column;

const HANDLERS: { [K in ExprOp]: Handler<K> } = {
  col: (e, b) => getColumn(b, e.name),
  lit: (e, b) => litColumn(e.value, e.dtype, b.length),
  alias: (e, b) => evalExpr(e.arg, b),
  binary: (e, b, out) => BINARY[e.fn](evalExpr(e.left, b), evalExpr(e.right, b), out),
  unary: (e, b, out) => UNARY[e.fn](evalExpr(e.arg, b), out),
  fillNull: (e, b, out) => fillNull(evalExpr(e.arg, b), evalExpr(e.value, b), out),
  isIn: (e, b) => isIn(evalExpr(e.arg, b), e.values),
  cast: (e, b) => castColumn(evalExpr(e.arg, b), e.to, e.format),
  when: (e, b, out) => when(e.branches.map((x) => evalExpr(x.when, b)), e.branches.map((x) => evalExpr(x.then, b)), evalExpr(e.otherwise, b), out),
  truncate: (e, b) => truncate(e.unit, num(evalExpr(e.arg, b))),
  strPred: (e, b) => strPred(e.fn, evalExpr(e.arg, b), e.pattern),
  strReplace: (e, b) => replaceAll(evalExpr(e.arg, b), e.pattern, e.replacement),
  concatStr: (e, b) => concatStr(e.args.map((a) => evalExpr(a, b)), e.separator, b.length),
  tile: (e, b, out) => tileFn(e.fn, e.args.map((a) => num(evalExpr(a, b))), e.level, out),
  agg: (e) => { throw new InternalError("AGG_IN_ROW_EXPR", `aggregate ${e.fn} reached the row-wise evaluator; the planner must lower it`); },
};

/**
 * Evaluates a non-aggregate expression over a batch. The result has exactly `typeOf(e, b.fields)` as its type and
 * b.length rows. Nulls follow SQL: any null operand gives null, except and/or (Kleene), isNull/isNotNull, fillNull,
 * when (a null predicate is false) and isIn (see is-in.ts).
 */
export function evalExpr(e: ExprNode, b: Batch): Column {
  const out = typeOf(e, b.fields);
  const col = (HANDLERS[e.op] as Handler<ExprOp>)(e as never, b, out);
  if (col.type !== out) throw new InternalError("EVAL_TYPE", `evaluator produced ${col.type} for ${e.op} typed ${out}`);
  if (col.length !== b.length) throw new InternalError("EVAL_LENGTH", `evaluator produced ${col.length} rows for ${b.length}`);
  return col;
}
