// Working memory of a pool thread's kernels, reused from task to task instead of asked of the system each time.
//
// A pool thread shares every large result (worker/src/pool/share.ts copies it into shared memory), so the ordinary
// buffers its kernels allocate during a task (key codes, group ids, hash tables, partial states, concatenated
// inputs, output columns before that copy) are garbage once the task's result is shared. Freshly allocated memory is
// expensive: each new 4 KiB page costs a fault when first written (2.7-4 µs on the benchmark machine, counting its
// unmap, where the engine runs with glibc's mmap threshold fixed so that freed column buffers go back to the
// system). Buffers lent here during a batch of tasks are taken back once its results are posted (idleScratch) and
// lent again; an idle thread lets them all go. Threads that do not enable scratch memory (the main thread, tests) get ordinary arrays.
// (The Parquet reader's page buffers, given back explicitly by their one user, are io's scratch-buffers.ts.)

/** A typed array constructor: a new zeroed array of a length, or a view over a buffer. */
export interface ScratchCtor<T> {
  new (length: number): T;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** Arrays smaller than this are ordinary allocations: small blocks come from malloc's own free lists cheaply. */
export const SCRATCH_MIN_BYTES = 1 << 17;
/**
 * Bytes of buffers a thread lends and keeps, free and lent together: past this, a kernel's array is an ordinary
 * allocation, left to the garbage collector, so scratch memory never holds more than this per thread.
 */
export const SCRATCH_KEEP_BYTES = 256 << 20;
/**
 * A thread idle this long lets its buffers go (and collects them), so an idle worker holds no working memory. Within
 * a job the pool threads are rarely idle this long; between jobs they are.
 */
export const SCRATCH_IDLE_MS = 50;

let enabled = false;
/** Free buffers by size class (bytes). */
const free = new Map<number, ArrayBuffer[]>();
let freeBytes = 0;
/** Buffers lent during the current batch, and their bytes: with the free buffers, at most SCRATCH_KEEP_BYTES. */
let lent: ArrayBuffer[] = [];
let lentBytes = 0;
let idleTimer: ReturnType<typeof setTimeout> | null = null;
/** Whether a batch is running: buffers lent during it must not come back before it ends. */
let inBatch = false;

/** Lends scratch memory to this thread's kernels from now on (a pool thread's entry calls this once); false stops. */
export function enableScratch(on = true): void {
  enabled = on;
  if (!on) dropScratch();
}

/**
 * The size class of a request: the next of 1, 1.25, 1.5 and 1.75 times a power of two, so a buffer serves requests
 * up to a fifth smaller than itself and wastes at most a fifth of its bytes.
 */
function sizeClass(bytes: number): number {
  const p = 2 ** Math.floor(Math.log2(bytes));
  const step = p / 4;
  return Math.ceil(bytes / step) * step;
}

/**
 * An array of `length` elements for a kernel. Scratch contents are whatever an earlier task left unless `zeroed`:
 * callers that write every element before reading it pass false. Never keep one past the current task outside its
 * result (in a module-level cache, say): it is lent again in the next batch.
 */
export function scratchArray<T>(ctor: ScratchCtor<T>, length: number, zeroed: boolean): T {
  const bytes = length * ctor.BYTES_PER_ELEMENT;
  if (!enabled || bytes < SCRATCH_MIN_BYTES) return new ctor(length);
  const cls = sizeClass(bytes);
  const list = free.get(cls);
  let buf = list === undefined ? undefined : list.pop();
  if (buf !== undefined) {
    freeBytes -= cls;
    if (zeroed) new Uint8Array(buf, 0, bytes).fill(0);
  } else if (freeBytes + lentBytes + cls <= SCRATCH_KEEP_BYTES) {
    buf = new ArrayBuffer(cls);
  } else {
    // Past the limit a buffer is not tracked: garbage once the kernel drops it, collected like any other.
    return new ctor(length);
  }
  lent.push(buf);
  lentBytes += cls;
  return new ctor(buf, 0, length);
}

/** Moves the lent buffers to the free lists, up to SCRATCH_KEEP_BYTES; detached ones (moved to another thread) go. */
function takeBackLent(): void {
  for (const buf of lent) {
    if (buf.byteLength === 0) continue;
    const list = free.get(buf.byteLength);
    if (list === undefined) free.set(buf.byteLength, [buf]);
    else list.push(buf);
    freeBytes += buf.byteLength;
  }
  lent = [];
  lentBytes = 0;
}

/**
 * A batch of tasks starts: the buffers lent during the previous one come back. By then its results were posted: each
 * buffer they used was moved to the main thread (detached here, so dropped), copied by structured clone, or copied
 * into shared memory before that, so nothing outside this module uses the lent buffers any more. Kernels keep no
 * array across tasks (module-level caches hold copies).
 */
export function reclaimScratch(): void {
  inBatch = true;
  if (idleTimer !== null) { clearTimeout(idleTimer); idleTimer = null; }
  takeBackLent();
}

/**
 * A batch ended. Once its results are posted (the next turn of the event loop, unless another batch started), its
 * buffers come back, past SCRATCH_KEEP_BYTES are let go, and unless a batch starts within SCRATCH_IDLE_MS every
 * free buffer is let go too, then, if there were any, `onDrop` runs (a pool thread collects its garbage there, so the
 * memory is returned while it idles).
 */
export function idleScratch(onDrop?: () => void): void {
  if (!enabled) return;
  inBatch = false;
  setImmediate(() => {
    if (inBatch) return;
    takeBackLent();
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => {
      const held = freeBytes + lentBytes;
      dropScratch();
      if (held > 0) onDrop?.();
    }, SCRATCH_IDLE_MS);
    idleTimer.unref();
  });
}

/** Lets every buffer go (the garbage collector returns them to the system). */
export function dropScratch(): void {
  free.clear();
  freeBytes = 0;
  lent = [];
  lentBytes = 0;
  if (idleTimer !== null) clearTimeout(idleTimer);
  idleTimer = null;
}

/** Bytes of free buffers this thread holds (for tests and metrics). */
export function scratchFreeBytes(): number {
  return freeBytes;
}
