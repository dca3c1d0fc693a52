// Relational kernels: sort, merge, range partitioning, hash join, unique, group head and limit.
export type { SortSpec } from "./sort-keys.js";
export { sortIndices, sortBatch } from "./sort.js";
export { mergeSorted } from "./merge-sorted.js";
export { sampleSortKeys, rangeBounds, rangePartition } from "./range-partition.js";
export type { JoinSpec, JoinHow } from "./join-fields.js";
export { joinOutputFields } from "./join-fields.js";
export { hashJoin } from "./join.js";
export { unique } from "./unique.js";
export { groupHead } from "./group-head.js";
export { groupTopN, groupTopNPartial, TOP_N_MAX, TOP_N_PARTIAL_MAX_KEPT } from "./group-top-n.js";
export { orderWords, keyOrderWords, compareWordRows } from "./order-words.js";
export { limitBatch } from "./limit.js";
export { pivotBatch } from "./pivot.js";
