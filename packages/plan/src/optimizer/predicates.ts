// Conjunct-list helpers: AND-ing predicates without repeating a conjunct.
import { InternalError, stableStringify } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { andAll } from "@tessera/expr";

/** AND of `parts` (at least one) with structural duplicates removed, first occurrence kept. */
export function andDistinct(parts: readonly ExprNode[]): ExprNode {
  const seen = new Set<string>();
  const kept = parts.filter((p) => {
    const key = stableStringify(p);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const out = andAll(kept);
  if (out === null) throw new InternalError("EMPTY_CONJUNCTS", "andDistinct needs at least one conjunct");
  return out;
}
