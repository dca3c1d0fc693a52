// Where the run's objects go: a store URL (file://, s3://, memory://) or nowhere ("none"), with bounded PUTs in flight.
import type { ObjectStore } from "tessera";
import { IoError, storeFor } from "tessera";

/** Counts of what a writer wrote. */
export interface WriteStats {
  readonly objects: number;
  readonly bytes: number;
}

/**
 * Writes objects by key under one root. `put` returns once the object is queued (at most `concurrency` PUTs run at
 * once; each store retries transient failures itself); `flush` waits for every queued PUT and throws the first
 * failure. Writing the same key twice replaces the object (a re-run overwrites).
 */
export interface ObjectWriter {
  put(key: string, body: Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  flush(): Promise<void>;
  stats(): WriteStats;
}

class StoreWriter implements ObjectWriter {
  private inFlight = new Set<Promise<void>>();
  private failure: unknown = null;
  private objects = 0;
  private bytes = 0;

  constructor(private readonly store: ObjectStore | null, private readonly root: string, private readonly concurrency: number) {}

  async put(key: string, body: Uint8Array): Promise<void> {
    if (this.failure !== null) throw this.failure;
    while (this.inFlight.size >= this.concurrency) await Promise.race(this.inFlight);
    this.objects++;
    this.bytes += body.length;
    if (this.store === null) return;
    const p: Promise<void> = this.store.put(`${this.root}${key}`, body)
      .catch((e: unknown) => { this.failure ??= e; })
      .finally(() => { this.inFlight.delete(p); });
    this.inFlight.add(p);
  }

  async delete(key: string): Promise<void> {
    if (this.store !== null) await this.store.delete(`${this.root}${key}`);
  }

  async flush(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all(this.inFlight);
    if (this.failure !== null) throw this.failure;
  }

  stats(): WriteStats {
    return { objects: this.objects, bytes: this.bytes };
  }
}

/**
 * A writer for `out`: `file://DIR` (or a plain path), `s3://BUCKET[/PREFIX]`, `memory://...`, or `none` (objects
 * are rendered and counted, not stored: for profiling). Keys are appended to `out` with one "/".
 */
export function objectWriter(out: string, opts: { concurrency?: number } = {}): ObjectWriter {
  const concurrency = opts.concurrency ?? 32;
  if (out === "none") return new StoreWriter(null, "", concurrency);
  if (out === "") throw new IoError("IO_BAD_URL", "the output URL is empty; give file://DIR, s3://BUCKET or none");
  const root = out.endsWith("/") ? out : `${out}/`;
  return new StoreWriter(storeFor(root), root, concurrency);
}
