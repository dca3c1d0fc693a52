// Fetching the column chunks a read needs, nearby ones in one request, in units of row groups fetched ahead of decoding.
import { IoError } from "@tessera/common";
import type { ObjectStore } from "../store/object-store.js";
import { coalesceGapFor, coalesceRanges } from "./coalesce-ranges.js";
import type { Footer } from "./footer.js";
import { chunkRange } from "./mini-file.js";

/** Chunk bytes keyed "rowGroup:leaf" (footer positions). */
export type ChunkBytes = Map<string, Uint8Array>;

/** Consecutive row groups whose kept chunks add up to about `unitBytes` (by `size`), at least one row group each. */
export function rowGroupUnits(footer: Footer, rowGroups: readonly number[], leaves: readonly number[], unitBytes: number,
  size: (c: { uncompressedSize: number; compressedSize: number }) => number): number[][] {
  const out: number[][] = [];
  let cur: number[] = [], bytes = 0;
  for (const rg of rowGroups) {
    let n = 0;
    for (const leaf of leaves) {
      const c = footer.rowGroups[rg]?.columns[leaf];
      if (c !== undefined) n += size(c);
    }
    if (cur.length > 0 && bytes + n > unitBytes) { out.push(cur); cur = []; bytes = 0; }
    cur.push(rg);
    bytes += n;
  }
  if (cur.length > 0) out.push(cur);
  return out;
}

/** Fetches the kept chunks of some row groups; chunks close together go in one request (see coalesce-ranges.ts). */
export async function fetchChunks(store: ObjectStore, url: string, footer: Footer, rowGroups: readonly number[], leaves: readonly number[]): Promise<ChunkBytes> {
  const wanted = rowGroups.flatMap((rg) => leaves.map((leaf) => {
    const meta = footer.rowGroups[rg]?.columns[leaf];
    if (meta === undefined) throw new IoError("IO_BAD_PARQUET", `not a Parquet file: ${url} (row group ${rg} lacks column chunk ${leaf})`, { url });
    return { key: `${rg}:${leaf}`, ...chunkRange(meta) };
  }));
  const out: ChunkBytes = new Map();
  await Promise.all(coalesceRanges(wanted, coalesceGapFor(url)).map(async (f) => {
    const bytes = await store.get(url, { offset: f.start, length: f.length });
    for (const w of f.ranges) out.set(w.key, bytes.subarray(w.start - f.start, w.start - f.start + w.length));
  }));
  return out;
}

/**
 * Calls `each(unit, chunks)` for every unit in order, fetching the next unit while one is processed (file reads and
 * S3 requests proceed meanwhile). A prefetch abandoned by an error is not left as an unhandled rejection.
 */
export async function forEachUnit(store: ObjectStore, url: string, footer: Footer, units: readonly (readonly number[])[], leaves: readonly number[],
  each: (unit: readonly number[], chunks: ChunkBytes) => void | Promise<void>): Promise<void> {
  let next: Promise<ChunkBytes> | undefined = units.length > 0 ? fetchChunks(store, url, footer, units[0] as number[], leaves) : undefined;
  try {
    for (let u = 0; u < units.length; u++) {
      const chunks = await (next as Promise<ChunkBytes>);
      next = u + 1 < units.length ? fetchChunks(store, url, footer, units[u + 1] as number[], leaves) : undefined;
      await each(units[u] as number[], chunks);
    }
  } finally {
    next?.catch(() => undefined);
  }
}
