// Boolean kernels with Kleene (three-valued) logic: and, or, not.
import type { NumColumn } from "../column.js";
import { normValid } from "./validity.js";

/**
 * Kleene AND / OR. AND is false if either side is a valid false, true if both are valid trues, else null;
 * OR is true if either side is a valid true, false if both are valid falses, else null. A "null"-typed side is all null.
 */
export function kleene(fn: "and" | "or", l: NumColumn, r: NumColumn): NumColumn {
  const n = l.length;
  const a = l.values as Uint8Array;
  const b = r.values as Uint8Array;
  const va = l.type === "null" ? new Uint8Array(n) : l.valid;
  const vb = r.type === "null" ? new Uint8Array(n) : r.valid;
  const out = new Uint8Array(n);
  if (va === null && vb === null) {
    if (fn === "and") for (let i = 0; i < n; i++) out[i] = (a[i] as number) & (b[i] as number);
    else for (let i = 0; i < n; i++) out[i] = (a[i] as number) | (b[i] as number);
    return { kind: "num", type: "bool", length: n, values: out, valid: null };
  }
  const valid = new Uint8Array(n);
  const dom = fn === "and" ? 0 : 1; // the dominating value: a valid false for AND, a valid true for OR
  for (let i = 0; i < n; i++) {
    const okA = va === null || va[i] !== 0;
    const okB = vb === null || vb[i] !== 0;
    const x = a[i] !== 0 ? 1 : 0;
    const y = b[i] !== 0 ? 1 : 0;
    if ((okA && x === dom) || (okB && y === dom)) { out[i] = dom; valid[i] = 1; }
    else if (okA && okB) { out[i] = 1 - dom; valid[i] = 1; }
  }
  return { kind: "num", type: "bool", length: n, values: out, valid: normValid(valid) };
}

/** NOT x (null stays null). */
export function not(col: NumColumn): NumColumn {
  const n = col.length;
  const v = col.values as Uint8Array;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = v[i] === 0 ? 1 : 0;
  return { kind: "num", type: "bool", length: n, values: out, valid: col.type === "null" ? new Uint8Array(n) : col.valid };
}
