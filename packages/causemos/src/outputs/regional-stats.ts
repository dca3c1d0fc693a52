// Regional extrema (spec §8.2): per feature and level, the rows at each AGG− column's min and max, latest first, ≤ 20.
import type { JsonValue, LazyFrame } from "tessera";
import { col, concat, formatJson, lit } from "tessera";
import type { Vector } from "apache-arrow";
import { normalisedTimestamp } from "../aggregate/temporal.js";
import { idColumns, levelsByPosition, regionId } from "../metadata/region-ids.js";
import { safeKey } from "../write/key-template.js";
import type { ResContext } from "./context.js";
import type { RegionalFrames } from "./regional-frames.js";

/** At most this many rows per extrema list (Q21). */
export const EXTREMA_LIMIT = 20;

interface Candidate {
  readonly regionId: string;
  readonly timestamp: bigint;
  readonly value: number;
}

/**
 * Rows whose column equals its feature-wide min or max, as one frame (feature, kind, column, region_id, timestamp,
 * value). A top-k per group composed from verbs: per-feature extremes, a join back, one filter per (column, kind).
 */
function candidates(r: LazyFrame, columns: readonly string[]): LazyFrame {
  const ext = r.groupBy("feature").agg(...columns.flatMap((c) => [col(c).min().alias(`${c}__min`), col(c).max().alias(`${c}__max`)]));
  const joined = r.join(ext, { on: "feature" });
  return concat(columns.flatMap((c) => (["min", "max"] as const).map((kind) => joined
    .filter(col(c).eq(col(`${c}__${kind}`)))
    .select(col("feature"), lit(kind).alias("kind"), lit(c).alias("column"), col("region_id"), col("timestamp"), col(c).cast("float64").alias("value")))));
}

/**
 * The first `EXTREMA_LIMIT` of one list sorted by timestamp descending. When rows tie at the cut-off timestamp, the
 * survivors are those whose (feature, timestamp, region) first occurs earliest in the validated rows (Q21): `order`
 * fetches that order, only when needed.
 */
async function keepFirst(list: readonly Candidate[], order: (timestamp: bigint) => Promise<Map<string, number>>): Promise<Candidate[]> {
  if (list.length <= EXTREMA_LIMIT) return [...list];
  const cut = (list[EXTREMA_LIMIT - 1] as Candidate).timestamp;
  const before = list.filter((c) => c.timestamp > cut);
  const tied = list.filter((c) => c.timestamp === cut);
  const room = EXTREMA_LIMIT - before.length;
  if (tied.length <= room) return [...before, ...tied];
  const rank = await order(cut);
  const sorted = [...tied].sort((a, b) => (rank.get(a.regionId) ?? Infinity) - (rank.get(b.regionId) ?? Infinity));
  return [...before, ...sorted.slice(0, room)];
}

/** First-appearance rank of each region id (at `depth`) among one feature's validated rows at one timestamp. */
async function firstAppearance(ctx: ResContext, feature: string, timestamp: bigint, depth: number): Promise<Map<string, number>> {
  const cols = idColumns(depth, ctx.roles.regions);
  const rows = await ctx.keyed.withColumns(normalisedTimestamp(ctx.res))
    .filter(col("feature").eq(feature).and(col("timestamp").eq(timestamp)))
    .select(...cols).collect();
  const values = cols.map((c) => Array.from(rows.getChild(c) as Vector, (v) => String(v)));
  const rank = new Map<string, number>();
  for (let i = 0; i < rows.numRows; i++) {
    const id = regionId(depth, ctx.roles.regions, (c) => values[cols.indexOf(c)]![i] as string);
    if (!rank.has(id)) rank.set(id, rank.size);
  }
  return rank;
}

/** Writes extrema.json for every feature at every level (levels and ids by position). */
export async function regionalStats(ctx: ResContext, frames: RegionalFrames): Promise<void> {
  const columns = ctx.agg.filter((c) => c !== "s_count");
  for (const level of levelsByPosition(ctx.roles.regions)) {
    const r = await frames.at(level.depth);
    const features = Array.from((await r.select("feature").unique().collect()).getChild("feature") as Vector, (v) => String(v));
    const t = await candidates(r, columns).sort(["feature", "kind", "column", "timestamp"], { descending: [false, false, false, true] }).collect();
    const [fs, ks, cs, ids, ts, vs] = ["feature", "kind", "column", "region_id", "timestamp", "value"].map((n) => Array.from(t.getChild(n) as Vector));
    const lists = new Map<string, Candidate[]>();
    for (let i = 0; i < t.numRows; i++) {
      const k = `${String(fs![i])}\u0000${String(ks![i])}\u0000${String(cs![i])}`;
      if (!lists.has(k)) lists.set(k, []);
      lists.get(k)!.push({ regionId: String(ids![i]), timestamp: ts![i] as bigint, value: vs![i] as number });
    }
    for (const f of features) {
      const body: Record<string, Record<string, JsonValue>> = { min: {}, max: {} };
      for (const kind of ["min", "max"] as const) {
        for (const c of columns) {
          const kept = await keepFirst(lists.get(`${f}\u0000${kind}\u0000${c}`) ?? [], (ts) => firstAppearance(ctx, f, ts, level.depth));
          body[kind]![c] = kept.map((x) => ({ region_id: x.regionId, timestamp: x.timestamp, value: x.value }));
        }
      }
      const key = safeKey(`${ctx.constants["base"]}/${ctx.res}/${f}/regional/${level.name}/stats/default/extrema.json`);
      await ctx.writer.put(key, new TextEncoder().encode(formatJson(body, { numberFormat: "python" })));
    }
  }
}
