// Plan explain text: one node per line, two spaces of indent per depth, scans showing what was pushed into them.
import { assertNever } from "@tessera/common";
import { exprToString, namedToString } from "./expr-text.js";
import type { PlanNode, ScanNode } from "./nodes.js";
import { planInputs } from "./nodes.js";
import { scanStats } from "./optimizer/scan-stats.js";
import { rasterInfo } from "./raster/raster-info.js";
import type { RasterExplainer } from "./raster/explain-raster.js";
import { fromRasterLine, rasterLines, rasterSinkLines } from "./raster/explain-raster.js";
import type { RasterNode, RasterSinkNode } from "./nodes.js";
import { schemaOf } from "./schema.js";

export { exprToString };

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
    case "fromRaster": return fromRasterLine(p);
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

function frameLines(plan: PlanNode, depth: number): string[] {
  const lines: string[] = [];
  const walk = (p: PlanNode, d: number): void => {
    lines.push("  ".repeat(d) + nodeLine(p));
    if (p.kind === "fromRaster") lines.push(...rasterLines(p.raster, d + 1, explainer));
    for (const x of planInputs(p)) walk(x, d + 1);
  };
  walk(plan, depth);
  return lines;
}

/** Raster nodes' shapes (for chunking, halos, bands) and their frames' lines. */
const explainer: RasterExplainer = {
  info: (n) => rasterInfo(n, (p) => schemaOf(p)),
  frameLines,
};

/** The plan as text: one node per line, inputs below their node indented two more spaces. */
export function explainPlan(plan: PlanNode): string {
  return frameLines(plan, 0).join("\n");
}

/** A raster (or a raster job) as text, like explainPlan: chunking, halos, overviews and pushed-down bands shown. */
export function explainRaster(plan: RasterNode | RasterSinkNode): string {
  return (plan.kind === "rasterSink" ? rasterSinkLines(plan, explainer) : rasterLines(plan, 0, explainer)).join("\n");
}
