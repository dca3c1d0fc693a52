// @tessera/plan: logical plan nodes, schemas, the optimizer and lowering to a task graph.
export type {
  ColumnStats, RowGroupInfo, ParquetFileInfo, UnresolvedSource, ResolvedSource, ScanSource, ScanNode, JoinHow, AggStrategy, SinkFormat, SinkOptions,
  SinkNode, PlanNode, PlanKind, RasterNode, FromRasterNode, RasterSinkNode, PivotNode, PivotAgg, ObjectFormat, ObjectPivot, ObjectSinkNode,
} from "./nodes.js";
export { planInputs, withInputs, transformPlan } from "./nodes.js";
export { schemaOf, sourceFields, joinFields, pivotColumnName } from "./schema.js";
export { lowerPlan, lowerPlans, lowerRasterJob, planStages, decomposeAggregate, DEFAULT_FAN_IN, DEFAULT_BROADCAST_ROWS, DEFAULT_PARTITION_ROWS, DEFAULT_CSV_PARTITION_BYTES } from "./lower/index.js";
export type { LowerOptions, PhysicalPlan, PhysicalRasterPlan, Partitioning, PlanStage } from "./lower/index.js";
export { resolveSources } from "./resolve-sources.js";
export { withKeyStatistics } from "./key-statistics.js";
export { optimize, DEFAULT_RULES, scanStats, simplifyExpressions, mergeFilters, pushDownPredicates, pruneRowGroups, pushDownProjections, pushDownLimit, pushDownBands } from "./optimizer/index.js";
export type { OptimizerRule, OptimizeOptions, OptimizeResult, ScanStats } from "./optimizer/index.js";
export { explainPlan, explainRaster, exprToString } from "./explain.js";
export { parseFunctionRef, FUNCTION_FILE_EXTENSIONS } from "./function-ref.js";
export type { FunctionRef } from "./function-ref.js";
export { checkPlanOptions, checkSchema, PLAN_KINDS, JOIN_HOWS, AGG_STRATEGIES, PIVOT_AGG_NAMES, MAX_SINK_CONCURRENCY, MAX_SINK_ATTEMPTS } from "./check-options.js";
export type {
  RasterSource, ResolvedRasterSource, RasterScanNode, RasterKind, RasterView, RasterSink, RasterNodeOf,
} from "./raster/raster-nodes.js";
export { rasterInput, isResolvedRaster, rasterFiles, windowsOnDemand } from "./raster/raster-nodes.js";
export type { RasterInfo } from "./raster/raster-info.js";
export { rasterInfo, checkGrid, reprojectGrid, warpChunkShape } from "./raster/raster-info.js";
export { narrowBands } from "./raster/narrow-bands.js";
export { checkRasterSink, MAX_TILES } from "./raster/check-raster-sink.js";
export { prepareRaster } from "./raster/prepare-raster.js";
export type { PreparedRaster } from "./raster/prepare-raster.js";
