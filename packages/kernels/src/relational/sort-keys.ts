// Sort specifications and their normalized keys: one Uint32 array per key with direction and null placement folded in.
import { PlanError } from "@tessera/common";
import type { Batch, Column } from "../column.js";
import { denseRanks } from "./column-ranks.js";

/** Sort keys in priority order; `descending[k]` and `nullsLast[k]` apply to `by[k]` (null placement ignores direction). */
export interface SortSpec {
  readonly by: readonly string[];
  readonly descending: readonly boolean[];
  readonly nullsLast: readonly boolean[];
}

/** A normalized key: ascending order of `keys` is the requested order of rows; values lie in [0, max]. */
export interface FoldedKey {
  readonly keys: Uint32Array;
  readonly max: number;
}

/** Checks that the spec is well formed and returns the index of each key column in `fields`. */
export function sortKeyIndices(fields: readonly { readonly name: string }[], spec: SortSpec): number[] {
  const n = spec.by.length;
  if (n === 0 || spec.descending.length !== n || spec.nullsLast.length !== n) {
    throw new PlanError("SORT_SPEC_INVALID",
      `sort spec needs one or more keys and one descending/nullsLast flag per key (got ${n}, ${spec.descending.length}, ${spec.nullsLast.length})`);
  }
  return spec.by.map((name) => columnIndex(fields, name));
}

/** Index of the column called `name`, or a PlanError naming the available columns. */
export function columnIndex(fields: readonly { readonly name: string }[], name: string): number {
  const i = fields.findIndex((f) => f.name === name);
  if (i < 0) {
    throw new PlanError("COLUMN_NOT_FOUND", `column "${name}" not found; available: ${fields.map((f) => f.name).join(", ")}`,
      { column: name });
  }
  return i;
}

/** The key columns of `b` named by the spec, in key order. */
export function sortKeyColumns(b: Batch, spec: SortSpec): Column[] {
  return sortKeyIndices(b.fields, spec).map((i) => b.columns[i]!);
}

/**
 * Folds ranks, direction and null placement into one key: nulls are 0 (first) or count+1 (last),
 * values are rank+1 ascending or count-rank descending.
 */
export function foldedKey(col: Column, descending: boolean, nullsLast: boolean): FoldedKey {
  const { ranks, count } = denseRanks(col);
  const n = col.length;
  const keys = new Uint32Array(n);
  const valid = col.valid;
  const nullKey = nullsLast ? count + 1 : 0;
  if (descending) for (let i = 0; i < n; i++) keys[i] = count - ranks[i]!;
  else for (let i = 0; i < n; i++) keys[i] = ranks[i]! + 1;
  if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) keys[i] = nullKey;
  return { keys, max: count + 1 };
}

/**
 * Combines consecutive keys into mixed-radix composites while the product of ranges fits 32 bits,
 * so a multi-key sort needs as few radix passes as the keys' total information allows.
 */
export function packKeys(keys: readonly FoldedKey[]): FoldedKey[] {
  const out: FoldedKey[] = [];
  let cur: FoldedKey | null = null;
  for (const k of keys) {
    if (cur === null) { cur = k; continue; }
    const radix = k.max + 1;
    if ((cur.max + 1) * radix <= 0x100000000) {
      const a: Uint32Array = cur.keys;
      const b: Uint32Array = k.keys;
      const c: Uint32Array = new Uint32Array(a.length);
      for (let i = 0; i < a.length; i++) c[i] = a[i]! * radix + b[i]!;
      cur = { keys: c, max: cur.max * radix + k.max };
    } else {
      out.push(cur);
      cur = k;
    }
  }
  if (cur !== null) out.push(cur);
  return out;
}
