// Returns the memory a large task dropped at once: a pool thread collects its garbage right after such a task.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A collection follows a task after which this thread holds at least this many bytes of buffers (garbage included). */
export const RELEASE_MIN_BYTES = 8 << 20;

type Collect = (options: { type: "minor" | "major" }) => void;

let collect: Collect | null | undefined;

/** V8's collector, exposed once for this isolate; null where the runtime refuses. */
function collector(): Collect | null {
  if (collect === undefined) {
    try {
      setFlagsFromString("--expose-gc");
      collect = runInNewContext("gc") as Collect;
    } catch {
      collect = null;
    }
  }
  return collect;
}

/**
 * After a batch of runs, while this thread holds at least RELEASE_MIN_BYTES of buffers (live or garbage, ordinary or shared), a
 * collection once its result is posted (the next turn of the thread's event loop: the pool runs without Atomics waits,
 * see thread-pool.ts): an idle thread would otherwise keep what its last task dropped (decoded columns, input copies, its
 * views of a result handed over in shared memory) resident until it next allocates. Shared memory is freed only
 * once every thread holding it has collected.
 */
export function releaseAfterBatch(): void {
  // Buffers of this thread, SharedArrayBuffers included: V8's external-memory count leaves those out, so a task whose
  // results went to shared memory would otherwise keep every one of them alive until this thread next collects.
  // (process.memoryUsage costs ~12 µs here: once per batch of runs, not per run.)
  if (scheduled || process.memoryUsage().arrayBuffers < RELEASE_MIN_BYTES) return;
  const gc = collector();
  if (gc === null) return;
  scheduled = true;
  setImmediate(() => {
    scheduled = false;
    gc({ type: "major" });
  });
}

let scheduled = false;

/** A collection now, where the runtime allows one: after an idle thread let its scratch memory go. */
export function collectGarbage(): void {
  collector()?.({ type: "major" });
}
