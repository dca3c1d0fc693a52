// Dictionary-encodes text columns that repeat values: each distinct text stored once, rows as indices.
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";
import { groupIds } from "./group-ids.js";
import { takeColumn } from "./take.js";

/**
 * `c` as a dictionary column when it has at most `maxFraction` of its length in distinct values (region names,
 * categories), else `c` itself. Later grouping, hashing and joining on it then work per distinct value.
 */
export function dictEncode(c: StrColumn, maxFraction = 0.5): Column {
  if (c.length === 0) return c;
  const g = groupIds([c], c.length);
  if (g.count > c.length * maxFraction) return c;
  // The first row of each group holds its text; a null group's entry is never read (its rows stay null).
  const dict = takeColumn({ ...c, valid: null }, g.firstRow) as StrColumn;
  const out: DictColumn = { kind: "dict", type: "utf8", length: c.length, indices: g.ids, dict, valid: c.valid };
  return out;
}

/** dictEncode applied to every plain text column of a batch. */
export function dictEncodeBatch(b: Batch, maxFraction = 0.5): Batch {
  if (!b.columns.some((c) => c.kind === "str")) return b;
  return { fields: b.fields, columns: b.columns.map((c) => (c.kind === "str" ? dictEncode(c, maxFraction) : c)), length: b.length };
}
