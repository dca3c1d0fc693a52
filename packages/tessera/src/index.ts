// tessera: the public API (sources, expressions, LazyFrame, clusters, errors) in one entry point.
import { setDefaultClientFactory, closeDefaultClient } from "@tessera/dataframe";
import { InProcessCluster } from "@tessera/worker";
import { connect } from "@tessera/client";
import { InProcessClient } from "./local-cluster.js";

export { scanParquet, scanCsv, fromArrow, fromColumns, concat, LazyFrame, GroupBy, closeDefaultClient, tileBins } from "@tessera/dataframe";
export type { TileBinsOptions } from "@tessera/dataframe";
export type { JoinOptions, SortOptions, ScanParquetOptions, ScanCsvOptions, WriteResult, SinkParquetOptions, SinkCsvOptions, Client, Progress, ExecOptions } from "@tessera/dataframe";
export { col, lit, when, len, corr, Expr, tile } from "@tessera/expr";
export type { ExprNode, LitValue } from "@tessera/expr";
export { TesseraError, PlanError, ExecutionError, IoError, ProtocolError, InternalError, isTesseraError } from "@tessera/common";
export type { DType, Field, Schema as TesseraSchema, ErrorCategory } from "@tessera/common";
export { storeFor, csvFromTable, formatJson, formatPythonFloat } from "@tessera/io";
export type { ObjectStore, NumberFormat, WriteCsvOptions, JsonValue, FormatJsonOptions, TileContent, TileEncoder } from "@tessera/io";
export { LocalCluster, parseBytes } from "./local-cluster.js";
export { connect, RemoteClient } from "@tessera/client";
export type { ConnectOptions } from "@tessera/client";
export type { LocalClusterOptions } from "./local-cluster.js";
export { runDemo, generateClimate } from "./demo.js";

// The default client: the scheduler named by TESSERA_SCHEDULER (with TESSERA_TOKEN), else the embedded in-process
// cluster, started on first use (its threads do not keep the process alive).
setDefaultClientFactory(async () => {
  const url = process.env["TESSERA_SCHEDULER"];
  if (url !== undefined && url !== "") return connect(url, { token: process.env["TESSERA_TOKEN"] ?? null });
  return new InProcessClient(await InProcessCluster.start());
});
process.once("beforeExit", () => { void closeDefaultClient(); });
