// Double-double arithmetic (hi + lo carries ~106 bits): exact-ish accumulation so float aggregates do not depend on order.

/** Veltkamp splitter for 53-bit doubles. */
const SPLIT = 134217729;

/** hi + lo = a + b exactly (Knuth TwoSum); returns hi, writes lo to out[0]. */
export function twoSum(a: number, b: number, out: Float64Array): number {
  const s = a + b;
  const bb = s - a;
  out[0] = (a - (s - bb)) + (b - bb);
  return s;
}

/** p + e = a * b exactly (Dekker TwoProduct with Veltkamp splitting); returns p, writes e to out[0]. */
export function twoProd(a: number, b: number, out: Float64Array): number {
  const p = a * b;
  let c = SPLIT * a;
  const ah = c - (c - a);
  const al = a - ah;
  c = SPLIT * b;
  const bh = c - (c - b);
  const bl = b - bh;
  out[0] = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  return p;
}

/** A double-double value. */
export interface DD { hi: number; lo: number }

/** Normalizes (hi, lo) so |lo| <= ulp(hi) / 2. */
export function ddNorm(hi: number, lo: number): DD {
  const s = hi + lo;
  return { hi: s, lo: lo - (s - hi) };
}

export function ddAdd(a: DD, b: DD): DD {
  const s = a.hi + b.hi;
  const bb = s - a.hi;
  const e = (a.hi - (s - bb)) + (b.hi - bb);
  return ddNorm(s, e + a.lo + b.lo);
}

export function ddNeg(a: DD): DD {
  return { hi: -a.hi, lo: -a.lo };
}

const scratch = new Float64Array(1);

export function ddMul(a: DD, b: DD): DD {
  const p = twoProd(a.hi, b.hi, scratch);
  const e = (scratch[0] as number) + (a.hi * b.lo + a.lo * b.hi);
  return ddNorm(p, e);
}

/** a / d for a double d. */
export function ddDivNum(a: DD, d: number): DD {
  const q1 = a.hi / d;
  const p = twoProd(q1, d, scratch);
  const r = ((a.hi - p) - (scratch[0] as number) + a.lo) / d;
  return ddNorm(q1, r);
}

/** sum - s^2 / n in double-double (the centred sum of squares, for variance and covariance), as a double. */
export function centred(sumSq: DD, sumA: DD, sumB: DD, n: number): number {
  const prod = ddDivNum(ddMul(sumA, sumB), n);
  const r = ddAdd(sumSq, ddNeg(prod));
  return r.hi + r.lo;
}
