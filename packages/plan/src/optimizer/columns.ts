// Column-name helpers shared by the pushdown rules: pass-through detection, renaming, join output names.
import type { Schema } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { columnsOf, transform } from "@tessera/expr";

/** The input column an expression merely passes through (`col(a)` or `col(a).alias(b)`), else null. */
export function passThroughColumn(e: ExprNode): string | null {
  if (e.op === "col") return e.name;
  if (e.op === "alias") return passThroughColumn(e.arg);
  return null;
}

/**
 * Rewrites every column of `e` through `map` at once (so swaps work). Returns null when some column
 * has no entry: the caller then keeps the expression where it is.
 */
export function renameColumns(e: ExprNode, map: (name: string) => string | null): ExprNode | null {
  for (const c of columnsOf(e)) if (map(c) === null) return null;
  return transform(e, (n) => (n.op === "col" ? { op: "col", name: map(n.name) as string } : n));
}

/** Output names of a join's right-side columns mapped to their right-input names (same naming as joinFields). */
export function rightOutputNames(left: Schema, right: Schema, rightOn: readonly string[], suffix: string): Map<string, string> {
  const names = new Set(left.map((f) => f.name));
  const out = new Map<string, string>();
  for (const f of right) {
    if (rightOn.includes(f.name)) continue;
    const name = names.has(f.name) ? f.name + suffix : f.name;
    names.add(name);
    out.set(name, f.name);
  }
  return out;
}

/** Names of a schema as a set. */
export function nameSet(schema: Schema): Set<string> {
  return new Set(schema.map((f) => f.name));
}
