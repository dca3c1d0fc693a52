// @tessera/plan: logical plan nodes, schemas, the optimizer and lowering to a task graph.
export type {
  ColumnStats, RowGroupInfo, ParquetFileInfo, UnresolvedSource, ResolvedSource, ScanSource, ScanNode, JoinHow, AggStrategy, SinkFormat, SinkOptions,
  SinkNode, PlanNode, PlanKind,
} from "./nodes.js";
export { planInputs, withInputs, transformPlan } from "./nodes.js";
export { schemaOf, sourceFields, joinFields } from "./schema.js";
export { lowerPlan, planStages, decomposeAggregate, DEFAULT_FAN_IN, DEFAULT_BROADCAST_ROWS, DEFAULT_PARTITION_ROWS, DEFAULT_CSV_PARTITION_BYTES } from "./lower/index.js";
export type { LowerOptions, PhysicalPlan, PlanStage } from "./lower/index.js";
export { resolveSources } from "./resolve-sources.js";
export { optimize, DEFAULT_RULES, scanStats, simplifyExpressions, mergeFilters, pushDownPredicates, pruneRowGroups, pushDownProjections, pushDownLimit } from "./optimizer/index.js";
export type { OptimizerRule, OptimizeOptions, OptimizeResult, ScanStats } from "./optimizer/index.js";
export { explainPlan, exprToString } from "./explain.js";
export { parseFunctionRef, FUNCTION_FILE_EXTENSIONS } from "./function-ref.js";
export type { FunctionRef } from "./function-ref.js";
export { checkPlanOptions, checkSchema, PLAN_KINDS, JOIN_HOWS, AGG_STRATEGIES } from "./check-options.js";
