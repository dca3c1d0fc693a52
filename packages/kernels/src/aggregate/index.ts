// Grouped aggregation kernels (what each aggregate is: AGGREGATES in @tessera/expr).
export { aggPartial, aggMerge, aggFinalize, aggFull } from "./aggregate.js";
export { aggSplit, aggMergeRows, partialPays } from "./adaptive.js";
export { estimateGroupRatio, distinctFromSample, GROUP_SAMPLE } from "../group-estimate.js";
export type { PartialMode } from "./adaptive.js";
export { AGG_KERNELS } from "./registry.js";
export type { AggKernelTable } from "./registry.js";
export type { DecomposableKernel, HolisticKernel, Groups } from "./kernel.js";
