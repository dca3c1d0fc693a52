// @tessera/ops: the physical operator contract between the planner and the workers: op names and args types, the
// steps and sources of fused pipelines, and each op's arg checks and storage access.
export type { ParquetPiece, SourceSpec, Step, PipelineArgs } from "./steps.js";
export type { OpArgs, OpName, PickArgs, MergeSortedArgs, RangeBoundsArgs, SinkPartArgs, SinkPartResult, SinkCommitArgs } from "./op-args.js";
export type { TaskOf, OpTask } from "./task.js";
export { OP_CONTRACTS, OP_NAMES, validateArgs, storageOf } from "./contracts.js";
export type { OpContract, StorageAccess } from "./contracts.js";
export { MAX_SPLIT, MAX_SAMPLE, MAX_SPLIT_PIECES } from "./checks.js";
