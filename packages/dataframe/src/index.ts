// @tessera/dataframe: the LazyFrame facade, sources and sinks; terminals run on a Client (@tessera/client).
export { LazyFrame, GroupBy, concat } from "./lazy-frame.js";
export type { JoinOptions, SortOptions } from "./lazy-frame.js";
export { scanParquet, scanCsv, fromArrow, fromColumns } from "./sources.js";
export type { ScanParquetOptions, ScanCsvOptions } from "./sources.js";
export type { WriteResult, SinkParquetOptions, SinkCsvOptions } from "./sink.js";
export type { ExecOptions } from "./execute.js";
export { preparePlan, physicalPlan, runGraph } from "./execute.js";
export { terminalProgress, formatProgress } from "./progress.js";
export { tileBins } from "./tile-bins.js";
export type { TileBinsOptions } from "./tile-bins.js";
