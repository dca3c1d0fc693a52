// Where decoded columns are allocated: ordinary memory, or shared memory that other threads read without a copy.

/**
 * "shared": the columns' buffers are SharedArrayBuffers, for a result handed to other threads (a worker's pool thread
 * hands its results over in shared memory; decoding there directly spares a copy of every column, and the page faults
 * of the memory it would take).
 */
export type ColumnMemory = "ordinary" | "shared";

type Ctor<T> = new (buffer: ArrayBufferLike, byteOffset?: number, length?: number) => T;

/** A zeroed typed array of `n` elements in that memory. */
export function allocArray<T>(memory: ColumnMemory, Ctor: Ctor<T> & { readonly BYTES_PER_ELEMENT: number }, n: number): T {
  const bytes = n * Ctor.BYTES_PER_ELEMENT;
  return new Ctor(memory === "shared" ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes), 0, n);
}

/** The first `n` bytes of `b` in an exact-size buffer of that memory (a copy). */
export function exactBytes(memory: ColumnMemory, b: Uint8Array, n: number): Uint8Array {
  const out = allocArray(memory, Uint8Array, n);
  out.set(b.subarray(0, n));
  return out;
}
