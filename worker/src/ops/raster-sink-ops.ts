// Raster outputs: a Cloud-Optimized GeoTIFF encoded from every chunk and put in one write; z/x/y tiles written in
// place, then checked by a commit task that returns the pyramid's manifest (the client publishes it last).
import { ExecutionError } from "@tessera/common";
import { joinUrl, storeFor } from "@tessera/io";
import type { CogArgs, CogResult, TileArgs, TileCommitArgs, TileWritten } from "@tessera/ops";
import { tilePath } from "@tessera/ops";
import type { RasterChunk, TileManifest } from "@tessera/raster";
import { encodeCog, encodeTileF32, encodeTilePng, fullWindow, isRasterChunk, makeTileManifest, mosaicChunks, verifyTiles } from "@tessera/raster";
import type { OpHandlers } from "./op-descriptor.js";

function chunks(inputs: readonly unknown[], what: string): RasterChunk[] {
  return inputs.map((x, i) => {
    if (!isRasterChunk(x)) throw new ExecutionError("BAD_INPUT", `${what} takes raster chunks; input ${i} is not one`);
    return x;
  });
}

/**
 * The chunks mosaicked onto the whole grid, encoded as a COG and put at `url` in one write (a put is atomic on every
 * store): the file is there whole, or the one that was there before is.
 */
async function rasterCog(a: CogArgs, inputs: readonly unknown[]): Promise<CogResult> {
  const parts = chunks(inputs, "a GeoTIFF sink");
  if (parts.length === 0) throw new ExecutionError("BAD_INPUT", "a GeoTIFF sink needs at least one chunk");
  const whole = mosaicChunks(parts, a.grid, fullWindow(a.grid));
  const o = a.options;
  const bytes = encodeCog(whole, {
    tileSize: o.tileSize, compression: o.compression, level: o.level, overviewResampling: o.overviewResampling,
    ...(o.predictor !== null ? { predictor: o.predictor } : {}), ...(o.overviews !== null ? { overviews: o.overviews } : {}),
  });
  await storeFor(a.url).put(a.url, bytes);
  return { url: a.url, bytes: bytes.byteLength };
}

/** An identity grey ramp for 8-bit bands when no colormap is given. */
const GREY = { stops: [[0, [0, 0, 0]], [255, [255, 255, 255]]] as const };

/** Band `band` of the input (on the tile's grid) encoded and put at url/z/x/y.ext. */
async function rasterTile(a: TileArgs, inputs: readonly unknown[]): Promise<TileWritten> {
  const [c] = chunks(inputs, "a tile writer");
  if (c === undefined) throw new ExecutionError("BAD_INPUT", "a tile writer needs its tile's chunk");
  if (a.band >= c.data.length) throw new ExecutionError("BAD_INPUT", `the tile's chunk has no band ${a.band}`);
  const bytes = a.format === "f32" ? encodeTileF32(c, a.band) : encodeTilePng(c, a.colormap ?? GREY, a.band);
  const path = tilePath(a.tile, a.format);
  const url = joinUrl(a.url, path);
  await storeFor(url).put(url, bytes);
  return { path, bytes: bytes.byteLength };
}

/** Every tile the inputs report exists with its size; returns the manifest for the client to publish. */
async function rasterTileCommit(a: TileCommitArgs, inputs: readonly unknown[]): Promise<TileManifest> {
  const tiles = inputs as TileWritten[];
  await verifyTiles(a.url, tiles);
  return makeTileManifest(a, tiles);
}

export const RASTER_SINK_HANDLERS = {
  "raster-cog": rasterCog,
  "raster-tile": rasterTile,
  "raster-tile-commit": rasterTileCommit,
} satisfies Partial<OpHandlers>;
