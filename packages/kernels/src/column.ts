// The columnar batch every kernel reads and writes: plain objects of typed arrays, cheap to transfer between threads.
import type { DType, Field } from "@tessera/common";

export type NumArray =
  | Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array
  | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

/**
 * A fixed-width column. `values` has exactly `length` elements (no offset).
 * bool: Uint8Array of 0/1; date32: Int32Array of days; timestamp[*]/int64: BigInt64Array in the type's unit.
 * `valid` is null when there are no nulls, else one byte per row (1 = valid). Values under nulls are unspecified.
 */
export interface NumColumn {
  readonly kind: "num";
  readonly type: DType;
  readonly length: number;
  readonly values: NumArray;
  readonly valid: Uint8Array | null;
}

/** A UTF-8 string column: row i is bytes[offsets[i], offsets[i+1]). offsets has length+1 entries; offsets[0] may be non-zero. */
export interface StrColumn {
  readonly kind: "str";
  readonly type: "utf8";
  readonly length: number;
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  readonly valid: Uint8Array | null;
}

/**
 * A dictionary-encoded string column: row i is dict[indices[i]]. Indices are non-negative; dict has no nulls. The
 * dictionary may hold a value more than once (concatenation appends dictionaries): values compare by bytes, never by
 * index, except within one dictionary known to be deduplicated.
 */
export interface DictColumn {
  readonly kind: "dict";
  readonly type: "utf8";
  readonly length: number;
  readonly indices: Int32Array;
  readonly dict: StrColumn;
  readonly valid: Uint8Array | null;
}

export type Column = NumColumn | StrColumn | DictColumn;

/** A batch of rows: equal-length columns with their fields. Invariant: columns[i].length === length. */
export interface Batch {
  readonly fields: readonly Field[];
  readonly columns: readonly Column[];
  readonly length: number;
}
