// Metadata outputs (spec §5): raw.csv per feature, region lists, qualifier value lists and counts.
import type { JsonValue, LazyFrame } from "tessera";
import { col, formatJson, len } from "tessera";
import type { Vector } from "apache-arrow";
import { REGION_LEVELS } from "../columns.js";
import type { ColumnRoles } from "../columns.js";
import type { RawInput } from "../input/read-input.js";
import type { QualifierThresholds } from "../params.js";
import { fanOut } from "../write/fan-out.js";
import { KeyTemplate, safeKey } from "../write/key-template.js";
import type { ObjectWriter } from "../write/object-writer.js";
import { csvRenderer } from "../write/renderers.js";
import type { QualifierCounts } from "./qualifier-thresholds.js";
import { regionId } from "./region-ids.js";

export interface Metadata {
  /** Rows per non-null feature of the raw frame (every feature, whether or not its raw.csv was written). */
  readonly numRowsPerFeature: ReadonlyMap<string, number>;
  /** Non-null features of the validated frame. */
  readonly features: readonly string[];
  readonly counts: QualifierCounts;
  /** Distinct region-column tuples of the validated frame's rows (with a feature), for region ids. */
  readonly regionTuples: readonly Record<string, string>[];
}

const utf8 = new TextEncoder();
const json = (v: JsonValue): Uint8Array => utf8.encode(formatJson(v, { numberFormat: "python" }));
const strings = (v: Vector | null): string[] => (v === null ? [] : Array.from(v, (x) => String(x)));

/** Integers as bigints, so they print as Python ints (the thresholds object is copied as given). */
export function intsAsBigints(v: unknown): JsonValue {
  if (typeof v === "number") return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(intsAsBigints);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, intsAsBigints(x)]));
  return v as JsonValue;
}

/** raw.csv of every feature with at most `threshold` rows: the raw rows, all columns but feature, as read (Q8, Q23). */
async function writeRawCsv(raw: RawInput, rawFloatInts: ReadonlySet<string>, perFeature: ReadonlyMap<string, number>, threshold: number, base: string, writer: ObjectWriter): Promise<void> {
  const small = [...perFeature].filter(([, n]) => n <= threshold).map(([f]) => f);
  if (small.length === 0) return;
  const feature = col("feature").cast("utf8");
  const columns = raw.fields.filter((f) => f.name !== "feature").map((f) => f.name);
  const frame = raw.frame.filter(feature.isIn(small)).select(
    feature.alias("__feature"),
    ...columns.map((c) => (rawFloatInts.has(c) ? col(c).cast("float64").alias(c) : col(c))),
  );
  const key = new KeyTemplate(`${base}/raw/{__feature}/raw/raw.csv`);
  await fanOut(frame, writer, { partitionBy: ["__feature"], render: csvRenderer(key, {}, columns) });
}

/**
 * Writes the metadata objects under `base` (= `{model_id}/{run_id}`) and returns what later steps need. `validated`
 * is the validated frame before the silent drop: its lists include rows later dropped for NaN coordinates.
 */
export async function writeMetadata(raw: RawInput, rawFloatInts: ReadonlySet<string>, validated: LazyFrame, roles: ColumnRoles,
  thresholds: QualifierThresholds, rawCountThreshold: number, base: string, writer: ObjectWriter): Promise<Metadata> {
  const rawFeature = col("feature").cast("utf8");
  const perFeatureT = await raw.frame.filter(rawFeature.isNotNull()).groupBy(rawFeature.alias("feature")).agg(len().alias("n")).collect();
  const names = strings(perFeatureT.getChild("feature"));
  const ns = Array.from(perFeatureT.getChild("n")!.toArray() as BigInt64Array, Number);
  const numRowsPerFeature = new Map(names.map((f, i) => [f, ns[i] as number]));
  await writeRawCsv(raw, rawFloatInts, numRowsPerFeature, rawCountThreshold, base, writer);

  const withFeature = validated.filter(col("feature").isNotNull());
  const features = strings((await withFeature.select("feature").unique().collect()).getChild("feature"));

  // Region lists: distinct ids at each depth, by position (Q13), in order of first appearance.
  const tuplesT = roles.regions.length === 0 ? null : await withFeature.select("feature", ...roles.regions).unique().collect();
  const regionTuples: Record<string, string>[] = [];
  const tuplesByFeature = new Map<string, Record<string, string>[]>();
  if (tuplesT !== null) {
    const cols = ["feature", ...roles.regions].map((c) => strings(tuplesT.getChild(c)));
    for (let i = 0; i < tuplesT.numRows; i++) {
      const t: Record<string, string> = {};
      roles.regions.forEach((r, k) => { t[r] = cols[k + 1]![i] as string; });
      regionTuples.push(t);
      const f = cols[0]![i] as string;
      if (!tuplesByFeature.has(f)) tuplesByFeature.set(f, []);
      tuplesByFeature.get(f)!.push(t);
    }
    for (const f of features) {
      const lists: Record<string, string[]> = Object.fromEntries(REGION_LEVELS.map((l) => [l, [] as string[]]));
      for (let depth = 0; depth < roles.regions.length; depth++) {
        const ids = new Set((tuplesByFeature.get(f) ?? []).map((t) => regionId(depth, roles.regions, (c) => t[c] as string)));
        lists[REGION_LEVELS[depth] as string] = [...ids];
      }
      await writer.put(safeKey(`${base}/raw/${f}/info/region_lists.json`), json(lists));
    }
  }

  // Qualifier value lists (every qualifier column, whatever qualifier_map says) and counts (always written).
  const counts: Record<string, Record<string, number>> = Object.fromEntries(features.map((f) => [f, {}]));
  for (const q of roles.qualifiers) {
    const t = await withFeature.select("feature", q).unique().collect();
    const fs = strings(t.getChild("feature"));
    const vs = strings(t.getChild(q));
    const byFeature = new Map<string, string[]>();
    fs.forEach((f, i) => { if (!byFeature.has(f)) byFeature.set(f, []); byFeature.get(f)!.push(vs[i] as string); });
    for (const [f, values] of byFeature) {
      (counts[f] ??= {})[q] = values.length;
      await writer.put(safeKey(`${base}/raw/${f}/info/qualifiers/${q}.json`), json(values));
    }
  }
  for (const f of features) {
    const c = Object.fromEntries(Object.entries(counts[f] ?? {}).map(([q, n]) => [q, BigInt(n)]));
    await writer.put(safeKey(`${base}/raw/${f}/info/qualifier_counts.json`), json({ thresholds: intsAsBigints(thresholds), counts: c }));
  }
  return { numRowsPerFeature, features, counts, regionTuples };
}
