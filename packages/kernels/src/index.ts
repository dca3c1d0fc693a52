// @tessera/kernels: vectorized compute over Batches (typed arrays), no per-row objects on hot paths.
export type { NumArray, NumColumn, StrColumn, DictColumn, Column, Batch } from "./column.js";
