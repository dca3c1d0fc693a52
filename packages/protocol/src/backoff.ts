// Exponential backoff with jitter for reconnecting (workers and clients to a scheduler): doubles up to a cap.

export interface BackoffOptions {
  /** The first wait (ms). */
  readonly firstMs: number;
  /** The longest wait (ms). */
  readonly maxMs: number;
  /** Each wait is drawn from [1 - jitter, 1] of its nominal value, so many workers do not dial in step. Default 0.5. */
  readonly jitter?: number;
}

/** Successive waits: firstMs, 2 firstMs, 4 firstMs, ... up to maxMs, each shortened by a random part of `jitter`. */
export class Backoff {
  attempts = 0;

  constructor(private readonly options: BackoffOptions) {}

  /** The next wait in ms (advances the attempt count). */
  next(): number {
    const nominal = Math.min(this.options.maxMs, this.options.firstMs * 2 ** this.attempts);
    this.attempts++;
    const jitter = this.options.jitter ?? 0.5;
    return Math.round(nominal * (1 - jitter * Math.random()));
  }

  wait(): Promise<void> {
    const ms = this.next();
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
