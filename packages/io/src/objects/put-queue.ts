// Many small PUTs: at most `concurrency` in flight, each retried with backoff on transient failures; the first hard failure stops the queue.
import { IoError, isTesseraError } from "@tessera/common";
import type { ObjectStore } from "../store/object-store.js";
import { RetriesExhausted, withRetry } from "../store/s3-retry.js";

export interface PutQueueOptions {
  /** PUTs in flight at once (default 16). */
  readonly concurrency?: number;
  /** Tries per object, the first included (default 4). */
  readonly attempts?: number;
  /** First retry delay in ms; each retry doubles the ceiling (full jitter). Default 50. */
  readonly retryBaseMs?: number;
  /** Ceiling of one delay (default 2,000 ms). */
  readonly retryMaxMs?: number;
}

/** Failures worth another try: a write that failed for a reason the store could not name more precisely, or no answer. */
export function isTransientPutError(e: unknown): boolean {
  return isTesseraError(e) ? e.code === "IO_WRITE" || e.code === "IO_UNREACHABLE" : true;
}

/**
 * Writes objects to one store. `put` resolves once the object is queued (waiting while `concurrency` PUTs are in
 * flight), so a producer renders the next object while earlier ones travel; `drain` waits for every PUT and throws
 * the first failure (an IoError naming the URL and the tries). After a failure `put` throws at once.
 */
export class PutQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  private objectCount = 0;
  private byteCount = 0;
  private readonly concurrency: number;
  private readonly attempts: number;
  private readonly baseMs: number;
  private readonly maxMs: number;

  constructor(private readonly store: ObjectStore, opts: PutQueueOptions = {}) {
    this.concurrency = Math.max(1, Math.floor(opts.concurrency ?? 16));
    this.attempts = Math.max(1, Math.floor(opts.attempts ?? 4));
    this.baseMs = opts.retryBaseMs ?? 50;
    this.maxMs = opts.retryMaxMs ?? 2000;
  }

  async put(url: string, body: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    while (this.inFlight.size >= this.concurrency) {
      await Promise.race(this.inFlight);
      if (this.failure !== null) throw this.failure;
    }
    const policy = { maxAttempts: this.attempts, baseMs: this.baseMs, maxMs: this.maxMs, retryable: isTransientPutError };
    const p: Promise<void> = withRetry(policy, () => this.store.put(url, body))
      .then(() => { this.objectCount++; this.byteCount += body.length; })
      .catch((e: unknown) => { this.failure ??= failed(url, e); })
      .finally(() => { this.inFlight.delete(p); });
    this.inFlight.add(p);
  }

  /** Waits for every queued PUT; throws the first failure. */
  async drain(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure !== null) throw this.failure;
  }

  /** Objects and bytes written so far (successful PUTs only). */
  get written(): { readonly objects: number; readonly bytes: number } {
    return { objects: this.objectCount, bytes: this.byteCount };
  }
}

function failed(url: string, e: unknown): unknown {
  const last = e instanceof RetriesExhausted ? e.last : e;
  const tries = e instanceof RetriesExhausted ? e.attempts : 1;
  if (isTesseraError(last)) return tries > 1 ? new IoError(last.code, `${last.message} (${tries} tries)`, { ...last.details, url, attempts: tries }) : last;
  return new IoError("IO_WRITE", `cannot write ${url} (${tries} tries): ${last instanceof Error ? last.message : String(last)}`, { url, attempts: tries });
}
