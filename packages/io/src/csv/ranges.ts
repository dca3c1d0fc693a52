// Byte ranges that split a CSV object into partitions; each line belongs to exactly one range.
import { IoError } from "@tessera/common";

/** A half-open byte range [start, end) of a CSV object. */
export interface CsvRange {
  readonly start: number;
  readonly end: number;
}

/**
 * `n` contiguous ranges of nearly equal size covering [0, size) (fewer when size < n; one empty range
 * when size is 0). Reading each with readCsv yields every record exactly once (see readCsv).
 */
export function csvSplitRanges(size: number, n: number): CsvRange[] {
  if (!Number.isSafeInteger(size) || size < 0) throw new IoError("IO_BAD_OPTION", `CSV size must be a non-negative integer, got ${size}`);
  if (!Number.isInteger(n) || n < 1) throw new IoError("IO_BAD_OPTION", `number of CSV ranges must be a positive integer, got ${n}`);
  const parts = Math.max(1, Math.min(n, size));
  const out: CsvRange[] = [];
  for (let i = 0; i < parts; i++) {
    out.push({ start: Math.floor((size * i) / parts), end: Math.floor((size * (i + 1)) / parts) });
  }
  return out;
}
