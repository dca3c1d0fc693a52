// ObjectStore held in this process's memory (memory:// URLs): a shared map, for tests and scratch data.
import { IoError } from "@tessera/common";
import type { ByteRange, ObjectInfo, ObjectStore } from "./object-store.js";
import { checkRange } from "./range.js";

interface Entry { readonly bytes: Uint8Array; readonly mtimeMs: number }

/** The process-wide contents of memory://, keyed by full URL. */
const objects = new Map<string, Entry>();

/** Objects are copied on put and on get, so callers can never alias the stored bytes. */
export class MemoryStore implements ObjectStore {
  async list(prefix: string): Promise<ObjectInfo[]> {
    const out: ObjectInfo[] = [];
    for (const [url, e] of objects) if (url.startsWith(prefix)) out.push({ url, size: e.bytes.length, mtimeMs: e.mtimeMs });
    return out.sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0));
  }

  async head(url: string): Promise<ObjectInfo> {
    const e = this.entry(url);
    return { url, size: e.bytes.length, mtimeMs: e.mtimeMs };
  }

  async get(url: string, range?: ByteRange): Promise<Uint8Array> {
    const e = this.entry(url);
    if (range === undefined) return new Uint8Array(e.bytes);
    checkRange(url, e.bytes.length, range.offset, range.length);
    return new Uint8Array(e.bytes.subarray(range.offset, range.offset + range.length));
  }

  async put(url: string, bytes: Uint8Array): Promise<void> {
    // new Uint8Array(view) copies; Buffer#slice would not (it returns a view).
    objects.set(url, { bytes: new Uint8Array(bytes), mtimeMs: Date.now() });
  }

  async delete(url: string): Promise<void> {
    objects.delete(url);
  }

  private entry(url: string): Entry {
    const e = objects.get(url);
    if (e === undefined) throw new IoError("IO_NOT_FOUND", `not found: ${url}`, { url });
    return e;
  }
}

/** Removes every memory:// object whose URL starts with `prefix` (all of them by default). */
export function clearMemoryStore(prefix = "memory://"): void {
  for (const url of [...objects.keys()]) if (url.startsWith(prefix)) objects.delete(url);
}
