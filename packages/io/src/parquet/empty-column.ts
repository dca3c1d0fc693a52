// Zero-row columns of any type, for reads that select no rows.
import type { DType } from "@tessera/common";
import { emptyColumn as emptyPlain, type Column, type StrColumn } from "@tessera/kernels";

/** A column of length 0 of type `type` (a dictionary column when `dictionary` and the type is utf8). */
export function emptyColumn(type: DType, dictionary = false): Column {
  if (type !== "utf8" || !dictionary) return emptyPlain(type);
  return { kind: "dict", type, length: 0, indices: new Int32Array(0), dict: emptyPlain("utf8") as StrColumn, valid: null };
}
