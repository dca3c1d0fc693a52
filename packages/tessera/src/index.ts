// tessera: the public API (sources, expressions, LazyFrame, clusters, errors) in one entry point. Importing it starts
// nothing: the default client is made by defaultClient() on the first terminal that runs without a client.
export { scanParquet, scanCsv, fromArrow, fromColumns, concat, LazyFrame, GroupBy, tileBins, LazySink, sinkAll } from "@tessera/dataframe";
export type { TileBinsOptions } from "@tessera/dataframe";
export type { JoinOptions, SortOptions, ScanParquetOptions, ScanCsvOptions, WriteResult, SinkParquetOptions, SinkCsvOptions, ExecOptions } from "@tessera/dataframe";
export type { PivotOptions, FanOutOptions, SinkObjectsOptions, SinkTilesOptions, ObjectsWriteResult } from "@tessera/dataframe";
export type { Client, Progress, RunOptions } from "@tessera/client";
export { col, lit, when, len, corr, Expr, tile, concatStr } from "@tessera/expr";
export type { ExprNode, LitValue } from "@tessera/expr";
export { TesseraError, PlanError, ExecutionError, IoError, ProtocolError, InternalError, isTesseraError } from "@tessera/common";
export type { DType, Field, Schema as TesseraSchema, ErrorCategory } from "@tessera/common";
export { storeFor, csvFromTable, formatJson, formatPythonFloat } from "@tessera/io";
export type { ObjectStore, NumberFormat, WriteCsvOptions, JsonValue, FormatJsonOptions, TileContent, TileEncoder } from "@tessera/io";
export { LocalCluster, parseBytes } from "./local-cluster.js";
export type { LocalClusterOptions } from "./local-cluster.js";
export { InProcessCluster, defaultClient, makeDefaultClient, closeDefaultClient } from "@tessera/cluster";
export type { InProcessClusterOptions } from "@tessera/cluster";
export { connect, RemoteClient } from "@tessera/client";
export type { ConnectOptions } from "@tessera/client";
export { openRaster, openRasterStack, rasterize, LazyRaster, RasterResult } from "@tessera/dataframe";
export type {
  OpenRasterOptions, RasterizeOptions, ZonalStatsOptions, SinkGeoTiffOptions, SinkRasterTilesOptions, GeoTiffWriteResult, TilesWriteResult,
} from "@tessera/dataframe";
export { makeGrid, gridFromBounds, gridBounds, mercatorTileBounds, mercatorTileGrid } from "@tessera/raster";
export type {
  Grid, Bounds, Affine, Window, RasterChunk, BandArray, RasterDType, Resampling, PixelStat, ZonalStat, ZoneRule, RasterizeAgg, Colormap, TileId,
} from "@tessera/raster";
export type { RasterInfo } from "@tessera/plan";
// The cluster commands, for the `tessera` command line (@tessera/cli) and for operators embedding them.
export { schedulerCommand, SCHEDULER_USAGE } from "./commands/scheduler-command.js";
export { workerCommand, WORKER_USAGE } from "./commands/worker-command.js";
export { replayCommand, REPLAY_USAGE } from "./commands/replay-command.js";
