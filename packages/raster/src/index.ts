// @tessera/raster: the grid model, raster chunks and their codec, GeoTIFF reading, band math, warping, zonal
// statistics, conversions to and from rows, and COG and tile output, as pure functions over typed arrays.

// Grid model.
export type { Affine } from "./grid/affine.js";
export { applyAffine, invertAffine, offsetAffine, scaleAffine, pointToAreaAffine, isNorthUp, affineEquals } from "./grid/affine.js";
export type { Grid, Bounds } from "./grid/grid.js";
export { makeGrid, gridFromBounds, windowGrid, gridBounds, gridsEqual, fullWindow } from "./grid/grid.js";
export type { Window } from "./grid/window.js";
export {
  makeWindow, windowIsEmpty, windowPixels, intersectWindows, expandWindow, windowContains, windowsEqual, windowAround,
} from "./grid/window.js";
export type { BlockShape } from "./grid/chunking.js";
export { chunkShape, chunkWindows, blocksOfWindow } from "./grid/chunking.js";
export type { PixelMapper, PixelBox } from "./grid/halo.js";
export { mappedBox, sourceWindowFor } from "./grid/halo.js";

// Chunks.
export type { RasterDType, BandArray } from "./chunk/band-array.js";
export {
  BAND_ARRAYS, RASTER_DTYPES, isRasterDType, allocBand, allocMask, isShared, shareArray, bytesPerPixel, dtypeOfBand, isFloatDType, fitsDType,
} from "./chunk/band-array.js";
export type { RasterChunk, ChunkParts } from "./chunk/raster-chunk.js";
export {
  makeChunk, isRasterChunk, shareChunk, blankChunk, chunkDType, chunkBytes, chunkTransferables, bandIndex, cropChunk, mosaicChunks,
} from "./chunk/raster-chunk.js";
export type { DecodeChunkOptions } from "./chunk/chunk-codec.js";
export { encodeChunk, decodeChunk } from "./chunk/chunk-codec.js";

// Reading GeoTIFF / COG.
export type { RasterMeta, RasterLevel } from "./read/open-tiff.js";
export { readRasterMeta } from "./read/open-tiff.js";
export type { ReadChunkArgs } from "./read/read-chunk.js";
export { readRasterChunk } from "./read/read-chunk.js";
export { validityOf } from "./read/validity.js";
export { parseNodata } from "./read/geokeys.js";
export type { StackItem, StackMeta } from "./read/stack.js";
export { readStackMeta, readStackChunk } from "./read/stack.js";

// Band math and reductions.
export type { BandMathArgs } from "./math/band-math.js";
export { bandMath, bandMathBands, chunkToBatch } from "./math/band-math.js";
export type { Expansion } from "./math/exact-sum.js";
export { expansionAdd, expansionMerge, expansionRound, expansionToDD } from "./math/exact-sum.js";
export type { ReduceState, ReduceStats, BandRegion } from "./math/reduce-state.js";
export { emptyReduceState, reduceAdd, reduceBand, reduceMerge, reduceFinalize } from "./math/reduce-state.js";
export type { SpacePartial } from "./math/reduce-space.js";
export { reduceSpacePartial, reduceSpaceMerge, reduceSpaceFinalize, reduceSpaceRows } from "./math/reduce-space.js";
export type { PixelStat } from "./math/reduce-time.js";
export { PIXEL_STATS, reduceTimePartial, reduceTimeMerge, reduceTimeFinalize } from "./math/reduce-time.js";

// Warping: regrid and reproject.
export type { CoordTransform } from "./warp/crs.js";
export { crsTransform, sameCrs } from "./warp/crs.js";
export type { Resampling } from "./warp/resampling.js";
export { RESAMPLING, checkResampling, kernelReach } from "./warp/resampling.js";
export { warpMapper } from "./warp/pixel-mapper.js";
export type { WarpTask } from "./warp/warp-plan.js";
export { warpScale, planWarp } from "./warp/warp-plan.js";
export type { WarpArgs } from "./warp/warp-chunk.js";
export { warpChunk } from "./warp/warp-chunk.js";
export { suggestGrid } from "./warp/suggest-grid.js";

// Zonal statistics.
export type { PixelZone } from "./zonal/zones.js";
export { zonesFromGeoJson, zonesToPixels, zoneWindow } from "./zonal/zones.js";
export type { ZoneRule } from "./zonal/burn-zone.js";
export { burnZone } from "./zonal/burn-zone.js";
export type { ZonalArgs, ZonalPartialRow, ZonalStat } from "./zonal/zonal-stats.js";
export { ZONAL_STATS, zonesPerChunk, chunksUnderZones, zonalPartial, zonalMerge, zonalFinalize } from "./zonal/zonal-stats.js";

// Conversions between cells and rows.
export type { ToRowsArgs } from "./convert/to-rows.js";
export { chunkToRows } from "./convert/to-rows.js";
export type { RasterizeAgg, RasterizeArgs, RowWindowArgs } from "./convert/rasterize-rows.js";
export { RASTERIZE_AGGS, rasterizePartial, rasterizeMerge, rasterizeFinalize, splitRowsByWindow, windowCount } from "./convert/rasterize-rows.js";

// Output: COG and tiles.
export type { CogOptions } from "./write/cog.js";
export { encodeCog } from "./write/cog.js";
export type { Predictor } from "./write/tile-encode.js";
export type { TileId } from "./write/web-mercator-tiles.js";
export { MERCATOR_HALF_WORLD, mercatorTileBounds, mercatorTileGrid, mercatorBlockGrid, tileRange, tilesCovering, tileKey } from "./write/web-mercator-tiles.js";
export type { TileTask, TilePlanOptions } from "./write/tile-plan.js";
export { planTiles } from "./write/tile-plan.js";
export type { Colormap } from "./write/tile-encode-image.js";
export { encodeTileF32, encodeTilePng, colorOf, checkColormap } from "./write/tile-encode-image.js";
export { geoTags } from "./write/geo-tags.js";
export type { TileFile, TileManifest } from "./write/tile-pyramid.js";
export { makeTileManifest, verifyTiles, readTileManifest, retractTiles, publishTiles } from "./write/tile-pyramid.js";
