// Runs waiting for a pool thread, in order; ops that run short leave in batches, so a thread hop is paid per batch, not per run.

/** An op whose runs averaged less than this (ms) may share a batch; others always go alone. */
export const SHORT_RUN_MS = 0.5;
/** A batch is expected to hold its thread at most this long (ms), so it never keeps a run from a free thread for long. */
export const BATCH_BUDGET_MS = 1;
/** Most runs in one batch. */
export const MAX_BATCH_RUNS = 64;
/** Weight of the newest run in an op's running average. */
const NEWEST_WEIGHT = 0.2;

/**
 * A FIFO of runs plus what the pool learned of each op's run time. Invariants: runs leave in the order they came
 * (the worker state machine starts them in priority order); a batch holds runs of ops known to be short only, its
 * expected time within BATCH_BUDGET_MS, and no more than its share of the queue across the free threads.
 */
export class RunQueue<T> {
  private ops: string[] = [];
  private items: T[] = [];
  private head = 0;
  private readonly meanMs = new Map<string, number>();

  get size(): number {
    return this.items.length - this.head;
  }

  push(op: string, item: T): void {
    this.ops.push(op);
    this.items.push(item);
  }

  /** Records how long a run of `op` took (ms). */
  record(op: string, ms: number): void {
    if (!(ms >= 0)) return;
    const m = this.meanMs.get(op);
    this.meanMs.set(op, m === undefined ? ms : m + NEWEST_WEIGHT * (ms - m));
  }

  /** The running average of `op`'s run times (ms), or undefined before its first run. */
  expectedMs(op: string): number | undefined {
    return this.meanMs.get(op);
  }

  /** The next batch for one of `freeThreads` free threads (never empty while the queue is not). */
  take(freeThreads: number): T[] {
    const batch: T[] = [];
    if (this.size === 0) return batch;
    const limit = Math.min(MAX_BATCH_RUNS, Math.ceil(this.size / Math.max(1, freeThreads)));
    let total = 0;
    while (this.head < this.items.length) {
      const ms = this.expectedMs(this.ops[this.head] as string);
      const short = ms !== undefined && ms < SHORT_RUN_MS;
      if (batch.length > 0 && (!short || batch.length >= limit || total + (ms as number) > BATCH_BUDGET_MS)) break;
      batch.push(this.items[this.head] as T);
      this.head++;
      total += ms ?? 0;
      if (!short) break;
    }
    this.compact();
    return batch;
  }

  private compact(): void {
    if (this.head === this.items.length) {
      this.ops = [];
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.ops = this.ops.slice(this.head);
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }
}
