// Columns and batches as plain JS values: for tests, small results and debugging, never for hot paths.
import type { Batch, Column } from "./column.js";
import { int64Words } from "./dtype-arrays.js";
import { strGet } from "./strings.js";

/**
 * JS values of a column: null for nulls; bool → boolean; utf8 → string; every numeric and temporal type → number
 * (int64 and timestamps exact below 2^53; date32 in days, timestamps in their stored unit).
 */
export function columnToArray(col: Column): unknown[] {
  const n = col.length;
  const out: unknown[] = new Array(n);
  const valid = col.valid;
  switch (col.kind) {
    case "str": for (let i = 0; i < n; i++) out[i] = strGet(col, i); break;
    case "dict": for (let i = 0; i < n; i++) out[i] = strGet(col.dict, col.indices[i] as number); break;
    case "num": {
      const v = col.values;
      if (col.type === "null") out.fill(null);
      else if (col.type === "bool") for (let i = 0; i < n; i++) out[i] = v[i] !== 0;
      else if (v instanceof BigInt64Array) {
        const w = int64Words(v);
        for (let i = 0; i < n; i++) out[i] = (w[2 * i + 1] as number) * 4294967296 + ((w[2 * i] as number) >>> 0);
      } else if (v instanceof BigUint64Array) {
        const w = int64Words(v);
        for (let i = 0; i < n; i++) out[i] = ((w[2 * i + 1] as number) >>> 0) * 4294967296 + ((w[2 * i] as number) >>> 0);
      } else for (let i = 0; i < n; i++) out[i] = v[i];
      break;
    }
  }
  if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = null;
  return out;
}

/** The batch as `{ column: values[] }`. */
export function batchToColumns(b: Batch): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  b.fields.forEach((f, i) => { out[f.name] = columnToArray(b.columns[i] as Column); });
  return out;
}

/** The batch as one object per row (small batches only). */
export function batchToRows(b: Batch): Record<string, unknown>[] {
  const cols = b.columns.map(columnToArray);
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < b.length; i++) {
    const r: Record<string, unknown> = {};
    b.fields.forEach((f, k) => { r[f.name] = (cols[k] as unknown[])[i]; });
    rows.push(r);
  }
  return rows;
}
