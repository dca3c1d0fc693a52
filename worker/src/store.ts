// The worker's data store: results by task key, with their sizes in bytes. The seam where spilling plugs in.
import { ExecutionError } from "@tessera/common";
import { sizeOf } from "./size-of.js";

/**
 * Where a worker keeps results. The shell is the only user; the state machine only sees keys and sizes.
 * A spilling store (spill/spilling-store.ts) implements the same interface: `put` may move least-recently-used
 * values to disk past a threshold and `load` reads them back, so callers never know where a value lives.
 */
export interface DataStore {
  /** Bytes of all values held (in memory or, for a spilling store, anywhere). */
  readonly totalBytes: number;
  /** Bytes of values held in memory (what counts toward pausing). */
  readonly memoryBytes: number;
  /** Bytes of values held only on disk. */
  readonly spilledBytes: number;
  readonly size: number;
  has(key: string): boolean;
  /** Stores `value` under `key` (replacing any previous one) and returns the bytes it is accounted as. */
  put(key: string, value: unknown): number;
  /**
   * The values of `keys`, in order. The values are bound when `load` is called: a `delete` right after does not
   * affect the result. Rejects with ExecutionError MISSING_DATA naming the first key not held.
   */
  load(keys: readonly string[]): Promise<unknown[]>;
  /** The values of `keys`, in order, now; throws what `load` rejects with. */
  read(keys: readonly string[]): unknown[];
  /** Bytes `key` is accounted as, or undefined when not held. */
  nbytes(key: string): number | undefined;
  delete(key: string): boolean;
  keys(): IterableIterator<string>;
  clear(): void;
  /** Deletes everything and releases what the store owns (its spill directory). */
  close?(): Promise<void>;
}

/** Everything in memory: values in a Map, sizes from sizeOf. */
export class MemoryStore implements DataStore {
  private readonly values = new Map<string, unknown>();
  private readonly sizes = new Map<string, number>();
  private bytes = 0;

  constructor(private readonly measure: (value: unknown) => number = sizeOf) {}

  get totalBytes(): number {
    return this.bytes;
  }

  get memoryBytes(): number {
    return this.bytes;
  }

  get spilledBytes(): number {
    return 0;
  }

  get size(): number {
    return this.values.size;
  }

  has(key: string): boolean {
    return this.values.has(key);
  }

  put(key: string, value: unknown): number {
    this.delete(key);
    const n = this.measure(value);
    this.values.set(key, value);
    this.sizes.set(key, n);
    this.bytes += n;
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
    const out = new Array<unknown>(keys.length);
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i] as string;
      if (!this.values.has(k)) throw new ExecutionError("MISSING_DATA", `no result for key ${k} in this worker's store`, { key: k });
      out[i] = this.values.get(k);
    }
    return out;
  }

  nbytes(key: string): number | undefined {
    return this.sizes.get(key);
  }

  delete(key: string): boolean {
    const n = this.sizes.get(key);
    if (n === undefined) return false;
    this.bytes -= n;
    this.sizes.delete(key);
    return this.values.delete(key);
  }

  keys(): IterableIterator<string> {
    return this.values.keys();
  }

  clear(): void {
    this.values.clear();
    this.sizes.clear();
    this.bytes = 0;
  }
}
