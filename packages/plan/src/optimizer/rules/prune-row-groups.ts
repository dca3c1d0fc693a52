// Rule prune-row-groups: drops Parquet files and row groups that hive values or min/max statistics prove empty.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { transform } from "@tessera/expr";
import type { ParquetFileInfo, ScanNode } from "../../nodes.js";
import type { FactsLookup } from "../min-max.js";
import { mayPass } from "../min-max.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";
import { litOf, simplifyExpr } from "../simplify-expr.js";

/**
 * For each file, hive columns in the scan predicate are replaced by the file's partition values and
 * folded: a false or null result drops the file. Otherwise each row group is kept unless its statistics
 * prove no row passes (see min-max). A file with no row group left is dropped; a file that lost some
 * keeps the rest, with numRows their sum. The predicate itself stays on the scan: pruning only skips
 * reading. Only resolved Parquet scans with a predicate are touched.
 */
export const pruneRowGroups: OptimizerRule = {
  name: "prune-row-groups",
  apply: (plan) => rewritePlan(plan, (n) => (n.kind === "scan" ? pruneScan(n) : null)),
};

function pruneScan(scan: ScanNode): ScanNode | null {
  const s = scan.source;
  if (s.format !== "parquet" || !("files" in s) || scan.predicate === null) return null;
  const predicate = scan.predicate;
  let changed = false;
  const files: ParquetFileInfo[] = [];
  for (const file of s.files) {
    const kept = pruneFile(file, predicate, s.fileFields, s.hiveFields);
    if (kept !== file) changed = true;
    if (kept !== null) files.push(kept);
  }
  return changed ? { ...scan, source: { ...s, files } } : null;
}

/** The file with only the row groups that may hold passing rows; null when none may. */
function pruneFile(file: ParquetFileInfo, predicate: ExprNode, fileFields: Schema, hiveFields: Schema): ParquetFileInfo | null {
  const pred = withHiveValues(predicate, file, hiveFields);
  if (pred.op === "lit") return pred.value === true ? file : null;
  const types = new Map(fileFields.map((f) => [f.name, f.type] as const));
  const rowGroups = file.rowGroups.filter((g) => {
    const facts: FactsLookup = (name) => {
      const stats = g.stats[name];
      const type = types.get(name);
      return stats && type ? { ...stats, type } : undefined;
    };
    return mayPass(pred, facts, g.numRows);
  });
  if (rowGroups.length === file.rowGroups.length) return file;
  if (rowGroups.length === 0) return null;
  return { ...file, rowGroups, numRows: rowGroups.reduce((n, g) => n + g.numRows, 0) };
}

/** The predicate with this file's hive partition values in place of hive columns, folded. */
function withHiveValues(pred: ExprNode, file: ParquetFileInfo, hiveFields: Schema): ExprNode {
  if (hiveFields.length === 0) return pred;
  const hive = new Map(hiveFields.map((f) => [f.name, f.type] as const));
  const substituted = transform(pred, (n) => {
    const type = n.op === "col" ? hive.get(n.name) : undefined;
    return n.op === "col" && type !== undefined ? litOf(file.hive[n.name] ?? null, type) : n;
  });
  return simplifyExpr(substituted) ?? substituted;
}
