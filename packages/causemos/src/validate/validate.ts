// Validation and cleaning (spec §4, in its order): empty columns dropped, types, text fill, counters, weights, bounds.
import type { DType, ExecOptions, Expr, Field, LazyFrame } from "tessera";
import { PlanError, col, len, lit, when } from "tessera";
import { REGION_LEVELS } from "../columns.js";
import type { ColumnRoles } from "../columns.js";
import { columnRoles } from "../columns.js";
import type { RawInput } from "../input/read-input.js";
import { pythonText } from "./python-text.js";

/** 2^63 − 1 nanoseconds in milliseconds: timestamps at or past it are invalid (compared as float64). */
export const MAX_TIMESTAMP_MS = 9223372036854775807 / 1e6;

/** The column holding each raw row's position (first appearance decides extrema ties, Q21). */
export const ROW = "__row";

export interface Counters {
  readonly num_rows: number;
  readonly num_missing_ts: number;
  readonly num_missing_val: number;
  readonly num_invalid_ts: number;
}

export interface Validated {
  /**
   * The validated frame: NaN and ±inf values are nulls, text columns filled, `//` gone from region names, invalid
   * timestamps removed; plus ROW, the raw row's position.
   */
  readonly frame: LazyFrame;
  readonly roles: ColumnRoles;
  readonly counters: Counters;
  /** Raw integer columns holding nulls: pandas reads them as floats, so raw.csv prints them as floats (Q8). */
  readonly rawFloatInts: ReadonlySet<string>;
}

const EXEMPT = new Set(["timestamp", "feature", "value"]);
const isFloatType = (t: DType): boolean => t === "float32" || t === "float64";
const isIntType = (t: DType): boolean => /^u?int(8|16|32|64)$/.test(t);
const isTemporal = (t: DType): boolean => t === "date32" || t.startsWith("timestamp");
/** A whitespace-only text (pandas' `^\s+$`): such a value counts as empty; "" does not. */
const BLANK = "^\\s+$";

/** `x` with NaN (and ±inf when `finite`) turned into null, the engine's missing value (pandas' NaN). */
export function missingAsNull(x: Expr, finite: boolean): Expr {
  return when(finite ? x.abs().lt(Infinity) : x.eq(x)).then(x).otherwise(lit(null));
}

/** The effective weight column: the name when it is a column of the frame, else "" (unweighted; spec §4 step 6). */
export function effectiveWeight(columns: readonly string[], weightColumn: string): string {
  return weightColumn !== "" && columns.includes(weightColumn) ? weightColumn : "";
}

/** The timestamp as epoch ms (temporal types converted), missing ones filled. */
function timestampExpr(f: Field, fill: number): Expr {
  if (f.type === "utf8" || f.type === "bool") throw new PlanError("CAUSEMOS_BAD_COLUMN_TYPE", `column "timestamp" must hold epoch milliseconds (a number), it is ${f.type}`, { column: "timestamp", type: f.type });
  const ms = isTemporal(f.type) ? col("timestamp").cast("timestamp[ms]").cast("int64") : col("timestamp");
  return ms.fillNull(lit(fill)).alias("timestamp");
}

/** Per column, the count of values that make it non-empty: non-null (non-NaN for floats), and for text not blank. */
function presentCount(f: Field, i: number): Expr {
  const c = col(f.name);
  if (isFloatType(f.type)) return c.eq(c).sum().fillNull(0).alias(`n${i}`);
  if (f.type === "utf8") return c.isNotNull().and(c.str.matches(BLANK).not()).sum().fillNull(0).alias(`n${i}`);
  return c.count().alias(`n${i}`);
}

/**
 * Validates the raw frame (spec §4 steps 1–9). One query counts rows, missing and invalid timestamps, missing values
 * and each column's present values (which decides the empty columns); the validated frame itself stays lazy.
 * `raw.frame` must carry ROW.
 */
export async function validate(raw: RawInput, fillTimestamp: number, weightColumn: string, opts: ExecOptions = {}): Promise<Validated> {
  const byName = new Map(raw.fields.map((f) => [f.name, f]));
  if (weightColumn !== "" && !byName.has(weightColumn)) {
    throw new PlanError("CAUSEMOS_WEIGHT_COLUMN_NOT_FOUND", `weight column "${weightColumn}" is not a column of ${raw.paths.join(", ")}; available columns: ${raw.fields.map((f) => f.name).join(", ")}`, { column: weightColumn });
  }
  const ts = timestampExpr(byName.get("timestamp") as Field, fillTimestamp);
  const value = col("value").cast("float64");
  const stats = await raw.frame.select(
    len().alias("rows"),
    col("timestamp").isNull().sum().fillNull(0).alias("missing_ts"),
    value.eq(value).sum().fillNull(0).alias("valued"),
    ts.cast("float64").gte(MAX_TIMESTAMP_MS).sum().fillNull(0).alias("invalid_ts"),
    ...raw.fields.map((f, i) => presentCount(f, i)),
    ...raw.fields.map((f, i) => col(f.name).count().alias(`c${i}`)),
  ).collect(opts);
  const at = (name: string): number => Number(stats.getChild(name)!.get(0) ?? 0);
  const rows = at("rows");
  if (rows === 0) throw new PlanError("CAUSEMOS_EMPTY_INPUT", `DataFrame has no rows: ${raw.paths.join(", ")} hold no rows`, { files: [...raw.paths] });
  const counters: Counters = { num_rows: rows, num_missing_ts: at("missing_ts"), num_missing_val: rows - at("valued"), num_invalid_ts: at("invalid_ts") };
  const hasNulls = (i: number): boolean => at(`c${i}`) < rows;
  const rawFloatInts = new Set(raw.fields.filter((f, i) => isIntType(f.type) && hasNulls(i)).map((f) => f.name));

  const kept = raw.fields.filter((f, i) => EXEMPT.has(f.name) || at(`n${i}`) > 0);
  const names = kept.map((f) => f.name);
  const weight = effectiveWeight(names, weightColumn);
  const hasLatLng = names.includes("lat") && names.includes("lng");
  const regions = new Set<string>(REGION_LEVELS);
  const exprs: Expr[] = kept.map((f) => {
    const c = col(f.name);
    const i = raw.fields.indexOf(f);
    if (f.name === "timestamp") return ts;
    if (f.name === "feature") return f.type === "utf8" ? c : c.cast("utf8").alias("feature");
    if (f.name === "value") return missingAsNull(value, true).alias("value");
    if ((f.name === "lat" || f.name === "lng") && hasLatLng) return missingAsNull(c.cast("float64"), false).alias(f.name);
    if (f.name === "lat" || f.name === "lng") return c;
    if (f.name === weight) {
      if (f.type === "bool") return lit(0).cast("float64").alias(f.name);
      const w = c.cast("float64");
      // Unparseable, missing and NaN weights count as 0.
      return when(w.eq(w)).then(w).otherwise(lit(0)).cast("float64").alias(f.name);
    }
    const text = pythonText(f.name, f.type, hasNulls(i));
    // Key-safe region names: every "//" deleted, left to right (§4 step 8); other columns keep theirs (Q18).
    return regions.has(f.name) ? text.str.replaceAll("//", "").alias(f.name) : text;
  });
  const frame = raw.frame.select(...exprs, col(ROW)).filter(col("timestamp").cast("float64").lt(MAX_TIMESTAMP_MS));
  return { frame, roles: columnRoles(names, weight), counters, rawFloatInts };
}
