// What every op states besides its handler: the check of its args and the storage its tasks touch.
import type { Check } from "@tessera/protocol";

/** The storage a task touches, as URLs (files or dataset directories); the storage-scope check reads these at intake. */
export interface StorageAccess {
  readonly reads: readonly string[];
  readonly writes: readonly string[];
}

/**
 * What every op states besides its handler: `check` validates the args' shape and bounds whatever the handler
 * allocates from them; `storage` lists the URLs a task with these (checked) args reads and writes.
 */
export interface OpContract<A> {
  readonly check: Check;
  storage(args: A): StorageAccess;
}
