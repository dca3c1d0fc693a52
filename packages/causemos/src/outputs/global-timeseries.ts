// Global time series (spec §8.1): one global.csv per feature, and per qualifier one pivot table per AGG column.
import { col } from "tessera";
import type { Vector } from "apache-arrow";
import { Float64, Int64, Table, vectorFromArray } from "apache-arrow";
import { csvFromTable } from "tessera";
import { spatial } from "../aggregate/spatial.js";
import type { GroupRenderer } from "../write/fan-out.js";
import { fanOut } from "../write/fan-out.js";
import { KeyTemplate } from "../write/key-template.js";
import { csvRenderer } from "../write/renderers.js";
import type { ResContext } from "./context.js";
import { featuresWith } from "./context.js";

/**
 * A long table (timestamp, q, AGG...) of one feature, sorted by timestamp, as one wide table per AGG column:
 * a row per timestamp, a column per q-value in order of first appearance, an empty cell where a pair has no row.
 * A column with a gap holds floats, so integer counts in it print as `3.0` (Q20).
 */
export function pivot(rows: Table, q: string, column: string): Table {
  const ts = Array.from(rows.getChild("timestamp")!, (v) => v as bigint);
  const qs = Array.from(rows.getChild(q)!, (v) => String(v));
  const values = rows.getChild(column) as Vector;
  const times: bigint[] = [];
  const rowOf = new Map<bigint, number>();
  for (const t of ts) if (!rowOf.has(t)) { rowOf.set(t, times.length); times.push(t); }
  const names: string[] = [];
  const cells = new Map<string, (number | bigint | null)[]>();
  qs.forEach((v, i) => {
    if (!cells.has(v)) { names.push(v); cells.set(v, new Array(times.length).fill(null)); }
    cells.get(v)![rowOf.get(ts[i] as bigint) as number] = values.get(i) as number | bigint | null;
  });
  const isInt = values.type.typeId === new Int64().typeId;
  const columns: Record<string, Vector> = { timestamp: vectorFromArray(times, new Int64()) };
  for (const name of names) {
    const c = cells.get(name)!;
    const gaps = c.includes(null);
    columns[name] = isInt && !gaps ? vectorFromArray(c as bigint[], new Int64()) : vectorFromArray(c.map((x) => (x === null ? null : Number(x))), new Float64());
  }
  return new Table(columns);
}

function pivotRenderer(ctx: ResContext, q: string): GroupRenderer {
  const key = new KeyTemplate("{base}/{res}/{feature}/timeseries/qualifiers/{__q}/{__column}.csv");
  return (rows, values) => ctx.agg.map((c) => ({
    key: key.render({ ...ctx.constants, ...values, __q: q, __column: c }),
    body: csvFromTable(pivot(rows, q, c), { numberFormat: "python" }),
  }));
}

/** Writes the global time series; returns the row count of each feature's global.csv ({res}_timeseries_size). */
export async function globalTimeseries(ctx: ResContext): Promise<Map<string, number>> {
  const w = ctx.roles.weight;
  const g = spatial(ctx.t, ["feature", "timestamp"], ["sum", "mean"], w);
  const key = new KeyTemplate("{base}/{res}/{feature}/timeseries/global/global.csv");
  const r = await fanOut(g, ctx.writer, { partitionBy: ["feature"], orderBy: ["timestamp"], render: csvRenderer(key, ctx.constants, ["timestamp", ...ctx.agg]) });
  const sizes = new Map(r.groups.map((x) => [String(x.values["feature"]), x.rows]));
  for (const q of ctx.q1.columns) {
    const features = featuresWith(ctx.q1, q);
    const gq = spatial(ctx.t.filter(col("feature").isIn(features)), ["feature", "timestamp", q], ["sum", "mean"], w);
    await fanOut(gq, ctx.writer, { partitionBy: ["feature"], orderBy: ["timestamp", q], render: pivotRenderer(ctx, q) });
  }
  return sizes;
}
