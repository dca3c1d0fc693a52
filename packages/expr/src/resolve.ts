// Plan-time typing of expressions: the output type of every node, with clear errors for bad columns and types.
import type { DType, Field, Schema } from "@tessera/common";
import { PlanError, isFloat, isInteger, isNumeric, isTemporal, promoteNumeric } from "@tessera/common";
import { AGGREGATES } from "./aggregates.js";
import type { ExprNode } from "./nodes.js";
import { outputName } from "./nodes.js";
import { checkExprNames } from "./check-names.js";

/** Throws the standard "column not found" PlanError naming the column and listing those that exist. */
export function columnNotFound(name: string, schema: Schema): never {
  throw new PlanError(
    "COLUMN_NOT_FOUND",
    `column "${name}" not found; available columns: ${schema.map((f) => f.name).join(", ")}`,
    { column: name, available: schema.map((f) => f.name) },
  );
}

export function lookupField(schema: Schema, name: string): Field {
  const f = schema.find((x) => x.name === name);
  if (!f) columnNotFound(name, schema);
  return f;
}

function mismatch(what: string, got: DType, e: ExprNode): never {
  throw new PlanError("TYPE_MISMATCH", `${what} cannot take a ${got} operand (in expression producing "${outputName(e)}")`, { type: got });
}

/** The output type of `e` over `schema`. Validates every column reference and operand type. */
export function typeOf(e: ExprNode, schema: Schema): DType {
  checkExprNames(e);
  switch (e.op) {
    case "col": return lookupField(schema, e.name).type;
    case "lit": return e.dtype;
    case "alias": return typeOf(e.arg, schema);
    case "binary": {
      const l = typeOf(e.left, schema);
      const r = typeOf(e.right, schema);
      switch (e.fn) {
        case "add": case "sub": case "mul": case "mod": {
          if (isTemporal(l) && (isInteger(r) || isTemporal(r)) && (e.fn === "add" || e.fn === "sub")) return isTemporal(r) && e.fn === "sub" ? "int64" : l;
          const t = promoteNumeric(l, r);
          if (t === null) mismatch(e.fn, isNumeric(l) ? r : l, e);
          return t;
        }
        case "div": case "pow": {
          if (promoteNumeric(l, r) === null) mismatch(e.fn, isNumeric(l) ? r : l, e);
          return "float64";
        }
        case "eq": case "neq": case "lt": case "lte": case "gt": case "gte": {
          const ok = l === "null" || r === "null" || l === r || (isNumeric(l) && isNumeric(r)) ||
            (isTemporal(l) && (isTemporal(r) || isNumeric(r))) || (isTemporal(r) && isNumeric(l));
          if (!ok) throw new PlanError("TYPE_MISMATCH", `cannot compare ${l} with ${r} (in "${outputName(e)}")`, { left: l, right: r });
          return "bool";
        }
        case "and": case "or": {
          if (l !== "bool" && l !== "null") mismatch(e.fn, l, e);
          if (r !== "bool" && r !== "null") mismatch(e.fn, r, e);
          return "bool";
        }
        case "bitAnd": case "shiftRight": {
          if (!isInteger(l) && l !== "null") mismatch(e.fn, l, e);
          if (!isInteger(r) && r !== "null") mismatch(e.fn, r, e);
          return promoteNumeric(l, r) ?? "int64";
        }
      }
      break;
    }
    case "unary": {
      const t = typeOf(e.arg, schema);
      switch (e.fn) {
        case "neg": case "abs": if (!isNumeric(t) && t !== "null") mismatch(e.fn, t, e); return t;
        case "not": if (t !== "bool" && t !== "null") mismatch(e.fn, t, e); return "bool";
        case "isNull": case "isNotNull": return "bool";
        case "floor": case "ceil": case "round": if (!isNumeric(t) && t !== "null") mismatch(e.fn, t, e); return isFloat(t) ? t : t;
        case "sqrt": case "exp": case "log": case "sin": case "cos": case "tan": case "atan": case "asinh":
          if (!isNumeric(t) && t !== "null") mismatch(e.fn, t, e);
          return "float64";
        case "year": case "month": case "day": if (!isTemporal(t)) mismatch(`dt.${e.fn}`, t, e); return "int32";
        case "lower": case "upper": if (t !== "utf8") mismatch(`str.${e.fn}`, t, e); return "utf8";
        case "lengths": if (t !== "utf8") mismatch("str.lengths", t, e); return "int32";
      }
      break;
    }
    case "fillNull": {
      const t = typeOf(e.arg, schema);
      const v = typeOf(e.value, schema);
      if (t === v || v === "null") return t;
      const p = promoteNumeric(t, v);
      if (p === null) throw new PlanError("TYPE_MISMATCH", `fillNull value of type ${v} does not fit column of type ${t}`);
      return p;
    }
    case "isIn": typeOf(e.arg, schema); return "bool";
    case "cast": {
      typeOf(e.arg, schema);
      if (e.format !== undefined && e.format !== "default" && e.to !== "utf8") {
        throw new PlanError("BAD_ARGUMENT", `a numberFormat applies to casts to utf8, not to ${e.to} (in "${outputName(e)}")`);
      }
      return e.to;
    }
    case "when": {
      let out: DType = "null";
      for (const b of e.branches) {
        const p = typeOf(b.when, schema);
        if (p !== "bool" && p !== "null") mismatch("when", p, e);
        out = unify(out, typeOf(b.then, schema), e);
      }
      return unify(out, typeOf(e.otherwise, schema), e);
    }
    case "truncate": {
      const t = typeOf(e.arg, schema);
      if (!isTemporal(t)) mismatch("dt.truncate", t, e);
      return t;
    }
    case "strPred": {
      const t = typeOf(e.arg, schema);
      if (t !== "utf8") mismatch(`str.${e.fn}`, t, e);
      return "bool";
    }
    case "strReplace": {
      const t = typeOf(e.arg, schema);
      if (t !== "utf8" && t !== "null") mismatch("str.replaceAll", t, e);
      return "utf8";
    }
    case "concatStr": {
      for (const a of e.args) typeOf(a, schema);
      return "utf8";
    }
    case "agg": return aggType(e, schema);
    case "tile": return tileType(e, schema);
  }
  throw new PlanError("UNSUPPORTED", `unsupported expression ${JSON.stringify(e)}`);
}

/** x / y take numbers and give int32 tile numbers; parent keeps its integer type; bin takes integers and gives int32. */
function tileType(e: Extract<ExprNode, { op: "tile" }>, schema: Schema): DType {
  const argTypes = e.args.map((a) => typeOf(a, schema));
  const want = e.fn === "bin" ? 2 : 1;
  if (argTypes.length !== want) throw new PlanError("BAD_ARGUMENT", `tile.${e.fn} takes ${want} expression(s), got ${argTypes.length}`);
  for (const t of argTypes) {
    const ok = t === "null" || (e.fn === "x" || e.fn === "y" ? isNumeric(t) : isInteger(t));
    if (!ok) mismatch(`tile.${e.fn}`, t, e);
  }
  return e.fn === "parent" ? (argTypes[0] === "null" ? "int32" : (argTypes[0] as DType)) : "int32";
}

function unify(a: DType, b: DType, e: ExprNode): DType {
  if (a === "null") return b;
  if (b === "null" || a === b) return a;
  const p = promoteNumeric(a, b);
  if (p === null) throw new PlanError("TYPE_MISMATCH", `branches of when/then/otherwise have types ${a} and ${b} (in "${outputName(e)}")`);
  return p;
}

function aggType(e: Extract<ExprNode, { op: "agg" }>, schema: Schema): DType {
  return AGGREGATES[e.fn].outputType(e.args.map((a) => typeOf(a, schema)), (got) => mismatch(e.fn, got, e));
}

/** Whether `e` may produce nulls over `schema` (conservative: true when unsure). */
export function nullableOf(e: ExprNode, schema: Schema): boolean {
  switch (e.op) {
    case "col": return lookupField(schema, e.name).nullable;
    case "lit": return e.value === null;
    case "agg": return AGGREGATES[e.fn].nullable;
    case "unary": return e.fn === "isNull" || e.fn === "isNotNull" ? false : nullableOf(e.arg, schema);
    case "strReplace": return nullableOf(e.arg, schema);
    case "cast": return e.to === "utf8" ? nullableOf(e.arg, schema) : true;
    case "concatStr": return e.args.some((a) => nullableOf(a, schema));
    default: return true;
  }
}

/** The output field of `e` over `schema`. */
export function fieldOf(e: ExprNode, schema: Schema): Field {
  return { name: outputName(e), type: typeOf(e, schema), nullable: nullableOf(e, schema) };
}
