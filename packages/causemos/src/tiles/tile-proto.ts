// The Causemos map tile (protobuf `tiles.Tile`): decoding for comparisons and readers; encoding is tile-encoder.ts.
import { PlanError } from "tessera";
import { TILE } from "./tile-encoder.js";

/** One bin as decoded; absent fields are 0 (proto3). */
export interface TileBinStats {
  readonly count: number;
  readonly sum: number;
  readonly avg: number;
  readonly s_sum_t_sum: number;
  readonly s_sum_t_mean: number;
  readonly weight: number;
}

export interface DecodedTile {
  readonly coord: { readonly x: number; readonly y: number; readonly z: number; readonly t: number };
  readonly totalBins: number;
  readonly bins: ReadonlyMap<number, TileBinStats>;
}

const toNumber = (v: unknown): number => (v === undefined || v === null ? 0 : typeof v === "number" ? v : Number(String(v)));

/** Decodes tile bytes; throws a PlanError naming `name` when they are not a Tile message. */
export function decodeCausemosTile(bytes: Uint8Array, name = "tile"): DecodedTile {
  let msg: protobuf.Message;
  try {
    msg = TILE.decode(bytes);
  } catch (e) {
    throw new PlanError("CAUSEMOS_BAD_TILE", `${name}: not a Causemos tile (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = TILE.toObject(msg, { longs: String, defaults: true }) as {
    coord?: Record<string, unknown>;
    bins?: { stats?: Record<string, Record<string, unknown>>; totalBins?: unknown };
  };
  const c = o.coord ?? {};
  const bins = new Map<number, TileBinStats>();
  for (const [k, s] of Object.entries(o.bins?.stats ?? {})) {
    bins.set(Number(k), {
      count: toNumber(s["count"]), sum: toNumber(s["sum"]), avg: toNumber(s["avg"]),
      s_sum_t_sum: toNumber(s["s_sum_t_sum"]), s_sum_t_mean: toNumber(s["s_sum_t_mean"]), weight: toNumber(s["weight"]),
    });
  }
  return { coord: { x: toNumber(c["x"]), y: toNumber(c["y"]), z: toNumber(c["z"]), t: toNumber(c["t"]) }, totalBins: toNumber(o.bins?.totalBins), bins };
}
