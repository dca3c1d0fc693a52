// Where decoded columns are allocated: ordinary memory, shared memory that other threads read without a copy, or the
// thread's working memory for columns its task consumes.
import { scratchArray } from "@tessera/kernels";

/**
 * - "ordinary": ArrayBuffers of their own.
 * - "shared": SharedArrayBuffers, for a result handed to other threads (a worker's pool thread hands its results over
 *   in shared memory; decoding there directly spares a copy of every column).
 * - "scratch": the thread's working memory (kernels' scratchArray), for columns the task itself consumes (an
 *   aggregation builds its result anew). A buffer reused from an earlier task is written without the page faults of
 *   fresh memory (about 0.65 ms a megabyte here, a third of decoding a dictionary-encoded column). The kernels'
 *   contract holds for them: whatever part of a result they are is copied or moved before the buffer is lent again.
 *   Where the thread lends no working memory, they are ordinary.
 */
export type ColumnMemory = "ordinary" | "shared" | "scratch";

interface Ctor<T> {
  new (length: number): T;
  new (buffer: ArrayBufferLike, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

/**
 * A typed array of `n` elements in that memory, zeroed unless `zeroed` is false (the caller writes every element
 * before anyone reads it; only scratch memory then keeps an earlier task's contents).
 */
export function allocArray<T>(memory: ColumnMemory, Ctor: Ctor<T>, n: number, zeroed = true): T {
  if (memory === "scratch") return scratchArray(Ctor, n, zeroed);
  const bytes = n * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(memory === "shared" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, n);
}

/** The first `n` bytes of `b` in an exact-size buffer of that memory (a copy). */
export function exactBytes(memory: ColumnMemory, b: Uint8Array, n: number): Uint8Array {
  const out = allocArray(memory, Uint8Array, n);
  out.set(b.subarray(0, n));
  return out;
}
