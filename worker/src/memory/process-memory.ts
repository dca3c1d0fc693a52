// The worker process's garbage against its memory limit: dropped results are freed by a GC asked for once they pile up.
import { arrayBufferBytes, collectGarbage } from "./garbage.js";

export interface ProcessMemoryOptions {
  /** Bytes this worker's data may take (--memory-limit). */
  readonly limit: number;
  /** A GC runs once array buffers grew by this fraction of the limit since the last one. Default 0.1. */
  readonly growth?: number;
  /** Checks at most once per this many ms (reading process memory costs tens of µs). Default 100. */
  readonly everyMs?: number;
  readonly now?: () => number;
  readonly arrayBuffers?: () => number;
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
  private readonly arrayBuffers: () => number;
  private last = Number.NEGATIVE_INFINITY;
  /** Array buffers just after the last collection (or at start). */
  private floor: number;
  private collected = false;
  /** Garbage collections this guard asked for. */
  collections = 0;

  constructor(private readonly options: ProcessMemoryOptions) {
    this.now = options.now ?? (() => performance.now());
    this.arrayBuffers = options.arrayBuffers ?? arrayBufferBytes;
    this.floor = this.arrayBuffers();
  }

  /** Runs the check (throttled unless `force`). */
  check(force = false): void {
    const t = this.now();
    if (!force && t - this.last < (this.options.everyMs ?? 100)) return;
    this.last = t;
    if (!Number.isFinite(this.options.limit)) return;
    const bytes = this.arrayBuffers();
    // V8 frees buffers after a collection returns: the first reading after one is the new floor.
    if (this.collected) {
      this.collected = false;
      this.floor = bytes;
      return;
    }
    if (bytes - this.floor > (this.options.growth ?? 0.1) * this.options.limit && collectGarbage()) {
      this.collections++;
      this.collected = true;
    }
    this.floor = Math.min(this.floor, bytes);
  }
}
