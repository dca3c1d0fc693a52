// Grouped aggregation kernels.
export { aggPartial, aggMerge, aggFinalize, aggFull, isDecomposable } from "./aggregate.js";
export type { AggSpec, AggCall } from "./kernel.js";
