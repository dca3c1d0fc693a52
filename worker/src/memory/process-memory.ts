// The worker process's garbage against its memory limit: dropped results are freed by a GC asked for once they pile up.
import { arrayBufferBytes, collectGarbage } from "./garbage.js";

export interface ProcessMemoryOptions {
  /** Bytes this worker's data may take (--memory-limit). */
  readonly limit: number;
  /** A GC runs once array buffers grew by this fraction of the limit since the last one. Default 0.1. */
  readonly growth?: number;
  /** The growth in bytes instead of a fraction of the limit (an embedded cluster's, whose limit is the machine's). */
  readonly growthBytes?: number;
  /** Checks at most once per this many ms (reading process memory costs tens of µs). Default 100. */
  readonly everyMs?: number;
  readonly now?: () => number;
  /**
   * What growth is measured on: this thread's array buffers by default. An embedded cluster measures the process's
   * resident memory instead: the shared memory its results live in is allocated by pool threads and counted in their
   * isolates, not in the main thread's array buffers, yet only a collection on the main thread lets it go.
   */
  readonly measure?: () => number;
}

/**
 * The store counts the results a worker holds, but the process also holds results it dropped (and copies it sent to
 * peers, spilled or read back), which V8 frees only at a GC: with few JS objects on the heap, one may not come for a
 * long while and the process grows far past its limit. After work finishes and on heartbeats, once the process's
 * array buffers grew by `growth` × limit since the last collection, a full GC runs. (Growth, not garbage, is what
 * can be measured: the store's sizes are estimates of its values, not of the buffers behind them. Spilling more
 * results when the process is large was tried and dropped: the excess is mostly not results, and spilling by it
 * made shuffles read their inputs back again and again.)
 */
export class ProcessMemoryGuard {
  private readonly now: () => number;
  private readonly measure: () => number;
  private last = Number.NEGATIVE_INFINITY;
  /** Array buffers just after the last collection (or at start). */
  private floor: number;
  private collected = false;
  /** Garbage collections this guard asked for. */
  collections = 0;
  /** Checks that measured (not skipped by the throttle): a caller can wait on a check having happened. */
  checks = 0;

  constructor(private readonly options: ProcessMemoryOptions) {
    this.now = options.now ?? (() => performance.now());
    this.measure = options.measure ?? arrayBufferBytes;
    this.floor = this.measure();
  }

  /** Runs the check (throttled unless `force`); returns whether it collected. */
  check(force = false): boolean {
    const t = this.now();
    if (!force && t - this.last < (this.options.everyMs ?? 100)) return false;
    this.last = t;
    this.checks++;
    const growth = this.options.growthBytes ?? (this.options.growth ?? 0.1) * this.options.limit;
    if (!Number.isFinite(growth)) return false;
    const bytes = this.measure();
    // V8 frees buffers after a collection returns: the first reading after one is the new floor.
    if (this.collected) {
      this.collected = false;
      this.floor = bytes;
      return false;
    }
    if (bytes - this.floor > growth && collectGarbage()) {
      this.collections++;
      this.collected = true;
      return true;
    }
    this.floor = Math.min(this.floor, bytes);
    return false;
  }
}
