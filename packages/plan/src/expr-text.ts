// Expression text for explain output: compact, deterministic renderings of expressions and named outputs.
import { assertNever } from "@tessera/common";
import type { BinaryFn, ExprNode, LitValue } from "@tessera/expr";
import { outputName } from "@tessera/expr";

const SYMBOL: Record<BinaryFn, string> = {
  add: "+", sub: "-", mul: "*", div: "/", mod: "%", pow: "**",
  eq: "==", neq: "!=", lt: "<", lte: "<=", gt: ">", gte: ">=",
  and: "and", or: "or", bitAnd: "&", shiftRight: ">>",
};

/** Default literal types print bare; others carry `::type` (e.g. `19000::date32`). */
const BARE_TYPES = new Set(["int64", "float64", "utf8", "bool", "null"]);

function litToString(v: LitValue): string {
  return typeof v === "string" ? JSON.stringify(v) : String(v);
}

/** A compact, deterministic rendering of an expression: `(col(a) > 5)`, `sum(col(v))`, `col(x) as y`. */
export function exprToString(e: ExprNode): string {
  switch (e.op) {
    case "col": return `col(${e.name})`;
    case "lit": return BARE_TYPES.has(e.dtype) ? litToString(e.value) : `${litToString(e.value)}::${e.dtype}`;
    case "alias": return `${exprToString(e.arg)} as ${e.name}`;
    case "binary": return `(${exprToString(e.left)} ${SYMBOL[e.fn]} ${exprToString(e.right)})`;
    case "unary": return `${e.fn}(${exprToString(e.arg)})`;
    case "fillNull": return `fillNull(${exprToString(e.arg)}, ${exprToString(e.value)})`;
    case "isIn": return `isIn(${exprToString(e.arg)}, [${e.values.map(litToString).join(", ")}])`;
    case "cast": return `cast(${exprToString(e.arg)} as ${e.to}${e.format !== undefined && e.format !== "default" ? `, ${e.format}` : ""})`;
    case "when": {
      const branches = e.branches.map((b) => `when ${exprToString(b.when)} then ${exprToString(b.then)}`);
      return `case(${[...branches, `otherwise ${exprToString(e.otherwise)}`].join(", ")})`;
    }
    case "truncate": return `truncate(${exprToString(e.arg)}, ${e.unit})`;
    case "strPred": return `${e.fn}(${exprToString(e.arg)}, ${JSON.stringify(e.pattern)})`;
    case "strReplace": return `replaceAll(${exprToString(e.arg)}, ${JSON.stringify(e.pattern)}, ${JSON.stringify(e.replacement)})`;
    case "concatStr": return `concatStr([${e.args.map(exprToString).join(", ")}], ${JSON.stringify(e.separator)})`;
    case "tile": return `tile.${e.fn}(${[...e.args.map(exprToString), String(e.level)].join(", ")})`;
    case "agg": {
      const args = e.args.map(exprToString);
      if (e.q !== undefined) args.push(String(e.q));
      return `${e.fn}(${args.join(", ")})`;
    }
    default: return assertNever(e, "expression");
  }
}

/** An output expression in a list: a plain column by name, anything else as `expr as name`. */
export function namedToString(e: ExprNode): string {
  if (e.op === "col") return e.name;
  if (e.op === "alias") return `${exprToString(e.arg)} as ${e.name}`;
  return `${exprToString(e)} as ${outputName(e)}`;
}
