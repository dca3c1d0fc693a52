// @tessera/ops: the physical operator contract between the planner and the workers: op names and args types, the
// steps and sources of fused pipelines, and each op's arg checks and storage access.
export type { ParquetPiece, SourceSpec, Step, PipelineArgs } from "./steps.js";
export type {
  OpArgs, OpName, PickArgs, MergeSortedArgs, RangeBoundsArgs, SinkPartArgs, SinkPartResult, SinkCommitArgs, ObjectFormatArgs, SinkObjectsArgs,
  SinkObjectsResult, SinkObjectsCommitArgs, ObjectsManifest,
} from "./op-args.js";
export type { TaskOf, OpTask } from "./task.js";
export { OP_CONTRACTS, OP_NAMES, validateArgs, storageOf, MAX_PIVOT_COLUMNS } from "./contracts.js";
export type { OpContract, StorageAccess } from "./contracts.js";
export { MAX_SPLIT, MAX_SAMPLE, MAX_SPLIT_PIECES } from "./checks.js";
export type {
  BandSpec, ChunkSource, RasterStep, RasterChunkArgs, ZonalMergeArgs, SpaceMergeArgs, CogWriteOptions, CogArgs, CogResult, TileArgs, TileWritten,
  TileCommitArgs, RasterOpArgs,
} from "./raster-op-args.js";
export { RASTER_CONTRACTS, MAX_RASTER_PIXELS, MAX_BANDS, MAX_ZONES, MAX_ZONE_VERTICES, MAX_WARP_RATIO, tilePath } from "./raster-contracts.js";
