// Byte ranges that split a CSV object into partitions; each line belongs to exactly one range.
import { IoError } from "@tessera/common";
import type { ObjectStore } from "../store/object-store.js";
import { NEWLINE, QUOTE } from "./scan.js";

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

const CHUNK = 8 << 20;

/**
 * `n` ranges that start and end exactly on record boundaries, found by one sequential pass tracking
 * RFC 4180 quote state, so newlines inside quoted fields never split a record. Read them with
 * `readCsv(url, { range, aligned: true })`. Costs one extra read of the object.
 */
export async function csvRecordRanges(store: ObjectStore, url: string, size: number, n: number): Promise<CsvRange[]> {
  const approx = csvSplitRanges(size, n);
  const targets = approx.slice(1).map((r) => r.start);
  const bounds: number[] = [0];
  let inQuote = false;
  let t = 0;
  for (let off = 0; off < size && t < targets.length; off += CHUNK) {
    const buf = await store.get(url, { offset: off, length: Math.min(CHUNK, size - off) });
    for (let i = 0; i < buf.length && t < targets.length; i++) {
      const c = buf[i];
      if (c === QUOTE) inQuote = !inQuote;
      else if (c === NEWLINE && !inQuote) {
        const next = off + i + 1;
        while (t < targets.length && (targets[t] as number) <= next) {
          if (next > (bounds[bounds.length - 1] as number) && next < size) bounds.push(next);
          t++;
        }
      }
    }
  }
  bounds.push(size);
  const out: CsvRange[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) out.push({ start: bounds[i] as number, end: bounds[i + 1] as number });
  return out;
}
