// when/then/otherwise: the first branch whose predicate is true (a null predicate counts as false) gives the row.
import type { DType } from "@tessera/common";
import type { Column } from "../column.js";
import { castColumn } from "./cast.js";
import { chooseColumns } from "./select.js";

/** Each `then` and `otherwise` is evaluated over all rows, cast to `out`, then picked row by row. */
export function when(preds: readonly Column[], thens: readonly Column[], otherwise: Column, out: DType): Column {
  const n = otherwise.length;
  const k = preds.length;
  const pick = new Int32Array(n).fill(k);
  for (let b = k - 1; b >= 0; b--) {
    const p = preds[b] as Column;
    if (p.kind !== "num" || p.type === "null") continue;
    const v = p.values as Uint8Array;
    const valid = p.valid;
    for (let i = 0; i < n; i++) if (v[i] !== 0 && (valid === null || valid[i] !== 0)) pick[i] = b;
  }
  const cols = [...thens, otherwise].map((c) => castColumn(c, out));
  return chooseColumns(out, cols, pick, n);
}
