// Returns the memory tasks dropped: a pool thread collects its young objects soon after a batch that leaves buffers
// behind.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** A collection follows a batch after which this thread holds at least this many bytes of buffers (garbage included). */
export const RELEASE_MIN_BYTES = 8 << 20;

/**
 * How long after such a batch its collection runs, with at most one waiting at a time. A thread that runs batch after
 * batch (a few milliseconds apart within a job) then collects a few times a second instead of after every batch (a
 * forced collection costs it 0.3-6 ms here: 3 runs of G1 q6 made 230 of them, 530 ms), and its own allocations trigger
 * collections in between anyway. An idle thread returns what its last tasks dropped this soon.
 */
export const RELEASE_DELAY_MS = 200;

/** V8's gc(): a full collection without options ({ type: "major" } gives a young one here, as "minor" does). */
type Collect = (options?: { type: "minor" }) => void;

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
 * A young-generation collection: it frees the buffers whose views a task made and dropped, which is what a task
 * leaves behind. (A full collection of a pool thread's heap costs 20-40 ms here, mostly compiled code to mark.)
 */
function collectYoung(): void {
  collector()?.({ type: "minor" });
}

/**
 * A thread that ran ops for less than this share of RELEASE_DELAY_MS since its collection was scheduled is idle: a
 * full collection then frees the buffers whose views were promoted to the old generation before they were dropped
 * (a view alive across a young collection, as large inputs and results are during their task). V8 would only collect
 * those when the old generation next fills, which an idle thread whose old generation starts at 64 MiB
 * (thread-heap.ts) may not do for a long time.
 */
export const IDLE_SHARE = 0.1;

let pending: ReturnType<typeof setTimeout> | null = null;
/** Milliseconds of ops this thread ran since its pending collection was scheduled. */
let busyMs = 0;

/** Counts a batch's run time toward telling an idle thread from a busy one (see IDLE_SHARE). */
export function noteRunTime(ms: number): void {
  busyMs += ms;
}

/**
 * After a batch of runs, while this thread holds at least RELEASE_MIN_BYTES of buffers (live or garbage, ordinary or
 * shared), a collection RELEASE_DELAY_MS later unless one is already waiting: an idle thread would otherwise keep
 * what its last task dropped (decoded columns, input copies, its views of a result handed over in shared memory)
 * resident until it next allocates. A young collection, and a full one too when the thread was idle meanwhile and
 * still holds that much (IDLE_SHARE). Shared memory is freed only once every thread holding it has collected.
 */
export function releaseAfterBatch(): void {
  // Buffers of this thread, SharedArrayBuffers included: V8's external-memory count leaves those out, so a task whose
  // results went to shared memory would otherwise keep every one of them alive until this thread next collects.
  // (process.memoryUsage costs ~12 µs here: once per batch of runs, not per run.)
  if (pending !== null || process.memoryUsage().arrayBuffers < RELEASE_MIN_BYTES || collector() === null) return;
  busyMs = 0;
  pending = setTimeout(() => {
    pending = null;
    collectYoung();
    if (busyMs < IDLE_SHARE * RELEASE_DELAY_MS && process.memoryUsage().arrayBuffers >= RELEASE_MIN_BYTES) collector()?.();
  }, RELEASE_DELAY_MS);
  pending.unref();
}

/** A collection now, where the runtime allows one: after an idle thread let its scratch memory go. */
export function collectGarbage(): void {
  collectYoung();
}
