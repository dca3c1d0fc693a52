// Metadata outputs (spec §5): raw.csv per feature, region lists, qualifier value lists and counts.
import type { ExecOptions, JsonValue, LazyFrame, LazySink } from "tessera";
import { col, concat, len, lit } from "tessera";
import type { Vector } from "apache-arrow";
import { REGION_LEVELS } from "../columns.js";
import type { ColumnRoles } from "../columns.js";
import type { RawInput } from "../input/read-input.js";
import type { QualifierThresholds } from "../params.js";
import { ROW } from "../validate/validate.js";
import { putJson } from "../write/objects.js";
import type { QualifierCounts } from "./qualifier-thresholds.js";
import { levelsByPosition, regionIdExpr } from "./region-ids.js";

export interface Metadata {
  /** Rows per non-null feature of the raw frame (every feature, whether or not its raw.csv was written). */
  readonly numRowsPerFeature: ReadonlyMap<string, number>;
  /** Non-null features of the validated frame. */
  readonly features: readonly string[];
  readonly counts: QualifierCounts;
  /** The metadata objects the workers write (raw.csv, region lists, qualifier lists), to run with the first job. */
  readonly sinks: readonly LazySink[];
  /** Writes the qualifier_counts.json objects (small run-level summaries the client renders); returns their bytes. */
  writeCounts(root: string): Promise<number>;
  /** Frees what the sinks read from the workers' memory (after they ran). */
  release(): Promise<void>;
}

const strings = (v: Vector | null): string[] => (v === null ? [] : Array.from(v, (x) => String(x)));
const FIRST = "first";

/** Integers as bigints, so they print as Python ints (the thresholds object is copied as given). */
export function intsAsBigints(v: unknown): JsonValue {
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(intsAsBigints);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, intsAsBigints(x)]));
  return v as JsonValue;
}

/** raw.csv of every feature with at most `threshold` rows: the raw rows, all columns but feature, as read (Q8, Q23). */
function rawCsv(raw: RawInput, rawFloatInts: ReadonlySet<string>, small: readonly string[], root: string): LazySink[] {
  if (small.length === 0) return [];
  const feature = col("feature").cast("utf8");
  const columns = raw.fields.filter((f) => f.name !== "feature").map((f) => f.name);
  const frame = raw.frame.filter(feature.isIn([...small])).select(
    feature.alias("__feature"),
    ...columns.map((c) => (rawFloatInts.has(c) ? col(c).cast("float64").alias(c) : col(c))),
  );
  return [frame.sinkObjects(root, { path: "raw/{__feature:levels}/raw/raw.csv", columns, numberFormat: "python", commit: null, lazy: true })];
}

/**
 * The metadata of a run under `root`. `combos` (feature, region and qualifier columns, FIRST: the first raw row of
 * each distinct combination, over the validated rows before the silent drop) feeds the region lists, the qualifier
 * lists and counts; lists keep the order of first appearance (spec §5.2, §5.3).
 */
export async function metadata(raw: RawInput, rawFloatInts: ReadonlySet<string>, validated: LazyFrame, roles: ColumnRoles,
  thresholds: QualifierThresholds, rawCountThreshold: number, root: string, opts: ExecOptions): Promise<Metadata> {
  const rawFeature = col("feature").cast("utf8");
  const perFeatureT = await raw.frame.filter(rawFeature.isNotNull()).groupBy(rawFeature.alias("feature")).agg(len().alias("n")).collect(opts);
  const names = strings(perFeatureT.getChild("feature"));
  const ns = Array.from(perFeatureT.getChild("n")!.toArray() as BigInt64Array, Number);
  const numRowsPerFeature = new Map(names.map((f, i) => [f, ns[i] as number]));
  const small = names.filter((f) => (numRowsPerFeature.get(f) ?? 0) <= rawCountThreshold);

  const combos = await validated.filter(col("feature").isNotNull())
    .groupBy("feature", ...roles.regions, ...roles.qualifiers).agg(col(ROW).min().alias(FIRST)).persist(opts);
  const features = strings((await combos.select("feature").unique().collect(opts)).getChild("feature"));
  const sinks = rawCsv(raw, rawFloatInts, small, root);

  // Region lists: distinct ids at each depth, by position (Q13), in order of first appearance; no region columns, no file (Q22).
  if (roles.regions.length > 0) {
    const ids = concat(levelsByPosition(roles.regions).map((l) => combos.select(col("feature"), lit(l.name).alias("level"), regionIdExpr(l.depth, roles.regions).alias("id"), col(FIRST))))
      .groupBy("feature", "level", "id").agg(col(FIRST).min().alias(FIRST));
    sinks.push(ids.sinkObjects(root, {
      path: "raw/{feature:levels}/info/region_lists.json", columns: ["id"], orderBy: FIRST, numberFormat: "python", commit: null, lazy: true,
      json: { nest: ["level"], nestKeys: { level: [...REGION_LEVELS] }, leaf: "values" },
    }));
  }

  // Qualifier value lists, for every qualifier column whatever qualifier_map says; their lengths are the counts.
  const counts: Record<string, Record<string, number>> = Object.fromEntries(features.map((f) => [f, {}]));
  const held: LazyFrame[] = [];
  if (roles.qualifiers.length > 0) {
    const values = await concat(roles.qualifiers.map((q) => combos.groupBy("feature", q).agg(col(FIRST).min().alias(FIRST))
      .select(col("feature"), lit(q).alias("__q"), col(q).alias("value"), col(FIRST)))).persist(opts);
    held.push(values);
    const n = await values.groupBy("feature", "__q").agg(len().alias("n")).collect(opts);
    const fs = strings(n.getChild("feature")), qs = strings(n.getChild("__q"));
    const cs = Array.from(n.getChild("n")!.toArray() as BigInt64Array, Number);
    fs.forEach((f, i) => { (counts[f] ??= {})[qs[i] as string] = cs[i] as number; });
    sinks.push(values.sinkObjects(root, {
      path: "raw/{feature:levels}/info/qualifiers/{__q:levels}.json", columns: ["value"], orderBy: FIRST, numberFormat: "python", commit: null, lazy: true,
      json: { leaf: "values" },
    }));
  }
  held.push(combos);

  const writeCounts = async (r: string): Promise<number> => {
    const bytes = await Promise.all(features.map((f) => {
      // Counts in qualifier column order, as the original's loop over the columns builds them.
      const c = Object.fromEntries(roles.qualifiers.filter((q) => counts[f]?.[q] !== undefined).map((q) => [q, BigInt(counts[f]![q]!)]));
      return putJson(r, `raw/${f}/info/qualifier_counts.json`, { thresholds: intsAsBigints(thresholds), counts: c });
    }));
    return bytes.reduce((a, b) => a + b, 0);
  };
  const release = async (): Promise<void> => { for (const h of held) await h.release(); };
  return { numRowsPerFeature, features, counts, sinks, writeCounts, release };
}
