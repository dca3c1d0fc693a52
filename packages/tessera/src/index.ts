// tessera: the public API (sources, expressions, LazyFrame, clusters, errors) in one entry point.
import { setDefaultClientFactory, closeDefaultClient } from "@tessera/dataframe";
import { InProcessCluster } from "@tessera/worker";
import { InProcessClient } from "./local-cluster.js";

export { scanParquet, scanCsv, fromArrow, fromColumns, concat, LazyFrame, GroupBy, closeDefaultClient } from "@tessera/dataframe";
export type { JoinOptions, SortOptions, ScanParquetOptions, ScanCsvOptions, WriteResult, SinkParquetOptions, SinkCsvOptions, Client, Progress, ExecOptions } from "@tessera/dataframe";
export { col, lit, when, len, corr, Expr } from "@tessera/expr";
export type { ExprNode, LitValue } from "@tessera/expr";
export { TesseraError, PlanError, ExecutionError, IoError, ProtocolError, InternalError, isTesseraError } from "@tessera/common";
export type { DType, Field, Schema as TesseraSchema, ErrorCategory } from "@tessera/common";
export { LocalCluster, parseBytes } from "./local-cluster.js";
export type { LocalClusterOptions } from "./local-cluster.js";
export { runDemo, generateClimate } from "./demo.js";

// The embedded default: an in-process cluster started on first use; its threads do not keep the process alive.
setDefaultClientFactory(async () => new InProcessClient(await InProcessCluster.start()));
process.once("beforeExit", () => { void closeDefaultClient(); });
