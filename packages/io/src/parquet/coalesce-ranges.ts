// Merging the byte ranges a Parquet read needs into few requests: on remote stores a round trip costs more than a gap.
import { schemeOf } from "../url.js";

/** One wanted byte range (a column chunk), known by `key`. */
export interface WantedRange {
  readonly key: string;
  readonly start: number;
  readonly length: number;
}

/** One request: [start, start + length) covering its ranges (and the gaps between them). */
export interface CoalescedFetch {
  readonly start: number;
  readonly length: number;
  readonly ranges: readonly WantedRange[];
}

/**
 * Largest gap, by scheme, worth reading through to save a request. On S3 a request costs tens of milliseconds,
 * the time to stream about a megabyte; local reads cost little per call, so only touching ranges merge there.
 */
const MAX_GAP: Readonly<Record<string, number>> = { s3: 1 << 20 };
/** A merged request stops growing here, so large reads still go out as several parallel requests. */
const MAX_REQUEST = 32 << 20;
/**
 * The gaps a merged request reads through stay under this fraction of the bytes it was asked for, so coalescing
 * costs at most ~6% more bytes than the ranges themselves, however the wanted chunks are spread.
 */
const MAX_WASTE = 1 / 16;

export function coalesceGapFor(url: string): number {
  return MAX_GAP[schemeOf(url)] ?? 0;
}

/**
 * Groups ranges (any order) into requests, in file order: a range joins the previous request when the gap
 * between them is at most `maxGap` bytes, the gaps the request reads through stay within `maxWaste` of its
 * wanted bytes, and the request stays within `maxRequest` bytes (a single range larger than that is one request of
 * its own). Every range lies inside exactly one request. Touching or overlapping ranges always merge.
 */
export function coalesceRanges(ranges: readonly WantedRange[], maxGap: number, maxRequest = MAX_REQUEST, maxWaste = MAX_WASTE): CoalescedFetch[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const out: { start: number; end: number; wanted: number; waste: number; ranges: WantedRange[] }[] = [];
  for (const r of sorted) {
    const cur = out[out.length - 1];
    const end = r.start + r.length;
    const gap = cur === undefined ? 0 : Math.max(0, r.start - cur.end);
    const fits = cur !== undefined && Math.max(cur.end, end) - cur.start <= maxRequest;
    if (cur !== undefined && fits && (gap === 0 || (gap <= maxGap && cur.waste + gap <= maxWaste * (cur.wanted + r.length)))) {
      cur.ranges.push(r);
      cur.wanted += Math.max(0, end - Math.max(cur.end, r.start));
      cur.waste += gap;
      cur.end = Math.max(cur.end, end);
    } else {
      out.push({ start: r.start, end, wanted: r.length, waste: 0, ranges: [r] });
    }
  }
  return out.map((f) => ({ start: f.start, length: f.end - f.start, ranges: f.ranges }));
}
