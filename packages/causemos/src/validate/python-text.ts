// Python's text of a column, as pandas' `astype(str)` gives it after `fillna("None")` (spec §4 step 3).
import type { DType, Expr } from "tessera";
import { col, when } from "tessera";

const isIntegerType = (t: DType): boolean => /^u?int(8|16|32|64)$/.test(t);
const isFloatType = (t: DType): boolean => t === "float32" || t === "float64";

/**
 * Column `name` of type `type` as Python's text with nulls as "None": strings as they are; integers as digits, or
 * as floats (`3.0`) when the column has nulls (pandas reads such columns as floats); floats in repr form (`3.5`,
 * `1e-05`), NaN reading "None" (it is pandas' missing value); booleans as True/False.
 */
export function pythonText(name: string, type: DType, hasNulls: boolean): Expr {
  const c = col(name);
  if (type === "utf8") return c.fillNull("None").alias(name);
  const asText = (x: Expr): Expr => x.cast("utf8", { numberFormat: "python" }).fillNull("None").alias(name);
  if (isIntegerType(type) && !hasNulls) return asText(c);
  if (isIntegerType(type) || isFloatType(type)) {
    const f = c.cast("float64");
    return asText(when(f.eq(f)).then(f).otherwise(null));
  }
  return asText(c);
}
