// Estimates the number of distinct values of group keys from Parquet statistics, to choose an aggregation strategy.
import { isInteger, isTemporal } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import type { PlanNode } from "../nodes.js";

/**
 * An upper bound on the distinct values of column `name` in `p`'s output, from integer/temporal min/max
 * statistics of the scan it comes from unchanged; null when unknown (strings, computed columns, no stats).
 */
export function distinctBound(p: PlanNode, name: string): number | null {
  switch (p.kind) {
    case "filter": case "sort": case "limit": case "repartition": case "unique": case "groupHead": case "topK": case "cache":
      return distinctBound(p.input, name);
    case "rowIndex":
      return p.name === name ? null : distinctBound(p.input, name);
    case "withColumns":
      return p.exprs.some((e) => (e.op === "alias" ? e.name : e.op === "col" ? e.name : null) === name) ? null : distinctBound(p.input, name);
    case "select": {
      const e = p.exprs.find((x) => (x.op === "alias" ? x.name : x.op === "col" ? x.name : null) === name);
      const src = e?.op === "alias" ? e.arg : e;
      return src?.op === "col" ? distinctBound(p.input, src.name) : null;
    }
    case "scan": {
      const s = p.source;
      if (s.format !== "parquet" || !("files" in s)) return null;
      const hive = s.hiveFields.find((f) => f.name === name);
      if (hive) return new Set(s.files.map((f) => String(f.hive[name]))).size;
      const field = s.fileFields.find((f) => f.name === name);
      if (!field || !(isInteger(field.type) || isTemporal(field.type))) return null;
      let lo = Infinity;
      let hi = -Infinity;
      for (const f of s.files) for (const rg of f.rowGroups) {
        const st = rg.stats[name];
        if (!st || typeof st.min !== "number" || typeof st.max !== "number") return null;
        lo = Math.min(lo, st.min);
        hi = Math.max(hi, st.max);
      }
      return hi >= lo ? hi - lo + 1 + 1 : 1;
    }
    default:
      return null;
  }
}

/** An upper bound on the number of groups of `keys` over `input` (null when any key is unknown). */
export function groupsBound(input: PlanNode, keys: readonly ExprNode[]): number | null {
  let product = 1;
  for (const k of keys) {
    if (k.op !== "col") return null;
    const d = distinctBound(input, k.name);
    if (d === null) return null;
    product *= d;
  }
  return product;
}
