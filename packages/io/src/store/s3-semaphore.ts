// A counting semaphore: at most `limit` async operations of one S3 store in flight, the rest wait in FIFO order.

export class Semaphore {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  /** Operations running now (for tests and metrics). */
  get inFlight(): number {
    return this.active;
  }

  /** Runs `f` once a slot is free; the slot is released however `f` ends. */
  async run<T>(f: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await f();
    } finally {
      // Hand the slot straight to the next waiter (active stays the same), or free it.
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.active--;
    }
  }
}
