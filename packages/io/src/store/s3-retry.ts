// Retries with exponential backoff and full jitter, for the failures isRetryableS3Error accepts.

export interface RetryPolicy {
  /** Tries in all, including the first. */
  readonly maxAttempts: number;
  readonly baseMs: number;
  readonly maxMs: number;
  readonly retryable: (e: unknown) => boolean;
  /** Source of randomness in [0, 1); Math.random by default (tests pass a fixed one). */
  readonly random?: () => number;
}

/** Failure of the last try, with how many tries were made (for error messages). */
export class RetriesExhausted extends Error {
  constructor(readonly last: unknown, readonly attempts: number) {
    super(last instanceof Error ? last.message : String(last));
    this.name = "RetriesExhausted";
  }
}

/** The delay before try `attempt + 1` (attempt counts from 1): uniform in [0, min(maxMs, baseMs * 2^(attempt-1))). */
export function backoffMs(policy: RetryPolicy, attempt: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
  return Math.floor((policy.random ?? Math.random)() * ceiling);
}

/**
 * Calls `f` until it succeeds, it fails with an error that is not retryable, or maxAttempts tries are used.
 * Always rejects with RetriesExhausted carrying the last error and the number of tries.
 */
export async function withRetry<T>(policy: RetryPolicy, f: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await f(attempt);
    } catch (e) {
      if (attempt >= policy.maxAttempts || !policy.retryable(e)) throw new RetriesExhausted(e, attempt);
      await new Promise<void>((resolve) => setTimeout(resolve, backoffMs(policy, attempt)));
    }
  }
}
