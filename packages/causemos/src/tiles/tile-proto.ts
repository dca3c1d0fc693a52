// The Causemos map tile (protobuf `tiles.Tile`): encoding through protobufjs, decoding for comparisons and readers.
import protobuf from "protobufjs";
import type { TileContent, TileEncoder } from "tessera";
import { PlanError } from "tessera";

/** The wire schema the Causemos API server reads (wm-proto `tiles`). Field names are kept as written. */
export const TILE_PROTO = `
syntax = "proto3";
package tiles;
message TileStats {
  uint64 count = 1;
  double sum = 2;
  double avg = 3;
  double s_sum_t_sum = 4;
  double s_sum_t_mean = 5;
  double weight = 6;
}
message TileBins {
  map<uint32, TileStats> stats = 1;
  uint32 totalBins = 2;
}
message TileCoord {
  uint32 x = 1;
  uint32 y = 2;
  uint32 z = 3;
  int64 t = 4;
}
message Tile {
  TileCoord coord = 1;
  TileBins bins = 2;
}
`;

const TILE = protobuf.parse(TILE_PROTO, { keepCase: true }).root.lookupType("tiles.Tile");

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

/** The values a Causemos tile carries per bin, by their names in TileContent.values. */
export const TILE_VALUES = ["s_sum_t_sum", "s_sum_t_mean", "weight"] as const;

/**
 * Encodes a tile of 4^binLevel bins: per bin `s_sum_t_sum`, `s_sum_t_mean` and `weight` (the point count) from
 * `tile.values`. Tiles have non-negative coordinates (uint32 on the wire); the legacy fields stay unset.
 */
export function encodeCausemosTile(tile: TileContent): Uint8Array {
  const where = `tile ${tile.z}/${tile.x}/${tile.y}`;
  if (tile.x < 0 || tile.y < 0 || tile.z < 0) throw new PlanError("CAUSEMOS_BAD_TILE", `${where}: coordinates must be non-negative`);
  const cols = TILE_VALUES.map((name) => {
    const c = tile.values[name];
    if (c === undefined || c.length !== tile.bins.length) throw new PlanError("CAUSEMOS_BAD_TILE", `${where}: value "${name}" is missing or not one per bin`);
    return c;
  });
  const [sumSum, sumMean, weight] = cols as [Float64Array, Float64Array, Float64Array];
  const stats: Record<number, { s_sum_t_sum: number; s_sum_t_mean: number; weight: number }> = {};
  for (let i = 0; i < tile.bins.length; i++) {
    stats[tile.bins[i] as number] = { s_sum_t_sum: sumSum[i] as number, s_sum_t_mean: sumMean[i] as number, weight: weight[i] as number };
  }
  const message = { coord: { x: tile.x, y: tile.y, z: tile.z }, bins: { stats, totalBins: 4 ** tile.binLevel } };
  return TILE.encode(message).finish();
}

/** The Causemos protobuf as a TileEncoder (objects named `….tile`). */
export const causemosTileEncoder: TileEncoder = { extension: "tile", encode: encodeCausemosTile };

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
