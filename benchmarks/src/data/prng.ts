// A seeded, fast PRNG (mulberry32) with vectorized helpers that fill typed arrays, for deterministic data sets.
import { mulberry32 } from "@tessera/common";

export { mulberry32 };

/** The few sampling primitives R's data generators use (sample, runif, sample.int), over typed arrays. */
export class Rng {
  private readonly next: () => number;
  constructor(seed: number) { this.next = mulberry32(seed); }

  /** R's `sample(m, n, TRUE)`: n integers drawn uniformly from 1..m. */
  ints(n: number, m: number): Int32Array {
    const out = new Int32Array(n);
    const next = this.next;
    for (let i = 0; i < n; i++) out[i] = Math.floor(next() * m) + 1;
    return out;
  }

  /** R's `round(runif(n, max = max), digits)`. */
  uniform(n: number, max: number, digits = 6): Float64Array {
    const out = new Float64Array(n);
    const scale = 10 ** digits;
    const next = this.next;
    for (let i = 0; i < n; i++) out[i] = Math.round(next() * max * scale) / scale;
    return out;
  }

  /** Shuffles in place (Fisher-Yates) and returns the array. */
  shuffle<T extends Int32Array | Float64Array>(a: T): T {
    const next = this.next;
    for (let i = a.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      const t = a[i] as number;
      a[i] = a[j] as number;
      a[j] = t;
    }
    return a;
  }

  /** R's `sample.int(m)`: a random permutation of 1..m. */
  permutation(m: number): Int32Array {
    const out = new Int32Array(m);
    for (let i = 0; i < m; i++) out[i] = i + 1;
    return this.shuffle(out);
  }

  /** R's `sample(pool, n, TRUE)`: n values drawn uniformly from `pool`. */
  draw(pool: Int32Array, n: number): Int32Array {
    const out = new Int32Array(n);
    const next = this.next;
    const m = pool.length;
    for (let i = 0; i < n; i++) out[i] = pool[Math.floor(next() * m)] as number;
    return out;
  }
}
