// The k-th smallest of a range of doubles without sorting it: quickselect, as quantile kernels need one or two ranks.

/** Partition rounds before a range is sorted instead (bad pivots on adversarial input cannot make it quadratic). */
const MAX_ROUNDS = 48;

/**
 * The value a sort of v[from, to) (NaN-free) would put at index k (from <= k < to), with v rearranged so that every
 * value before k is <= it and every value after is >=. Hoare partitioning around a median-of-three pivot, keeping
 * the side holding k; expected O(to - from).
 */
export function selectKth(v: Float64Array, from: number, to: number, k: number): number {
  let left = from;
  let right = to - 1;
  for (let round = 0; right > left; round++) {
    if (round === MAX_ROUNDS) {
      v.subarray(left, right + 1).sort();
      break;
    }
    const a = v[left] as number, b = v[(left + right) >>> 1] as number, c = v[right] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = left;
    let j = right;
    while (i <= j) {
      while ((v[i] as number) < pivot) i++;
      while ((v[j] as number) > pivot) j--;
      if (i <= j) {
        const t = v[i] as number;
        v[i] = v[j] as number;
        v[j] = t;
        i++;
        j--;
      }
    }
    // Now v[left..j] <= pivot <= v[i..right], and v[j+1..i-1] equal the pivot.
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return v[k] as number;
  }
  return v[k] as number;
}

/** The smallest of v[from, to) (to > from). */
export function minOf(v: Float64Array, from: number, to: number): number {
  let m = v[from] as number;
  for (let i = from + 1; i < to; i++) if ((v[i] as number) < m) m = v[i] as number;
  return m;
}

/** Moves the NaNs of v[from, to) to its end; returns where they start. */
export function nansLast(v: Float64Array, from: number, to: number): number {
  let end = to;
  for (let i = from; i < end;) {
    const x = v[i] as number;
    if (x === x) { i++; continue; }
    end--;
    v[i] = v[end] as number;
    v[end] = x;
  }
  return end;
}

/**
 * The zero a sort of v[from, to) (NaN-free) puts at index k, when the value there is a zero: typed-array sorts order
 * -0 before 0, which comparisons cannot tell apart.
 */
export function signedZeroAt(v: Float64Array, from: number, to: number, k: number): number {
  let below = 0;
  let negZeros = 0;
  for (let i = from; i < to; i++) {
    const x = v[i] as number;
    if (x < 0) below++;
    else if (x === 0 && 1 / x < 0) negZeros++;
  }
  const rank = k - from;
  return rank >= below && rank < below + negZeros ? -0 : 0;
}
