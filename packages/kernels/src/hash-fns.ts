// Scalar hash primitives (murmur3-style, 32-bit) shared by row hashing, grouping and hash indexes.

/** Hash of a 64-bit integer given as two 32-bit words. Returns a signed int32. */
export function mixInt(lo: number, hi: number): number {
  let h = 0x9747b28c;
  let k = Math.imul(lo, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  k = Math.imul(hi, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  h ^= Math.imul(k, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 8;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The hash every null key gets. */
export const NULL_HASH = 0x7f4a7c15;
const NAN_HASH = 0x2545f491;
const TWO32 = 4294967296;
const MAX_SAFE = 9007199254740992;

const f64 = new Float64Array(1);
const f64w = new Int32Array(f64.buffer);

/** Hash of a number. Integral values within ±2^53 hash like the same int64 (so 5, 5n and 5.0 agree; -0 like 0); NaNs agree. */
export function hashNumber(x: number): number {
  if (x === Math.floor(x) && x >= -MAX_SAFE && x <= MAX_SAFE) return mixInt((x % TWO32) | 0, Math.floor(x / TWO32) | 0);
  if (x !== x) return NAN_HASH;
  f64[0] = x;
  return mixInt(f64w[0] as number, f64w[1] as number);
}

/** murmur3_32 of bytes[s, e). */
export function hashBytes(b: Uint8Array, s: number, e: number): number {
  let h = 0x3c6ef372;
  const len = e - s;
  let p = s;
  const end4 = s + (len & ~3);
  while (p < end4) {
    let k = (b[p] as number) | ((b[p + 1] as number) << 8) | ((b[p + 2] as number) << 16) | ((b[p + 3] as number) << 24);
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
    p += 4;
  }
  const rem = len & 3;
  if (rem > 0) {
    let k = b[p] as number;
    if (rem > 1) k ^= (b[p + 1] as number) << 8;
    if (rem > 2) k ^= (b[p + 2] as number) << 16;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    h ^= Math.imul(k, 0x1b873593);
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** The smallest power of two >= max(16, 2 * n): an open-addressing table size with load factor <= 1/2. */
export function tableSize(n: number): number {
  let s = 16;
  while (s < 2 * n) s *= 2;
  return s;
}
