// A data store that spills least-recently-used results to disk (Arrow IPC) past a fraction of the memory limit.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ExecutionError, IoError } from "@tessera/common";
import { sizeOf } from "../size-of.js";
import type { DataStore } from "../store.js";
import { decodeSpill, encodeSpill } from "./spill-codec.js";

export interface SpillingStoreOptions {
  /** Bytes the worker may hold; Infinity never spills. */
  readonly memoryLimit: number;
  /** Spill LRU values while bytes in memory exceed this fraction of memoryLimit (default 0.6); false never spills. */
  readonly target?: number | false;
  /** The parent of this store's own spill directory (default os.tmpdir()); the store creates and removes its subdirectory. */
  readonly spillDir?: string;
  /** Names the spill directory: <spillDir>/tessera-spill-<workerId>-XXXXXX. */
  readonly workerId?: string;
  readonly measure?: (value: unknown) => number;
}

/**
 * Keeps values in memory, least recently used first, and moves them to one file each past the target. A value
 * read back is in memory again (and most recently used) while its file is kept, so spilling it again costs no
 * write. Every key is accounted the bytes it was put with, wherever it lives.
 * Invariants: memoryBytes + spilledBytes === totalBytes; a key is in memory, on disk only, or not held;
 * after put and load, memoryBytes <= target * memoryLimit unless a write failed (see lastSpillError).
 * I/O is synchronous, so `load` binds values at call time, as DataStore requires.
 */
export class SpillingStore implements DataStore {
  readonly memoryLimit: number;
  readonly target: number | false;
  /** Values in memory, in least-recently-used-first order (a Map keeps insertion order; touching re-inserts). */
  private readonly mem = new Map<string, unknown>();
  /** Keys with a spill file, and its path. A key may be both here and in `mem`. */
  private readonly files = new Map<string, string>();
  private readonly sizes = new Map<string, number>();
  private readonly measure: (value: unknown) => number;
  private readonly parentDir: string;
  private readonly workerId: string;
  private dir: string | null = null;
  private fileSeq = 0;
  private memBytes = 0;
  private diskBytes = 0;
  /** Values written to disk so far (a value spilled twice counts twice only if written twice). */
  spillWrites = 0;
  /** Bytes moved out of memory so far (accounted bytes, counting every spill of a value): > 0 once anything spilled. */
  spilledTotal = 0;
  /** The last failure to write a spill file; that value stays in memory (the next eviction tries it again). */
  lastSpillError: unknown = null;

  constructor(options: SpillingStoreOptions) {
    this.memoryLimit = options.memoryLimit;
    this.target = options.target ?? 0.6;
    this.measure = options.measure ?? sizeOf;
    this.parentDir = options.spillDir ?? tmpdir();
    this.workerId = (options.workerId ?? "worker").replace(/[^\w.-]/g, "_");
  }

  get totalBytes(): number { return this.memBytes + this.diskBytes; }
  /** Bytes of values held in memory. */
  get memoryBytes(): number { return this.memBytes; }
  /** Bytes of values held only on disk. */
  get spilledBytes(): number { return this.diskBytes; }
  get size(): number { return this.sizes.size; }
  /** The spill directory, once the first value was spilled. */
  get directory(): string | null { return this.dir; }

  has(key: string): boolean { return this.sizes.has(key); }
  nbytes(key: string): number | undefined { return this.sizes.get(key); }
  keys(): IterableIterator<string> { return this.sizes.keys(); }
  /** True when `key` is held only on disk. */
  isSpilled(key: string): boolean { return this.sizes.has(key) && !this.mem.has(key); }

  put(key: string, value: unknown): number {
    this.delete(key);
    const n = this.measure(value);
    this.sizes.set(key, n);
    this.mem.set(key, value);
    this.memBytes += n;
    this.evict();
    return n;
  }

  load(keys: readonly string[]): Promise<unknown[]> {
    try {
      return Promise.resolve(this.read(keys));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  read(keys: readonly string[]): unknown[] {
    const out = keys.map((k) => this.get(k));
    this.evict();
    return out;
  }

  delete(key: string): boolean {
    const n = this.sizes.get(key);
    if (n === undefined) return false;
    this.sizes.delete(key);
    if (this.mem.delete(key)) this.memBytes -= n;
    else this.diskBytes -= n;
    const file = this.files.get(key);
    if (file !== undefined) {
      this.files.delete(key);
      try { unlinkSync(file); } catch { /* already gone: nothing to free */ }
    }
    return true;
  }

  clear(): void {
    for (const k of [...this.sizes.keys()]) this.delete(k);
  }

  /** Deletes every value and the spill directory. */
  close(): Promise<void> {
    this.clear();
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
    return Promise.resolve();
  }

  /** A value by key, read back from disk if spilled (then in memory again and most recently used). */
  private get(key: string): unknown {
    if (this.mem.has(key)) {
      const v = this.mem.get(key);
      this.mem.delete(key);
      this.mem.set(key, v);
      return v;
    }
    const file = this.files.get(key);
    const n = this.sizes.get(key);
    if (file === undefined || n === undefined) throw new ExecutionError("MISSING_DATA", `no result for key ${key} in this worker's store`, { key });
    let v: unknown;
    try {
      v = decodeSpill(readFileSync(file));
    } catch (e) {
      throw new IoError("SPILL_READ_FAILED", `could not read spilled result ${key} from ${file}: ${(e as Error).message}`, { key, file });
    }
    this.mem.set(key, v);
    this.memBytes += n;
    this.diskBytes -= n;
    return v;
  }

  /** Spills least-recently-used values until memory is at or below the target; a value that fails to write stays. */
  private evict(): void {
    if (this.target === false || !Number.isFinite(this.memoryLimit)) return;
    const limit = this.target * this.memoryLimit;
    if (this.memBytes <= limit) return;
    // Deleting the current key while iterating a Map is safe; spilling never adds one.
    for (const key of this.mem.keys()) {
      if (this.memBytes <= limit) return;
      this.spill(key);
    }
  }

  private spill(key: string): boolean {
    const n = this.sizes.get(key) ?? 0;
    if (!this.files.has(key)) {
      try {
        const file = join(this.spillDirectory(), `${++this.fileSeq}.spill`);
        writeFileSync(file, encodeSpill(this.mem.get(key)));
        this.files.set(key, file);
        this.spillWrites++;
      } catch (e) {
        this.lastSpillError = e;
        return false;
      }
    }
    this.mem.delete(key);
    this.memBytes -= n;
    this.diskBytes += n;
    this.spilledTotal += n;
    return true;
  }

  private spillDirectory(): string {
    if (this.dir === null) {
      mkdirSync(this.parentDir, { recursive: true });
      this.dir = mkdtempSync(join(this.parentDir, `tessera-spill-${this.workerId}-`));
    }
    return this.dir;
  }
}
