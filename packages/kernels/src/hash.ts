// Per-row hashes of key columns that depend on values only (not encodings, batches or threads).
import type { Column } from "./column.js";
import { int64Words } from "./dtype-arrays.js";
import { NULL_HASH, hashBytes, hashNumber, mixInt } from "./hash-fns.js";
import { scratchArray } from "./scratch.js";

/** Hash of each row of one column (nulls → NULL_HASH). */
export function hashColumn(col: Column): Int32Array {
  const n = col.length;
  const out = scratchArray(Int32Array, n, false);
  const valid = col.valid;
  switch (col.kind) {
    case "str": {
      const off = col.offsets;
      const b = col.bytes;
      for (let i = 0; i < n; i++) out[i] = hashBytes(b, off[i] as number, off[i + 1] as number);
      break;
    }
    case "dict": {
      const entry = hashColumn(col.dict);
      const idx = col.indices;
      for (let i = 0; i < n; i++) out[i] = entry[idx[i] as number] as number;
      break;
    }
    case "num": {
      const v = col.values;
      if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
        const w = int64Words(v);
        for (let i = 0; i < n; i++) out[i] = mixInt(w[2 * i] as number, w[2 * i + 1] as number);
      } else if (v instanceof Float64Array || v instanceof Float32Array) {
        for (let i = 0; i < n; i++) out[i] = hashNumber(v[i] as number);
      } else if (v instanceof Uint32Array) {
        for (let i = 0; i < n; i++) out[i] = mixInt((v[i] as number) | 0, 0);
      } else {
        for (let i = 0; i < n; i++) {
          const x = v[i] as number;
          out[i] = mixInt(x, x < 0 ? -1 : 0);
        }
      }
      break;
    }
  }
  if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = NULL_HASH;
  return out;
}

/**
 * A per-row hash over several key columns. Depends on values only: equal strings hash equally dict- or plain-encoded;
 * every integer type (and bool, date32, raw timestamp units) hashes like the same int64 value, and integral floats
 * like that integer. Different timestamp units are not reconciled: the planner casts shuffle/join keys to one type.
 */
export function hashColumns(cols: readonly Column[], n: number): Uint32Array {
  const out = scratchArray(Uint32Array, n, cols.length === 0);
  if (cols.length === 0) return out;
  const first = hashColumn(cols[0] as Column);
  for (let i = 0; i < n; i++) out[i] = first[i] as number;
  for (let k = 1; k < cols.length; k++) {
    const h = hashColumn(cols[k] as Column);
    for (let i = 0; i < n; i++) out[i] = mixInt(out[i] as number, h[i] as number);
  }
  return out;
}
