// Literals broadcast to columns: numbers fill typed arrays, strings become a one-entry dictionary (no per-row bytes).
import type { DType } from "@tessera/common";
import { ExecutionError } from "@tessera/common";
import type { LitValue } from "@tessera/expr";
import type { Column, StrColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { allocArray, isBigIntType } from "../dtype-arrays.js";
import { strColumnFromStrings } from "../strings.js";

/** A column of `n` copies of a literal of type `dtype` (null value → all-null column). */
export function litColumn(value: LitValue, dtype: DType, n: number): Column {
  if (value === null || dtype === "null") return nullColumn(dtype, n);
  if (dtype === "utf8") {
    const dict = strColumnFromStrings([String(value)]) as StrColumn;
    return { kind: "dict", type: "utf8", length: n, indices: new Int32Array(n), dict, valid: null };
  }
  if (typeof value === "string") throw new ExecutionError("BAD_LITERAL", `literal "${value}" cannot have type ${dtype}`);
  const values = allocArray(dtype, n);
  if (isBigIntType(dtype)) {
    const big = typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)));
    (values as BigInt64Array).fill(big);
  } else {
    (values as Float64Array).fill(typeof value === "boolean" ? (value ? 1 : 0) : Number(value));
  }
  return { kind: "num", type: dtype, length: n, values, valid: null };
}
