// The Causemos map tile (protobuf `tiles.Tile`) encoder: the module the workers load for tile sinks (protobufjs, no engine).
import protobuf from "protobufjs";
import type { TileContent, TileEncoder } from "tessera";
import { ExecutionError } from "tessera";

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

/** The Tile message type (shared with the decoder). */
export const TILE = protobuf.parse(TILE_PROTO, { keepCase: true }).root.lookupType("tiles.Tile");

/** The values a Causemos tile carries per bin, by their names in TileContent.values. */
export const TILE_VALUES = ["s_sum_t_sum", "s_sum_t_mean", "weight"] as const;

/**
 * Encodes a tile of 4^binLevel bins: per bin `s_sum_t_sum`, `s_sum_t_mean` and `weight` (the point count) from
 * `tile.values`. Tiles have non-negative coordinates (uint32 on the wire); the legacy fields stay unset.
 */
export function encodeCausemosTile(tile: TileContent): Uint8Array {
  const where = `tile ${tile.z}/${tile.x}/${tile.y}`;
  if (tile.x < 0 || tile.y < 0 || tile.z < 0) throw new ExecutionError("CAUSEMOS_BAD_TILE", `${where}: coordinates must be non-negative`);
  const cols = TILE_VALUES.map((name) => {
    const c = tile.values[name];
    if (c === undefined || c.length !== tile.bins.length) throw new ExecutionError("CAUSEMOS_BAD_TILE", `${where}: value "${name}" is missing or not one per bin`);
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

/** The Causemos protobuf as a TileEncoder (objects named `….tile`); tile sinks name it "@tessera/causemos/tile-encoder#causemosTileEncoder". */
export const causemosTileEncoder: TileEncoder = { extension: "tile", encode: encodeCausemosTile };

/** The reference a tile sink gives its workers for this encoder. */
export const CAUSEMOS_TILE_ENCODER = "@tessera/causemos/tile-encoder#causemosTileEncoder";
