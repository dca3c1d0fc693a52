// Validation and cleaning (spec §4, in its order): empty columns dropped, types, text fill, counters, weights, bounds.
import type { DType, Expr, Field, LazyFrame } from "tessera";
import { PlanError, col, len, lit, when } from "tessera";
import { REGION_LEVELS } from "../columns.js";
import type { ColumnRoles } from "../columns.js";
import { columnRoles } from "../columns.js";
import type { RawInput } from "../input/read-input.js";
import { pythonText } from "./python-text.js";

/** 2^63 − 1 nanoseconds in milliseconds: timestamps at or past it are invalid (compared as float64). */
export const MAX_TIMESTAMP_MS = 9223372036854775807 / 1e6;

export interface Counters {
  readonly num_rows: number;
  readonly num_missing_ts: number;
  readonly num_missing_val: number;
  readonly num_invalid_ts: number;
}

export interface Validated {
  /** The validated frame: NaN and ±inf values are nulls, text columns filled, invalid timestamps removed. */
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
const BLANK = /^\s+$/;

/** `x` with NaN (and ±inf when `finite`) turned into null, the engine's missing value (pandas' NaN). */
export function missingAsNull(x: Expr, finite: boolean): Expr {
  return when(finite ? x.abs().lt(Infinity) : x.eq(x)).then(x).otherwise(lit(null));
}

/** The effective weight column: the name when it is a column of the frame, else "" (unweighted; spec §4 step 6). */
export function effectiveWeight(columns: readonly string[], weightColumn: string): string {
  return weightColumn !== "" && columns.includes(weightColumn) ? weightColumn : "";
}

/** A column is empty when every value is null (NaN for floats) or whitespace-only text ("" is not empty). */
async function emptyColumns(raw: RawInput, rows: number, nonNull: ReadonlyMap<string, number>): Promise<Set<string>> {
  const out = new Set<string>();
  for (const f of raw.fields) {
    if (EXEMPT.has(f.name)) continue;
    const n = nonNull.get(f.name) ?? 0;
    if (n === 0) { out.add(f.name); continue; }
    if (f.type !== "utf8") continue;
    // Text: empty only if every distinct non-null value is blank; the first non-blank value decides.
    const probe = await raw.frame.select(f.name).filter(col(f.name).isNotNull()).unique().limit(64).collect();
    const values = Array.from(probe.getChild(f.name)!, (v) => String(v));
    if (values.every((v) => BLANK.test(v))) {
      const all = values.length < 64 ? values : Array.from((await raw.frame.select(f.name).filter(col(f.name).isNotNull()).unique().collect()).getChild(f.name)!, (v) => String(v));
      if (all.every((v) => BLANK.test(v))) out.add(f.name);
    }
  }
  void rows;
  return out;
}

/** The timestamp as epoch ms (temporal types converted), missing ones filled. */
function timestampExpr(f: Field, fill: number): Expr {
  if (f.type === "utf8" || f.type === "bool") throw new PlanError("CAUSEMOS_BAD_COLUMN_TYPE", `column "timestamp" must hold epoch milliseconds (a number), it is ${f.type}`, { column: "timestamp", type: f.type });
  const ms = isTemporal(f.type) ? col("timestamp").cast("timestamp[ms]").cast("int64") : col("timestamp");
  return ms.fillNull(lit(fill)).alias("timestamp");
}

/** Validates the raw frame (spec §4 steps 1–9) and counts what the counters count. Runs two small queries. */
export async function validate(raw: RawInput, fillTimestamp: number, weightColumn: string): Promise<Validated> {
  const byName = new Map(raw.fields.map((f) => [f.name, f]));
  if (weightColumn !== "" && !byName.has(weightColumn)) {
    throw new PlanError("CAUSEMOS_WEIGHT_COLUMN_NOT_FOUND", `weight column "${weightColumn}" is not a column of ${raw.paths.join(", ")}; available columns: ${raw.fields.map((f) => f.name).join(", ")}`, { column: weightColumn });
  }
  const tsField = byName.get("timestamp") as Field;
  const ts = timestampExpr(tsField, fillTimestamp);
  const value = col("value").cast("float64");
  const stats = await raw.frame.select(
    len().alias("rows"),
    col("timestamp").isNull().sum().fillNull(0).alias("missing_ts"),
    value.eq(value).sum().fillNull(0).alias("valued"),
    ts.cast("float64").gte(MAX_TIMESTAMP_MS).sum().fillNull(0).alias("invalid_ts"),
    ...raw.fields.map((f, i) => (isFloatType(f.type) ? col(f.name).eq(col(f.name)).sum().fillNull(0) : col(f.name).count()).alias(`n${i}`)),
  ).collect();
  const at = (name: string): number => Number(stats.getChild(name)!.get(0) ?? 0);
  const rows = at("rows");
  if (rows === 0) throw new PlanError("CAUSEMOS_EMPTY_INPUT", `DataFrame has no rows: ${raw.paths.join(", ")} hold no rows`, { files: [...raw.paths] });
  const nonNull = new Map(raw.fields.map((f, i) => [f.name, at(`n${i}`)]));
  const counters: Counters = { num_rows: rows, num_missing_ts: at("missing_ts"), num_missing_val: rows - at("valued"), num_invalid_ts: at("invalid_ts") };
  const rawFloatInts = new Set(raw.fields.filter((f) => isIntType(f.type) && (nonNull.get(f.name) ?? 0) < rows).map((f) => f.name));

  const dropped = await emptyColumns(raw, rows, nonNull);
  const kept = raw.fields.filter((f) => !dropped.has(f.name));
  const names = kept.map((f) => f.name);
  const weight = effectiveWeight(names, weightColumn);
  const hasLatLng = names.includes("lat") && names.includes("lng");

  let frame = raw.frame;
  const exprs: Expr[] = [];
  for (const f of kept) {
    const c = col(f.name);
    if (f.name === "timestamp") exprs.push(ts);
    else if (f.name === "feature") exprs.push(f.type === "utf8" ? c : c.cast("utf8").alias("feature"));
    else if (f.name === "value") exprs.push(missingAsNull(value, true).alias("value"));
    else if ((f.name === "lat" || f.name === "lng") && hasLatLng) exprs.push(missingAsNull(c.cast("float64"), false).alias(f.name));
    else if (f.name === "lat" || f.name === "lng") exprs.push(c);
    else if (f.name === weight) exprs.push(f.type === "bool" ? lit(0).cast("float64").alias(f.name) : c.cast("float64").fillNull(0).alias(f.name));
    else {
      const text = await pythonText(raw.frame, f.name, f.type, (nonNull.get(f.name) ?? 0) < rows);
      if ("expr" in text) exprs.push(text.expr);
      else {
        frame = frame.withColumns(c.cast("float64")).join(text.join, { on: f.name, how: "left" });
        exprs.push(col(text.textColumn).fillNull("None").alias(f.name));
      }
    }
  }
  // NaN weights (a float weight column) count as 0 as well.
  let validated = frame.select(...exprs);
  if (weight !== "") validated = validated.withColumns(when(col(weight).eq(col(weight))).then(col(weight)).otherwise(lit(0)).alias(weight));
  validated = await withoutDoubleSlashes(validated, names.filter((n) => (REGION_LEVELS as readonly string[]).includes(n)));
  validated = validated.filter(col("timestamp").cast("float64").lt(MAX_TIMESTAMP_MS));
  return { frame: validated, roles: columnRoles(names, weight), counters, rawFloatInts };
}

/** Deletes every "//" from region names (left to right, non-overlapping), fetching only the values holding one. */
async function withoutDoubleSlashes(frame: LazyFrame, regions: readonly string[]): Promise<LazyFrame> {
  const fixes: Expr[] = [];
  for (const r of regions) {
    const hit = await frame.select(r).filter(col(r).str.contains("//")).unique().collect();
    const values = Array.from(hit.getChild(r)!, (v) => String(v));
    if (values.length === 0) continue;
    let chain = when(col(r).eq(values[0] as string)).then(lit((values[0] as string).split("//").join("")));
    for (const v of values.slice(1)) chain = chain.when(col(r).eq(v)).then(lit(v.split("//").join("")));
    fixes.push(chain.otherwise(col(r)).alias(r));
  }
  return fixes.length === 0 ? frame : frame.withColumns(...fixes);
}
