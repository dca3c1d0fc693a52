// Shape checks for op args that came off the wire: expressions, types, schemas, sort/join/aggregate specs.
import type { DType, Field } from "@tessera/common";
import type { AggCall, AggFn, AggSpec, ExprNode } from "@tessera/expr";
import { AGGREGATES, MAX_TILE_ZOOM } from "@tessera/expr";
import type { JoinSpec, SortSpec } from "@tessera/kernels";
import { isIntegerLike } from "@tessera/kernels";
import { bool, int, list, literal, nullable, obj, optional, str } from "@tessera/protocol";
import type { Check } from "@tessera/protocol";

/** Most partitions a split may produce, and most rows a sample may take: bounds what a task allocates from its args. */
export const MAX_SPLIT = 1 << 16;
export const MAX_SAMPLE = 1 << 20;
/**
 * Most columns a split makes in all (partitions × columns): each is an object on the worker's heap, so 65,536
 * partitions of 64 columns already take a gigabyte, and of 1,000 columns exhaust it.
 */
export const MAX_SPLIT_PIECES = 1 << 21;

const DTYPES: readonly DType[] = [
  "null", "bool", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "float32", "float64", "utf8",
  "date32", "timestamp[s]", "timestamp[ms]", "timestamp[us]", "timestamp[ns]",
];
const AGG_FNS: readonly AggFn[] = ["sum", "mean", "min", "max", "count", "nUnique", "std", "var", "median", "quantile", "first", "last", "len", "corr"];

export const name = str(4096);
export const names = list(name, 100_000);
export const dtype: Check = literal(...DTYPES);
export const field = obj<Field>({ name, type: dtype, nullable: bool });
export const schema = list(field, 100_000);
export const count = int(0);
export const url = str(8192);

/** A literal value: number, string, boolean, bigint or null. */
export const litValue: Check = (v) =>
  v === null || typeof v === "number" || typeof v === "string" || typeof v === "boolean" || typeof v === "bigint" ? null : `expected a literal, got ${typeof v}`;

/** An object whose string field `tag` picks its check from `table`; unknown tags are refused. */
export function tagged(tag: string, table: Readonly<Record<string, Check>>): Check {
  return (v) => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return "expected an object";
    const t = (v as Record<string, unknown>)[tag];
    if (typeof t !== "string" || !Object.hasOwn(table, t)) return `unknown ${tag} ${typeof t === "string" ? JSON.stringify(t.slice(0, 80)) : `(${typeof t})`}`;
    return (table[t] as Check)(v);
  };
}

type ExprOf<O extends ExprNode["op"]> = Extract<ExprNode, { op: O }>;
/** Recursion goes through this reference; nesting depth is already bounded by the wire decoder. */
export const expr: Check = (v) => exprTagged(v);
const exprs = list(expr, 100_000);
const EXPR_CHECKS: { readonly [O in ExprNode["op"]]: Check } = {
  col: obj<ExprOf<"col">>({ op: str(), name }),
  lit: integralLiteral(obj<ExprOf<"lit">>({ op: str(), value: litValue, dtype })),
  alias: obj<ExprOf<"alias">>({ op: str(), arg: expr, name }),
  binary: obj<ExprOf<"binary">>({
    op: str(), left: expr, right: expr,
    fn: literal("add", "sub", "mul", "div", "mod", "pow", "eq", "neq", "lt", "lte", "gt", "gte", "and", "or", "bitAnd", "shiftRight"),
  }),
  unary: obj<ExprOf<"unary">>({
    op: str(), arg: expr,
    fn: literal("neg", "abs", "not", "isNull", "isNotNull", "sqrt", "exp", "log", "floor", "ceil", "round", "sin", "cos", "tan", "atan", "asinh",
      "year", "month", "day", "lower", "upper", "lengths"),
  }),
  fillNull: obj<ExprOf<"fillNull">>({ op: str(), arg: expr, value: expr }),
  isIn: obj<ExprOf<"isIn">>({ op: str(), arg: expr, values: list(litValue, 1_000_000) }),
  cast: obj<ExprOf<"cast">>({ op: str(), arg: expr, to: dtype }),
  when: obj<ExprOf<"when">>({ op: str(), branches: list(obj({ when: expr, then: expr }), 10_000), otherwise: expr }),
  truncate: obj<ExprOf<"truncate">>({ op: str(), arg: expr, unit: literal("day", "month", "year") }),
  strPred: obj<ExprOf<"strPred">>({ op: str(), fn: literal("contains", "startsWith"), arg: expr, pattern: str() }),
  agg: arity("args", obj<ExprOf<"agg">>({ op: str(), fn: literal(...AGG_FNS), args: list(expr, 2), q: optional(unitInterval()) })),
  tile: obj<ExprOf<"tile">>({ op: str(), fn: literal("x", "y", "parent", "bin"), args: list(expr, 2), level: int(0, MAX_TILE_ZOOM) }),
};
const exprTagged = tagged("op", EXPR_CHECKS);
export { exprs };

/** `shape`, then a number given an integer type (stored as integers, 64-bit ones as bigints) must be finite. */
function integralLiteral(shape: Check): Check {
  return (v) => {
    const e = shape(v);
    if (e !== null) return e;
    const l = v as ExprOf<"lit">;
    return typeof l.value === "number" && !Number.isFinite(l.value) && isIntegerLike(l.dtype) ? `.value: ${l.value} is not a ${l.dtype}` : null;
  };
}

/** `shape`, then as many entries in `field` as the aggregate `fn` takes (none for len, two for corr, else one). */
function arity(field: "args" | "inputs", shape: Check): Check {
  return (v) => {
    const e = shape(v);
    if (e !== null) return e;
    const a = v as { fn: AggFn } & Record<typeof field, readonly unknown[]>;
    const want = AGGREGATES[a.fn].arity;
    return a[field].length === want ? null : `.${field}: ${a.fn} takes ${want}, got ${a[field].length}`;
  };
}

function unitInterval(): Check {
  return (v) => (typeof v !== "number" || !(v >= 0 && v <= 1) ? "expected a number in [0, 1]" : null);
}

export const sortSpec = obj<SortSpec>({ by: names, descending: list(bool, 100_000), nullsLast: list(bool, 100_000) });
export const joinSpec = obj<JoinSpec>({ leftOn: names, rightOn: names, how: literal("inner", "left", "right", "full", "semi", "anti"), suffix: str(256) });
const aggCall = arity("inputs", obj<AggCall>({ fn: literal(...AGG_FNS), inputs: list(name, 2), q: optional(unitInterval()), name, out: dtype }));
export const aggSpec = obj<AggSpec>({ keys: names, aggs: list(aggCall, 100_000) });

export { bool, int, list, literal, nullable, obj, str };
