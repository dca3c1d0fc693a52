// Row limit with offset: a zero-copy slice.
import { InternalError } from "@tessera/common";
import type { Batch } from "../column.js";
import { sliceBatch } from "../batch-ops.js";

/** Rows [offset, offset + n) of `b`, clamped to its length; shares buffers with `b`. */
export function limitBatch(b: Batch, n: number, offset = 0): Batch {
  if (!(n >= 0) || !(offset >= 0)) throw new InternalError("LIMIT_INVALID", `limit ${n} offset ${offset}: both must be >= 0`);
  return sliceBatch(b, offset, offset + n);
}
