// Estimates the number of distinct values of group keys from Parquet statistics, to choose an aggregation strategy.
import { isInteger, isTemporal } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { distinctFromSample } from "@tessera/kernels";
import type { PlanNode, ScanNode } from "../nodes.js";

/** The scan column that column `name` of `p`'s output is, passed through unchanged; null when it is computed. */
export function scanColumnOf(p: PlanNode, name: string): { readonly scan: ScanNode; readonly name: string } | null {
  switch (p.kind) {
    case "filter": case "sort": case "limit": case "repartition": case "unique": case "groupHead": case "topK": case "cache":
      return scanColumnOf(p.input, name);
    case "rowIndex":
      return p.name === name ? null : scanColumnOf(p.input, name);
    case "withColumns":
      return p.exprs.some((e) => (e.op === "alias" ? e.name : e.op === "col" ? e.name : null) === name) ? null : scanColumnOf(p.input, name);
    case "select": {
      const e = p.exprs.find((x) => (x.op === "alias" ? x.name : x.op === "col" ? x.name : null) === name);
      const src = e?.op === "alias" ? e.arg : e;
      return src?.op === "col" ? scanColumnOf(p.input, src.name) : null;
    }
    case "scan":
      return { scan: p, name };
    default:
      return null;
  }
}

/**
 * An upper bound on the distinct values of column `name` in `p`'s output, from integer/temporal min/max
 * statistics of the scan it comes from unchanged; null when unknown (strings, computed columns, no stats).
 */
export function distinctBound(p: PlanNode, name: string): number | null {
  const at = scanColumnOf(p, name);
  if (at === null) return null;
  const s = at.scan.source;
  if (s.format !== "parquet" || !("files" in s)) return null;
  const hive = s.hiveFields.find((f) => f.name === at.name);
  if (hive) return new Set(s.files.map((f) => String(f.hive[at.name]))).size;
  const field = s.fileFields.find((f) => f.name === at.name);
  if (!field || !(isInteger(field.type) || isTemporal(field.type))) return null;
  let lo = Infinity;
  let hi = -Infinity;
  for (const f of s.files) for (const rg of f.rowGroups) {
    const st = rg.stats[at.name];
    if (!st || typeof st.min !== "number" || typeof st.max !== "number") return null;
    lo = Math.min(lo, st.min);
    hi = Math.max(hi, st.max);
  }
  return hi >= lo ? hi - lo + 1 + 1 : 1;
}

/**
 * An estimate of the distinct values of column `name`: its bound when statistics give one, else what a sampled
 * dictionary suggests (a row group of r rows whose dictionary holds d entries: the G values a uniform column would
 * need to show d of them in r rows, see distinctFromSample), plus one for null; null when nothing is known.
 */
export function distinctEstimate(p: PlanNode, name: string): number | null {
  const bound = distinctBound(p, name);
  if (bound !== null) return bound;
  const at = scanColumnOf(p, name);
  const s = at?.scan.source;
  if (at === null || s === undefined || s.format !== "parquet" || !("files" in s)) return null;
  const sample = s.dictionarySizes?.[at.name];
  if (sample === undefined) return null;
  const rows = s.files.reduce((n, f) => n + f.numRows, 0);
  return Math.min(rows, distinctFromSample(sample.entries, sample.rows)) + 1;
}

function product(keys: readonly ExprNode[], per: (name: string) => number | null): number | null {
  let out = 1;
  for (const k of keys) {
    if (k.op !== "col") return null;
    const d = per(k.name);
    if (d === null) return null;
    out *= d;
  }
  return out;
}

/** An upper bound on the number of groups of `keys` over `input` (null when any key is unknown). */
export function groupsBound(input: PlanNode, keys: readonly ExprNode[]): number | null {
  return product(keys, (name) => distinctBound(input, name));
}

/** An estimate of the number of groups of `keys` over `input`, bounds and sampled dictionaries together (null when any key is unknown). */
export function groupsEstimate(input: PlanNode, keys: readonly ExprNode[]): number | null {
  return product(keys, (name) => distinctEstimate(input, name));
}

/** What is known of one group key: its estimated distinct values (distinctEstimate), and whether it is text. */
export interface KeyEstimate {
  readonly name: string;
  readonly distinct: number;
  readonly text: boolean;
}

/** Estimates of the plain-column keys among `keys` that have one. */
export function keyEstimates(input: PlanNode, keys: readonly ExprNode[]): KeyEstimate[] {
  const out: KeyEstimate[] = [];
  for (const k of keys) {
    if (k.op !== "col") continue;
    const distinct = distinctEstimate(input, k.name);
    const at = scanColumnOf(input, k.name);
    const src = at?.scan.source;
    const field = src !== undefined && src.format === "parquet" && "files" in src ? src.fileFields.find((f) => f.name === at?.name) : undefined;
    if (distinct !== null) out.push({ name: k.name, distinct, text: field?.type === "utf8" });
  }
  return out;
}
