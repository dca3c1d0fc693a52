// @tessera/kernels: vectorized compute over Batches (typed arrays), no per-row objects on hot paths.
export type { NumArray, NumColumn, StrColumn, DictColumn, Column, Batch } from "./column.js";

// Physical storage per DType.
export { arrayCtorOf, allocArray, isBigIntType, isIntegerLike, int64Words, toFloat64 } from "./dtype-arrays.js";
export type { NumArrayCtor } from "./dtype-arrays.js";

// Building batches and reading them back as JS values.
export {
  makeNumColumn, noNulls, nullCount, nullColumn, emptyColumn, emptyBatch, makeBatch, columnFromValues, dtypeOfArray,
  inferType, batchFromColumns, strColumn,
} from "./build.js";
export type { TypedArray } from "./build.js";
export { strGet, decodeUtf8, encodeUtf8, strColumnFromStrings, compareBytes, bytesEqual } from "./strings.js";
export { canonicalDictionary, sameStrings, SMALL_DICTIONARY } from "./canonical-dict.js";
export { columnToArray, batchToColumns, batchToRows } from "./to-array.js";

// Arrow interop.
export { batchFromArrow, columnFromArrowData, fieldsFromArrow, dtypeFromArrow, expandValidity, unpackBits } from "./arrow-convert.js";
export { batchToArrow, tableFromBatches, columnToArrowData, arrowTypeOf, packBits } from "./arrow-build.js";
export type { DictionaryJoin, TableFromBatchesOptions } from "./arrow-build.js";

// Row and column selection, concatenation, memory accounting.
export { sliceColumn, takeColumn, filterColumn, maskToIndices } from "./take.js";
export { appendBytes, viewOf } from "./copy-bytes.js";
export { concatColumns, concatBatches, decodeDict, unifyDictionaries } from "./concat.js";
export {
  getColumn, getField, sliceBatch, noRows, takeBatch, filterBatch, selectColumns, renameColumns, withColumn, batchBytes,
  batchTransferables,
} from "./batch-ops.js";

// Hashing, grouping, partitioning and hash indexes.
export { mixInt, hashNumber, hashBytes, NULL_HASH } from "./hash-fns.js";
export { hashColumn, hashColumns } from "./hash.js";
export { groupIds } from "./group-ids.js";
export type { GroupIds } from "./group-ids.js";
export { hashPartition, partitionIds, partitionIndices } from "./hash-partition.js";
export { buildHashIndex, probeHashIndex, probeKeyCodes } from "./hash-index.js";
export type { HashIndex, ProbeResult } from "./hash-index.js";
export { newKeyTable, encodeColumn, familyOf } from "./key-table.js";
export type { KeyTable, KeyFamily } from "./key-table.js";

// Exact int64 helpers (32-bit words, no BigInt per row) and temporal units.
export { wordsToNumber, numberToWords, int64FloorDiv, int64Scale, int64FromProduct, compareWords } from "./int64-math.js";
export { unitsPerSecond, unitsPerDay, finerTemporal, civilFromDays, daysFromCivil } from "./temporal-units.js";

// Expression evaluation.
export { evalExpr, evalPredicate, projectBatch, filterByPredicate, castColumn, litColumn } from "./eval/index.js";

// Aggregation.
export {
  aggPartial, aggMerge, aggFinalize, aggFull, aggSplit, aggMergeRows, partialPays, estimateGroupRatio, distinctFromSample, GROUP_SAMPLE,
  AGG_KERNELS,
} from "./aggregate/index.js";
export type { AggKernelTable, DecomposableKernel, HolisticKernel, Groups, PartialMode } from "./aggregate/index.js";

export * from "./relational/index.js";
export { compactDict, compactDicts, compactSplitDicts } from "./compact-dict.js";
export { partitionLayout, scatterColumn } from "./scatter.js";
export type { PartitionLayout } from "./scatter.js";
export { formatPythonFloat, formatPythonFloat32 } from "./python-float.js";
export { dictEncode, dictEncodeBatch, uniqueDict } from "./dict-encode.js";
export { enableScratch, reclaimScratch, idleScratch, scratchArray } from "./scratch.js";
export type { ScratchCtor } from "./scratch.js";
