// Uniform row access to plain and dictionary string columns: row i spans bytes[offsets[k], offsets[k+1]), k = idx ? idx[i] : i.
import type { Column } from "../column.js";
import { InternalError } from "@tessera/common";

export interface StrAccess {
  readonly offsets: Int32Array;
  readonly bytes: Uint8Array;
  /** Dictionary indices, or null for a plain column. */
  readonly idx: Int32Array | null;
  /** Number of distinct entries addressable (dict length, or row count for plain columns). */
  readonly entries: number;
}

export function strAccess(c: Column): StrAccess {
  if (c.kind === "str") return { offsets: c.offsets, bytes: c.bytes, idx: null, entries: c.length };
  if (c.kind === "dict") return { offsets: c.dict.offsets, bytes: c.dict.bytes, idx: c.indices, entries: c.dict.length };
  throw new InternalError("NOT_STRING", `expected a string column, got ${c.type}`);
}
