// The heap a pool thread starts with: an old generation sized for a stream of short tasks, not for its small live heap.
import { setFlagsFromString } from "node:v8";

/**
 * V8's initial old-generation size for pool threads, MiB. A pool thread's live heap is small (about 17 MiB: its
 * modules and compiled code) while every task promotes some short-lived objects, and V8 sizes a new heap's limits
 * from its live size: such a thread ran a full collection every ~100 ms (33 per thread over two G1 q10 runs, 20-40 ms
 * each with their incremental marking). Starting at 64 MiB, the same runs made 8-12 of them, and peak memory did not
 * move (the buffers that dominate it live outside the heap).
 */
export const THREAD_OLD_SPACE_MB = 64;

const FLAG = "initial-old-space-size";

/** Pools whose threads may still be creating their heaps. */
let starting = 0;

/** The initial old-space size (MiB) this module has V8 give new heaps now; null: V8's default (or the user's flag). */
export function threadHeapFlag(): number | null {
  return starting > 0 ? THREAD_OLD_SPACE_MB : null;
}

/** Whether the process was started with its own initial old-space size (a node flag or NODE_OPTIONS): left alone. */
function setByUser(): boolean {
  const options = [...process.execArgv, ...(process.env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  return options.some((o) => o.replace(/_/g, "-").startsWith(`--${FLAG}`));
}

/**
 * Sets V8's initial old-space size for the heaps created from now on (a pool's threads, which read it as they start);
 * the returned function, called once those threads exist, restores V8's default when no other pool is starting, so
 * heaps created later elsewhere in the process (the user's own worker threads) get the default again. Calling it
 * again does nothing.
 */
export function threadHeapWhileStarting(): () => void {
  if (setByUser()) return () => undefined;  // `starting` stays 0: threadHeapFlag() says null
  if (starting++ === 0) setFlagsFromString(`--${FLAG}=${THREAD_OLD_SPACE_MB}`);
  let done = false;
  return () => {
    if (done) return;
    done = true;
    if (--starting === 0) setFlagsFromString(`--${FLAG}=0`);
  };
}
