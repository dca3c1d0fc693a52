// Fetching the column chunks a read needs, nearby ones in one request, in units of row groups fetched ahead of decoding.
import { IoError } from "@tessera/common";
import type { ObjectStore } from "../store/object-store.js";
import { coalesceGapFor, coalesceRanges } from "./coalesce-ranges.js";
import type { Footer } from "./footer.js";
import { chunkRange } from "./mini-file.js";
import { giveBuffer, takeBuffer } from "./pages/scratch-buffers.js";

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

/**
 * Fetches the kept chunks of some row groups; chunks close together go in one request (see coalesce-ranges.ts). With
 * `into` (bytes for every request, back to back), stores that read in place put the chunks there.
 */
export async function fetchChunks(store: ObjectStore, url: string, footer: Footer, rowGroups: readonly number[], leaves: readonly number[],
  into?: (bytes: number) => Uint8Array): Promise<ChunkBytes> {
  const wanted = rowGroups.flatMap((rg) => leaves.map((leaf) => {
    const meta = footer.rowGroups[rg]?.columns[leaf];
    if (meta === undefined) throw new IoError("IO_BAD_PARQUET", `not a Parquet file: ${url} (row group ${rg} lacks column chunk ${leaf})`, { url });
    return { key: `${rg}:${leaf}`, ...chunkRange(meta) };
  }));
  const out: ChunkBytes = new Map();
  const fetches = coalesceRanges(wanted, coalesceGapFor(url));
  const target = into?.(fetches.reduce((n, f) => n + f.length, 0));
  let at = 0;
  await Promise.all(fetches.map(async (f) => {
    const slot = target?.subarray(at, at + f.length);
    at += f.length;
    const bytes = await store.get(url, { offset: f.start, length: f.length }, slot);
    for (const w of f.ranges) out.set(w.key, bytes.subarray(w.start - f.start, w.start - f.start + w.length));
  }));
  return out;
}

/** A unit's fetched chunks and the scratch buffer they were read into (given back once the unit is processed). */
interface FetchedUnit {
  readonly chunks: ChunkBytes;
  readonly scratch: ArrayBuffer | null;
}

async function fetchUnit(store: ObjectStore, url: string, footer: Footer, unit: readonly number[], leaves: readonly number[]): Promise<FetchedUnit> {
  let scratch: ArrayBuffer | null = null;
  const into = (bytes: number): Uint8Array => {
    scratch = takeBuffer(bytes);
    return new Uint8Array(scratch, 0, bytes);
  };
  try {
    return { chunks: await fetchChunks(store, url, footer, unit, leaves, into), scratch };
  } catch (e) {
    if (scratch !== null) giveBuffer(scratch);
    throw e;
  }
}

/**
 * Calls `each(unit, chunks)` for every unit in order, fetching the next unit while one is processed (file reads and
 * S3 requests proceed meanwhile). A prefetch abandoned by an error is not left as an unhandled rejection. Chunks are
 * read into reused scratch buffers where the store can (see ObjectStore.get): `each` must not keep their bytes.
 */
export async function forEachUnit(store: ObjectStore, url: string, footer: Footer, units: readonly (readonly number[])[], leaves: readonly number[],
  each: (unit: readonly number[], chunks: ChunkBytes) => void | Promise<void>): Promise<void> {
  let next: Promise<FetchedUnit> | undefined = units.length > 0 ? fetchUnit(store, url, footer, units[0] as number[], leaves) : undefined;
  try {
    for (let u = 0; u < units.length; u++) {
      const fetched = await (next as Promise<FetchedUnit>);
      next = u + 1 < units.length ? fetchUnit(store, url, footer, units[u + 1] as number[], leaves) : undefined;
      try {
        await each(units[u] as number[], fetched.chunks);
      } finally {
        if (fetched.scratch !== null) giveBuffer(fetched.scratch);
      }
    }
  } finally {
    // An abandoned prefetch neither rejects unhandled nor keeps its scratch buffer from reuse.
    next?.then((f) => { if (f.scratch !== null) giveBuffer(f.scratch); }, () => undefined);
  }
}
