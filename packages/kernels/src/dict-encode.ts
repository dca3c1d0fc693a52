// Dictionary-encodes text columns that repeat values: each distinct text stored once, rows as indices.
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";
import { groupIds } from "./group-ids.js";
import { encodeColumn, expectedDistinct, newKeyTable } from "./key-table.js";
import { SMALL_DICTIONARY } from "./canonical-dict.js";
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

/**
 * `c` over a dictionary holding each value once (entries hashed once, indices remapped), or `c` itself when its
 * dictionary has no repeats or is small (canonical ones are already unique). Concatenated and Parquet-read
 * dictionaries repeat values; a result read by many queries is worth deduplicating once rather than in every query.
 */
export function uniqueDict(c: DictColumn): DictColumn {
  const d = c.dict;
  if (d.length <= SMALL_DICTIONARY) return c;
  const t = newKeyTable("str", expectedDistinct(d), true);
  const code = encodeColumn(t, d, true);
  if (t.count === d.length) return c;
  const dict: StrColumn = { kind: "str", type: "utf8", length: t.count, offsets: t.offsets.slice(0, t.count + 1), bytes: t.bytes.slice(0, t.offsets[t.count] as number), valid: null };
  const src = c.indices, indices = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) indices[i] = code[src[i] as number] as number;
  return { kind: "dict", type: "utf8", length: c.length, indices, dict, valid: c.valid };
}

/** dictEncode applied to every plain text column of a batch, and uniqueDict to every dictionary column. */
export function dictEncodeBatch(b: Batch, maxFraction = 0.5): Batch {
  if (!b.columns.some((c) => c.kind !== "num")) return b;
  const columns = b.columns.map((c) => (c.kind === "str" ? dictEncode(c, maxFraction) : c.kind === "dict" ? uniqueDict(c) : c));
  return { fields: b.fields, columns, length: b.length };
}
