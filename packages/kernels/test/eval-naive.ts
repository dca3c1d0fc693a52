// A deliberately naive row-at-a-time reference evaluator (JS values, SQL nulls) that the vectorized kernels are checked against.
import type { ExprNode } from "@tessera/expr";

type V = unknown;
type Row = Record<string, V>;

const isNull = (v: V): boolean => v === null || v === undefined;
const MS_DAY = 86_400_000;

function dateParts(days: number): [number, number, number] {
  const d = new Date(days * MS_DAY);
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()];
}

function cmp(a: V, b: V): number {
  if (typeof a === "string" && typeof b === "string") {
    const ea = Buffer.from(a, "utf8");
    const eb = Buffer.from(b, "utf8");
    return Buffer.compare(ea, eb);
  }
  const x = Number(a);
  const y = Number(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Evaluates e on one row. `unitsPerDay` tells how temporal columns are stored (1 for date32). */
export function naiveEval(e: ExprNode, row: Row, perDay: Record<string, number> = {}): V {
  switch (e.op) {
    case "col": return row[e.name] ?? null;
    case "lit": return e.value;
    case "alias": return naiveEval(e.arg, row, perDay);
    case "binary": {
      const l = naiveEval(e.left, row, perDay);
      const r = naiveEval(e.right, row, perDay);
      if (e.fn === "and" || e.fn === "or") {
        const dom = e.fn === "or";
        if (l === dom || r === dom) return dom;
        if (isNull(l) || isNull(r)) return null;
        return !dom;
      }
      if (isNull(l) || isNull(r)) return null;
      const a = Number(l);
      const b = Number(r);
      switch (e.fn) {
        case "add": return a + b;
        case "sub": return a - b;
        case "mul": return a * b;
        case "div": return a / b;
        case "mod": return b === 0 ? null : a % b;
        case "pow": return Math.pow(a, b);
        case "eq": return cmp(l, r) === 0;
        case "neq": return cmp(l, r) !== 0;
        case "lt": return cmp(l, r) < 0;
        case "lte": return cmp(l, r) <= 0;
        case "gt": return cmp(l, r) > 0;
        case "gte": return cmp(l, r) >= 0;
        case "bitAnd": return Number(BigInt(a) & BigInt(b));
        case "shiftRight": return Number(BigInt(a) >> BigInt(b));
      }
      return null;
    }
    case "unary": {
      const v = naiveEval(e.arg, row, perDay);
      if (e.fn === "isNull") return isNull(v);
      if (e.fn === "isNotNull") return !isNull(v);
      if (isNull(v)) return null;
      const x = Number(v);
      const pd = e.arg.op === "col" ? (perDay[e.arg.name] ?? 1) : 1;
      switch (e.fn) {
        case "neg": return -x;
        case "abs": return Math.abs(x);
        case "not": return !v;
        case "sqrt": return Math.sqrt(x);
        case "exp": return Math.exp(x);
        case "log": return Math.log(x);
        case "sin": return Math.sin(x);
        case "cos": return Math.cos(x);
        case "tan": return Math.tan(x);
        case "atan": return Math.atan(x);
        case "asinh": return Math.asinh(x);
        case "floor": return Math.floor(x);
        case "ceil": return Math.ceil(x);
        case "round": return Math.sign(x) * Math.round(Math.abs(x));
        case "year": return dateParts(Math.floor(x / pd))[0];
        case "month": return dateParts(Math.floor(x / pd))[1];
        case "day": return dateParts(Math.floor(x / pd))[2];
        case "lower": return String(v).toLowerCase();
        case "upper": return String(v).toUpperCase();
        case "lengths": return [...String(v)].length;
      }
      return null;
    }
    case "fillNull": {
      const v = naiveEval(e.arg, row, perDay);
      return isNull(v) ? naiveEval(e.value, row, perDay) : v;
    }
    case "isIn": {
      const v = naiveEval(e.arg, row, perDay);
      if (isNull(v)) return null;
      if (e.values.some((x) => x !== null && cmp(x, v) === 0 && typeof x === typeof v)) return true;
      return e.values.includes(null) ? null : false;
    }
    case "when": {
      for (const b of e.branches) if (naiveEval(b.when, row, perDay) === true) return naiveEval(b.then, row, perDay);
      return naiveEval(e.otherwise, row, perDay);
    }
    case "truncate": {
      const v = naiveEval(e.arg, row, perDay);
      if (isNull(v)) return null;
      const pd = e.arg.op === "col" ? (perDay[e.arg.name] ?? 1) : 1;
      const days = Math.floor(Number(v) / pd);
      const [y, m] = dateParts(days);
      const t = e.unit === "day" ? days : Date.UTC(y, e.unit === "year" ? 0 : m - 1, 1) / MS_DAY;
      return t * pd;
    }
    case "strPred": {
      const v = naiveEval(e.arg, row, perDay);
      if (isNull(v)) return null;
      return e.fn === "contains" ? String(v).includes(e.pattern) : String(v).startsWith(e.pattern);
    }
    case "cast": return naiveEval(e.arg, row, perDay);
    case "agg": throw new Error("no aggregates here");
  }
}
