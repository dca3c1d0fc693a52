// A geotiff.js byte source over Tessera's object store, for headers: reads whole 64 KiB blocks and keeps them, so
// walking IFDs and tag arrays costs few requests. Pixel blocks are fetched separately, merged (see read-blocks.ts).
import { IoError } from "@tessera/common";
import type { ObjectStore } from "@tessera/io";

/** Header bytes are read in blocks of this size; a COG's IFDs and tile tables usually fit in the first. */
export const HEADER_BLOCK = 64 * 1024;

interface Slice { readonly offset: number; readonly length: number }

/**
 * The slice of BaseSource that geotiff.js calls (`fetch`, `fileSize`, `close`), reading `url` through `store`.
 * Reads past the end of the object are cut at its size (geotiff.js asks for 1 KiB past small IFDs).
 */
export class StoreSource {
  readonly url: string;
  private readonly store: ObjectStore;
  private readonly size: number;
  private readonly blocks = new Map<number, Promise<Uint8Array>>();
  /** Requests sent to the store, for tests and metrics. */
  requests = 0;

  constructor(store: ObjectStore, url: string, size: number) {
    this.store = store;
    this.url = url;
    this.size = size;
  }

  get fileSize(): number {
    return this.size;
  }

  async fetch(slices: readonly Slice[]): Promise<ArrayBuffer[]> {
    return Promise.all(slices.map((s) => this.read(s.offset, s.length)));
  }

  async close(): Promise<void> {
    this.blocks.clear();
  }

  /** Bytes [offset, offset + length) cut at the end of the object, as a fresh ArrayBuffer. */
  async read(offset: number, length: number): Promise<ArrayBuffer> {
    if (!(offset >= 0) || offset > this.size) {
      throw new IoError("IO_BAD_TIFF", `cannot read ${this.url}: the TIFF points at byte ${offset} of a ${this.size}-byte file (truncated or corrupt)`, { url: this.url });
    }
    const end = Math.min(this.size, offset + length);
    const out = new Uint8Array(end - offset);
    const first = Math.floor(offset / HEADER_BLOCK);
    const last = Math.floor(Math.max(offset, end - 1) / HEADER_BLOCK);
    const parts = [];
    for (let b = first; b <= last && end > offset; b++) parts.push(this.block(b).then((bytes) => ({ b, bytes })));
    for (const { b, bytes } of await Promise.all(parts)) {
      const start = b * HEADER_BLOCK;
      const from = Math.max(offset, start);
      const to = Math.min(end, start + bytes.length);
      if (to > from) out.set(bytes.subarray(from - start, to - start), from - offset);
    }
    return out.buffer;
  }

  private block(b: number): Promise<Uint8Array> {
    let p = this.blocks.get(b);
    if (p === undefined) {
      const offset = b * HEADER_BLOCK;
      this.requests += 1;
      p = this.store.get(this.url, { offset, length: Math.min(HEADER_BLOCK, this.size - offset) });
      p.catch(() => this.blocks.delete(b));
      this.blocks.set(b, p);
    }
    return p;
  }
}
