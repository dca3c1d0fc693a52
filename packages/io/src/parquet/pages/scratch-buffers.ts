// Working buffers reused from read to read in this thread: taken by a column under construction, given back when done.

/** At most this many buffers, of at most this many bytes in all, wait for reuse; the rest are left to the collector. */
const MAX_FREE = 8;
const MAX_FREE_BYTES = 64 << 20;

const free: ArrayBuffer[] = [];
let freeBytes = 0;

/**
 * A buffer of at least `bytes` bytes: the smallest waiting one that fits, else a new one of that size. Its contents
 * are whatever its last user left. Reuse spares the page faults of fresh memory (about half a millisecond per
 * megabyte here) and the collections that many large short-lived buffers cause.
 */
export function takeBuffer(bytes: number): ArrayBuffer {
  let best = -1;
  for (let i = 0; i < free.length; i++) {
    const b = free[i] as ArrayBuffer;
    if (b.byteLength >= bytes && (best < 0 || b.byteLength < (free[best] as ArrayBuffer).byteLength)) best = i;
  }
  if (best < 0) return new ArrayBuffer(bytes);
  const [b] = free.splice(best, 1) as [ArrayBuffer];
  freeBytes -= b.byteLength;
  return b;
}

/** Gives a buffer back for reuse; the caller keeps no view of it. Past the limits, the smallest waiting ones go. */
export function giveBuffer(b: ArrayBuffer): void {
  if (b.byteLength === 0 || b.byteLength > MAX_FREE_BYTES) return;
  free.push(b);
  freeBytes += b.byteLength;
  free.sort((x, y) => y.byteLength - x.byteLength);
  while (free.length > MAX_FREE || freeBytes > MAX_FREE_BYTES) freeBytes -= (free.pop() as ArrayBuffer).byteLength;
}

/** Lets every waiting buffer go (an idle thread holds no page buffers; the collector frees them). */
export function dropPageBuffers(): void {
  free.length = 0;
  freeBytes = 0;
}
