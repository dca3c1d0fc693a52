// Lowering: logical plan to partitioned task graph.
export { lowerPlan, lowerPlans, lowerRasterJob } from "./lower.js";
export type { LowerOptions, PhysicalPlan, PhysicalRasterPlan } from "./lower.js";
export { decomposeAggregate, DEFAULT_FAN_IN } from "./aggregate/index.js";
export { DEFAULT_BROADCAST_ROWS } from "./join.js";
export { DEFAULT_PARTITION_ROWS, DEFAULT_CSV_PARTITION_BYTES } from "./scan.js";
export type { Partitioning } from "./builder.js";
export { planStages } from "./stages.js";
export type { PlanStage } from "./stages.js";
