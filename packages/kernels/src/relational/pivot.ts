// Long to wide: one row per index combination, one column per (value column, `on` value), nulls where no row.
import type { Field } from "@tessera/common";
import type { LitValue } from "@tessera/expr";
import type { Batch, Column } from "../column.js";
import { getColumn } from "../batch-ops.js";
import { columnFromValues } from "../build.js";
import { groupIds } from "../group-ids.js";
import { buildHashIndex, probeKeyCodes } from "../hash-index.js";
import { takeColumn } from "../take.js";

/** For each row, the position of its `on` value in `onValues` (-1: not among them). Nulls match a null entry. */
function onPositions(on: Column, onValues: readonly LitValue[]): Int32Array {
  const n = on.length;
  const out = new Int32Array(n).fill(-1);
  const nullAt = onValues.indexOf(null);
  const present = onValues.filter((v) => v !== null);
  if (present.length > 0) {
    const build = columnFromValues(on.type, present);
    const index = buildHashIndex([build]);
    const codes = probeKeyCodes(index, [on]);
    const back = onValues.map((v, k) => (v === null ? -1 : k)).filter((k) => k >= 0);
    for (let i = 0; i < n; i++) {
      const c = codes[i] as number;
      if (c >= 0) out[i] = back[index.rows[index.start[c] as number] as number] as number;
    }
  }
  if (nullAt >= 0 && on.valid !== null) for (let i = 0; i < n; i++) if (on.valid[i] === 0) out[i] = nullAt;
  return out;
}

/**
 * Pivots `b`, which holds at most one row per (index, on) combination (an aggregation by them): one output row per
 * distinct index combination in order of first appearance, the index columns, then for each value column and each
 * `on` value (in `onValues` order) a column named `names[v * onValues.length + k]`, null where the pair has no row.
 * Rows whose `on` value is not listed are left out. `fields` are the output fields (types as planned).
 */
export function pivotBatch(b: Batch, index: readonly string[], on: string, values: readonly string[], onValues: readonly LitValue[], fields: readonly Field[]): Batch {
  const keys = index.map((c) => getColumn(b, c));
  const g = groupIds(keys, b.length);
  const pos = onPositions(getColumn(b, on), onValues);
  const m = onValues.length;
  // slot[k][group] = the input row for (group, on value k), or -1.
  const slots: Int32Array[] = Array.from({ length: m }, () => new Int32Array(g.count).fill(-1));
  for (let i = 0; i < b.length; i++) {
    const k = pos[i] as number;
    if (k >= 0) (slots[k] as Int32Array)[g.ids[i] as number] = i;
  }
  const columns: Column[] = keys.map((c) => takeColumn(c, g.firstRow));
  for (const v of values) {
    const col = getColumn(b, v);
    for (let k = 0; k < m; k++) columns.push(takeColumn(col, slots[k] as Int32Array));
  }
  return { fields: [...fields], columns, length: g.count };
}
