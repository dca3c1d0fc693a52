// @tessera/dataframe: the LazyFrame facade, sources and sinks; terminals run on a Client (@tessera/client).
export { LazyFrame, GroupBy, concat } from "./lazy-frame.js";
export type { JoinOptions, SortOptions, PivotOptions } from "./lazy-frame.js";
export type { FanOutOptions, SinkObjectsOptions, SinkTilesOptions, ObjectsWriteResult } from "./sink-objects.js";
export { LazySink, sinkAll } from "./sink-objects.js";
export { scanParquet, scanCsv, fromArrow, fromColumns } from "./sources.js";
export type { ScanParquetOptions, ScanCsvOptions } from "./sources.js";
export type { WriteResult, SinkParquetOptions, SinkCsvOptions } from "./sink.js";
export type { ExecOptions } from "./execute.js";
export { preparePlan, physicalPlan, runGraph } from "./execute.js";
export { terminalProgress } from "./progress.js";
export { tileBins } from "./tile-bins.js";
export type { TileBinsOptions } from "./tile-bins.js";
