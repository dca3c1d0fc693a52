// Stable LSD radix sort of row-index arrays by 32-bit unsigned keys: the linear-time core of every sort here.

const BITS = 11;
const BUCKETS = 1 << BITS;
const MASK = BUCKETS - 1;
const DIGITS = 3; // 11 + 11 + 10 bits cover 32
const SMALL = 48; // below this many rows an insertion sort beats three histograms

/**
 * Reorders the row ids in `idx` stably by `keys[row]` ascending and returns the array holding the result
 * (either `idx` or `tmp`; the other is clobbered). `tmp` must have at least `idx.length` entries.
 * Digits on which every row agrees are skipped, so a key range under 2^11 costs one scatter pass.
 */
export function radixSortByKey(idx: Int32Array, keys: Uint32Array, tmp: Int32Array): Int32Array {
  const n = idx.length;
  if (n < 2) return idx;
  if (n < SMALL) return insertionSortByKey(idx, keys);
  const hist = new Uint32Array(DIGITS * BUCKETS);
  for (let k = 0; k < n; k++) {
    const key = keys[idx[k]!]!;
    hist[key & MASK]!++;
    hist[BUCKETS + ((key >>> BITS) & MASK)]!++;
    hist[2 * BUCKETS + (key >>> (2 * BITS))]!++;
  }
  let src = idx;
  let dst = tmp.length === n ? tmp : tmp.subarray(0, n);
  for (let d = 0; d < DIGITS; d++) {
    const base = d * BUCKETS;
    const shift = d * BITS;
    if (hist[base + ((keys[src[0]!]! >>> shift) & MASK)] === n) continue; // every row has this digit
    let sum = 0;
    for (let b = 0; b < BUCKETS; b++) {
      const c = hist[base + b]!;
      hist[base + b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const row = src[k]!;
      const bucket = base + ((keys[row]! >>> shift) & MASK);
      dst[hist[bucket]!++] = row;
    }
    const t = src;
    src = dst;
    dst = t;
  }
  return src;
}

/** Stable insertion sort of row ids by key, in place; for tiny inputs. */
function insertionSortByKey(idx: Int32Array, keys: Uint32Array): Int32Array {
  for (let i = 1; i < idx.length; i++) {
    const row = idx[i]!;
    const key = keys[row]!;
    let j = i - 1;
    while (j >= 0 && keys[idx[j]!]! > key) {
      idx[j + 1] = idx[j]!;
      j--;
    }
    idx[j + 1] = row;
  }
  return idx;
}

/** Row ids 0..n-1. */
export function identityIndices(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
