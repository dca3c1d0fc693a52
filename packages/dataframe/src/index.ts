// @tessera/dataframe: the LazyFrame and LazyRaster facades, sources and sinks; terminals run on a Client
// (@tessera/client).
export { LazyFrame, GroupBy, concat } from "./lazy-frame.js";
export type { JoinOptions, SortOptions, PivotOptions } from "./lazy-frame.js";
export type { FanOutOptions, SinkObjectsOptions, SinkTilesOptions, ObjectsWriteResult } from "./sink-objects.js";
export { LazySink, sinkAll } from "./sink-objects.js";
export { scanParquet, scanCsv, fromArrow, fromColumns } from "./sources.js";
export type { ScanParquetOptions, ScanCsvOptions } from "./sources.js";
export type { WriteResult, SinkParquetOptions, SinkCsvOptions } from "./sink.js";
export type { ExecOptions } from "./execute.js";
export { preparePlan, physicalPlan, runGraph } from "./execute.js";
export { terminalProgress, formatProgress } from "./progress.js";
export { tileBins } from "./tile-bins.js";
export type { TileBinsOptions } from "./tile-bins.js";
export { LazyRaster } from "./lazy-raster.js";
export type { ZonalStatsOptions } from "./lazy-raster.js";
export { openRaster, openRasterStack, rasterize, DEFAULT_CHUNK_SIZE } from "./raster-sources.js";
export type { OpenRasterOptions, RasterizeOptions } from "./raster-sources.js";
export { RasterResult } from "./raster-result.js";
export type { SinkGeoTiffOptions, SinkRasterTilesOptions, GeoTiffWriteResult, TilesWriteResult } from "./raster-execute.js";
