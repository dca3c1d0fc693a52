// The names an expression node carries (types, functions, units), checked at plan time with the valid choices listed.
import type { DType } from "@tessera/common";
import { DTYPES, PlanError, checkChoice } from "@tessera/common";
import type { AggFn, BinaryFn, ExprNode, NumberFormat, StrPredFn, TileFn, TruncateUnit, UnaryFn } from "./nodes.js";
import { checkSafeRegex } from "./safe-regex.js";
import { EXPR_OPS } from "./nodes.js";
import { AGGREGATES } from "./aggregates.js";

// Objects keyed by every member of each union: the compiler checks that the lists below miss none.
const BINARY: Record<BinaryFn, true> = {
  add: true, sub: true, mul: true, div: true, mod: true, pow: true, eq: true, neq: true, lt: true, lte: true, gt: true, gte: true,
  and: true, or: true, bitAnd: true, shiftRight: true,
};
const UNARY: Record<UnaryFn, true> = {
  neg: true, abs: true, not: true, isNull: true, isNotNull: true, sqrt: true, exp: true, log: true, floor: true, ceil: true, round: true,
  sin: true, cos: true, tan: true, atan: true, asinh: true, year: true, month: true, day: true, lower: true, upper: true, lengths: true,
};
const TILE: Record<TileFn, true> = { x: true, y: true, parent: true, bin: true };
const TRUNCATE: Record<TruncateUnit, true> = { day: true, month: true, year: true };
const STR_PRED: Record<StrPredFn, true> = { contains: true, startsWith: true, matches: true };
const NUMBER_FORMATS: Record<NumberFormat, true> = { default: true, python: true };
export const NUMBER_FORMAT_NAMES = Object.keys(NUMBER_FORMATS) as NumberFormat[];

export const BINARY_FNS = Object.keys(BINARY) as BinaryFn[];
export const UNARY_FNS = Object.keys(UNARY) as UnaryFn[];
export { EXPR_OPS };
export const AGG_FNS = Object.keys(AGGREGATES) as AggFn[];
export const TRUNCATE_UNITS = Object.keys(TRUNCATE) as TruncateUnit[];
export const STR_PRED_FNS = Object.keys(STR_PRED) as StrPredFn[];
export const TILE_FNS = Object.keys(TILE) as TileFn[];

const aggArity = (fn: AggFn): number => AGGREGATES[fn].arity;

function checkString(what: string, v: unknown): void {
  if (typeof v !== "string") throw new PlanError("BAD_ARGUMENT", `${what} must be a string, got ${JSON.stringify(v) ?? String(v)}`);
}

/** Checks a logical type name (cast targets, literal types, declared schemas); PlanError UNKNOWN_TYPE lists them all. */
export function checkDType(v: unknown, what = "type"): DType {
  return checkChoice("UNKNOWN_TYPE", what, v, DTYPES);
}

/**
 * Checks the names `e` itself carries (not its children): its op, function, cast type, literal type, truncation
 * unit, and the shape of its fields, as an untyped JavaScript caller may have got them wrong. Throws PlanError
 * (UNKNOWN_EXPRESSION, UNKNOWN_FUNCTION, UNKNOWN_AGGREGATE, UNKNOWN_TYPE, BAD_ARGUMENT) naming the valid choices.
 */
export function checkExprNames(e: ExprNode): void {
  if (typeof e !== "object" || e === null) throw new PlanError("BAD_ARGUMENT", `an expression must be an Expr, got ${JSON.stringify(e) ?? String(e)}`);
  checkChoice("UNKNOWN_EXPRESSION", "expression", e.op, EXPR_OPS);
  switch (e.op) {
    case "col": checkString("a column name", e.name); return;
    case "lit": checkDType(e.dtype, "literal type"); return;
    case "alias": checkString("an alias", e.name); return;
    case "binary": checkChoice("UNKNOWN_FUNCTION", "binary function", e.fn, BINARY_FNS); return;
    case "unary": checkChoice("UNKNOWN_FUNCTION", "function", e.fn, UNARY_FNS); return;
    case "cast":
      checkDType(e.to, "cast type");
      if (e.format !== undefined) checkChoice("BAD_ARGUMENT", "numberFormat", e.format, NUMBER_FORMAT_NAMES);
      return;
    case "truncate": checkChoice("BAD_ARGUMENT", "dt.truncate unit", e.unit, TRUNCATE_UNITS); return;
    case "strPred":
      checkChoice("UNKNOWN_FUNCTION", "string predicate", e.fn, STR_PRED_FNS);
      checkString("a string pattern", e.pattern);
      if (e.fn === "matches") checkSafeRegex(e.pattern);
      return;
    case "strReplace": checkString("a string pattern", e.pattern); checkString("a replacement", e.replacement); return;
    case "concatStr":
      if (!Array.isArray(e.args) || e.args.length === 0) throw new PlanError("BAD_ARGUMENT", "concatStr takes a non-empty list of expressions");
      checkString("a separator", e.separator);
      return;
    case "isIn": if (!Array.isArray(e.values)) throw new PlanError("BAD_ARGUMENT", "isIn takes a list of values"); return;
    case "when": if (!Array.isArray(e.branches) || e.branches.length === 0) throw new PlanError("BAD_ARGUMENT", "when() needs at least one branch"); return;
    case "agg": {
      const fn = checkChoice("UNKNOWN_AGGREGATE", "aggregate", e.fn, AGG_FNS);
      if (!Array.isArray(e.args) || e.args.length !== aggArity(fn)) throw new PlanError("BAD_ARGUMENT", `${fn} takes ${aggArity(fn)} expression(s)`);
      if (fn === "quantile" && !(typeof e.q === "number" && e.q >= 0 && e.q <= 1)) throw new PlanError("BAD_ARGUMENT", `quantile(q) needs 0 <= q <= 1, got ${String(e.q)}`);
      return;
    }
    case "tile":
      checkChoice("UNKNOWN_FUNCTION", "tile function", e.fn, TILE_FNS);
      if (!Array.isArray(e.args)) throw new PlanError("BAD_ARGUMENT", "a tile expression takes a list of expressions");
      if (!Number.isSafeInteger(e.level) || e.level < 0) throw new PlanError("BAD_ARGUMENT", `a tile level must be a non-negative integer, got ${String(e.level)}`);
      return;
    case "fillNull": return;
  }
}
