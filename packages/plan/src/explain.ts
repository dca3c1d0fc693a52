// Plan explain text: one node per line, two spaces of indent per depth, scans showing what was pushed into them.
import { assertNever } from "@tessera/common";
import type { BinaryFn, ExprNode, LitValue } from "@tessera/expr";
import { outputName } from "@tessera/expr";
import type { PlanNode, ScanNode } from "./nodes.js";
import { planInputs } from "./nodes.js";
import { scanStats } from "./optimizer/scan-stats.js";

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
function namedToString(e: ExprNode): string {
  if (e.op === "col") return e.name;
  if (e.op === "alias") return `${exprToString(e.arg)} as ${e.name}`;
  return `${exprToString(e)} as ${outputName(e)}`;
}

const list = (xs: readonly string[]): string => `[${xs.join(", ")}]`;

function scanLine(s: ScanNode): string {
  const src = s.source;
  const stats = scanStats(s);
  const parts = [`Scan ${src.format}`];
  if (src.format === "memory") parts.push(`id=${src.id}`, `partitions=${src.partitions.length}`, `rows=${src.numRows}`);
  else if (src.format === "persisted") parts.push(`partitions=${src.keys.length}`, `rows=${src.numRows}`);
  else if (!("files" in src)) parts.push(`unresolved urls=${list(src.urls)}`);
  else {
    parts.push(`files=${stats.files}`);
    if (stats.rowGroups !== null) parts.push(`row_groups=${stats.rowGroups}`);
    if (stats.rows !== null) parts.push(`rows≈${stats.rows}`);
  }
  parts.push(`columns=${s.projection === null ? "*" : list(s.projection)}`);
  if (s.predicate !== null) parts.push(`predicate=${exprToString(s.predicate)}`);
  if (s.limit !== null) parts.push(`limit=${s.limit}`);
  return parts.join(" ");
}

function nodeLine(p: PlanNode): string {
  switch (p.kind) {
    case "scan": return scanLine(p);
    case "select": return `Select ${list(p.exprs.map(namedToString))}`;
    case "withColumns": return `WithColumns ${list(p.exprs.map(namedToString))}`;
    case "filter": return `Filter ${exprToString(p.predicate)}`;
    case "aggregate": {
      const strategy = p.strategy === "auto" ? "" : ` strategy=${p.strategy}`;
      return `Aggregate keys=${list(p.keys.map(namedToString))} aggs=${list(p.aggs.map(namedToString))}${strategy}`;
    }
    case "groupHead": return `GroupHead keys=${list(p.keys)} n=${p.n}`;
    case "join": return `Join ${p.how} left_on=${list(p.leftOn)} right_on=${list(p.rightOn)} suffix=${JSON.stringify(p.suffix)}`;
    case "sort": {
      const by = p.by.map((c, i) => `${c}${p.descending[i] ? " desc" : ""}${p.nullsLast[i] ? " nulls_last" : ""}`);
      return `Sort by=${list(by)}`;
    }
    case "limit": return `Limit n=${p.n}${p.offset > 0 ? ` offset=${p.offset}` : ""}`;
    case "unique": return `Unique subset=${p.subset === null ? "*" : list(p.subset)} keep=${p.keep}`;
    case "rename": return `Rename ${list(Object.entries(p.mapping).map(([a, b]) => `${a} -> ${b}`))}`;
    case "drop": return `Drop ${list(p.names)}`;
    case "repartition": return `Repartition n=${p.n}${p.by === null ? "" : ` by=${list(p.by)}`}`;
    case "union": return `Union inputs=${p.inputs.length}`;
    case "mapBatches": return `MapBatches fn=${p.fn} columns=${list(p.schema.map((f) => f.name))}`;
    case "sink": {
      const by = p.options.partitionBy.length > 0 ? ` partition_by=${list(p.options.partitionBy)}` : "";
      return `Sink ${p.format} url=${JSON.stringify(p.url)}${by}`;
    }
    case "cache": return "Cache";
    case "rowIndex": return `RowIndex name=${p.name}${p.offset > 0 ? ` offset=${p.offset}` : ""}`;
    case "topK": {
      const by = p.by.map((c, i) => `${c}${p.descending[i] ? " desc" : ""}`);
      return `TopK keys=${list(p.keys)} by=${list(by)} k=${p.k}`;
    }
    case "pivot": {
      const on = p.onValues === null ? "" : ` columns=[${p.onValues.map((v) => JSON.stringify(v)).join(", ")}]`;
      return `Pivot index=${list(p.index)} on=${p.on} values=${list(p.values)} agg=${p.agg}${on}`;
    }
    case "sinkObjects": {
      const order = p.orderBy.length > 0 ? ` order_by=${list(p.orderBy)}` : "";
      return `SinkObjects ${p.format.kind} url=${JSON.stringify(p.url)} path=${JSON.stringify(p.template)}${order}${p.commit === null ? "" : ` commit=${p.commit}`}`;
    }
    default: return assertNever(p, "plan node");
  }
}

/** The plan as text: one node per line, inputs below their node indented two more spaces. */
export function explainPlan(plan: PlanNode): string {
  const lines: string[] = [];
  const walk = (p: PlanNode, depth: number): void => {
    lines.push("  ".repeat(depth) + nodeLine(p));
    for (const x of planInputs(p)) walk(x, depth + 1);
  };
  walk(plan, 0);
  return lines.join("\n");
}
