// Non-text columns as the text Python's str() gives them (spec §4 step 3), built from Tessera expressions.
import type { DType, Expr, LazyFrame } from "tessera";
import { col, formatPythonFloat, fromColumns, lit, when } from "tessera";

/** How many distinct values become a `when` chain; more go through a join with a value → text table. */
const MAX_CHAIN = 256;

const isIntegerType = (t: DType): boolean => /^u?int(8|16|32|64)$/.test(t);
const isFloatType = (t: DType): boolean => t === "float32" || t === "float64";

/**
 * A plan for turning column `name` of type `type` into Python's text with nulls as "None": strings as they are,
 * integers as digits (as floats, `3.0`, when the column has nulls: pandas reads such columns as floats), floats
 * in repr form (`3.5`, `1e-05`), booleans as True/False. Floats need their distinct values (fetched from `frame`):
 * the result is either an expression or a join with a mapping table.
 */
export async function pythonText(frame: LazyFrame, name: string, type: DType, hasNulls: boolean): Promise<{ expr: Expr } | { join: LazyFrame; textColumn: string }> {
  const c = col(name);
  if (type === "utf8") return { expr: c.fillNull("None").alias(name) };
  if (type === "bool") return { expr: when(c.isNull()).then(lit("None")).when(c).then(lit("True")).otherwise(lit("False")).alias(name) };
  if (isIntegerType(type) && !hasNulls) return { expr: c.cast("utf8").alias(name) };
  if (!isIntegerType(type) && !isFloatType(type)) return { expr: c.cast("utf8").fillNull("None").alias(name) };
  // Floats (and integers read as floats): NaN is a missing value in pandas, so it reads "None" too.
  const asFloat = c.cast("float64");
  const distinct = await frame.select(asFloat.alias(name)).filter(asFloat.eq(asFloat)).unique().collect();
  const values = Array.from(distinct.getChild(name)!.toArray() as Float64Array);
  if (values.length <= MAX_CHAIN) {
    let chain = when(asFloat.eq(asFloat).not().or(asFloat.isNull())).then(lit("None"));
    for (const v of values) chain = chain.when(asFloat.eq(v)).then(lit(formatPythonFloat(v)));
    return { expr: chain.otherwise(lit("None")).alias(name) };
  }
  const textColumn = `__text_${name}`;
  return { join: fromColumns({ [name]: Float64Array.from(values), [textColumn]: values.map(formatPythonFloat) }), textColumn };
}
