// Scan and join column choices for projection pushdown: which source columns to decode, which join sides keep.
import type { DType, Field, Schema } from "@tessera/common";
import type { PlanNode, ScanNode } from "../nodes.js";
import { joinFields, sourceFields } from "../schema.js";
import { nameSet, rightOutputNames } from "./columns.js";
import { isResolved } from "./scan-stats.js";

const WIDTH: Record<DType, number> = {
  null: 0, bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, int32: 4, uint32: 4, float32: 4, date32: 4,
  int64: 8, uint64: 8, float64: 8, "timestamp[s]": 8, "timestamp[ms]": 8, "timestamp[us]": 8, "timestamp[ns]": 8,
  utf8: 16, // variable width: ranked last
};

/** The cheapest column to decode when only the row count matters: smallest fixed width, first on ties. */
export function cheapestField(fields: readonly Field[]): Field | undefined {
  let best: Field | undefined;
  for (const f of fields) if (best === undefined || WIDTH[f.type] < WIDTH[best.type]) best = f;
  return best;
}

/**
 * The scan outputting just the `required` columns (source order), never none: with nothing required
 * it keeps the cheapest column so rows can still be counted. The predicate's columns are not added:
 * the scan decodes projection ∪ columnsOf(predicate) and outputs the projection. Same scan if unchanged.
 */
export function narrowScan(scan: ScanNode, required: ReadonlySet<string>): ScanNode {
  if (!isResolved(scan.source)) return scan;
  const all = sourceFields(scan.source);
  const current = scan.projection === null ? all : all.filter((f) => scan.projection?.includes(f.name));
  const wanted = current.filter((f) => required.has(f.name));
  const fallback = cheapestField(current);
  const keep = (wanted.length > 0 || fallback === undefined ? wanted : [fallback]).map((f) => f.name);
  if (keep.length === current.length) return scan;
  return { ...scan, projection: keep };
}

type Join = Extract<PlanNode, { kind: "join" }>;

/**
 * The input columns each side of a join must produce for `required` output columns: the keys, the
 * required columns, and left columns whose names force a suffix on a kept right column. If narrowing
 * would still rename some right column, both sides keep everything.
 */
export function joinSideColumns(j: Join, required: ReadonlySet<string>, left: Schema, right: Schema): [Set<string>, Set<string>] {
  const leftNeed = new Set(j.leftOn);
  const rightNeed = new Set(j.rightOn);
  const leftNames = nameSet(left);
  const semi = j.how === "semi" || j.how === "anti";
  const rightOut = semi ? new Map<string, string>() : rightOutputNames(left, right, j.rightOn, j.suffix);
  for (const name of required) {
    if (leftNames.has(name)) leftNeed.add(name);
    const r = rightOut.get(name);
    if (r !== undefined) rightNeed.add(r);
  }
  for (const r of rightNeed) if (leftNames.has(r) && !j.rightOn.includes(r)) leftNeed.add(r);
  if (semi) return [leftNeed, rightNeed];
  const l2 = left.filter((f) => leftNeed.has(f.name));
  const r2 = right.filter((f) => rightNeed.has(f.name));
  let names: string[];
  try {
    names = joinFields(l2, r2, j.leftOn, j.rightOn, j.how, j.suffix).map((f) => f.name);
  } catch {
    return [nameSet(left), nameSet(right)];
  }
  const expected = [...l2.map((f) => f.name), ...[...rightOut].filter(([, r]) => rightNeed.has(r)).map(([out]) => out)];
  const same = names.length === expected.length && names.every((n, i) => n === expected[i]);
  return same ? [leftNeed, rightNeed] : [nameSet(left), nameSet(right)];
}
