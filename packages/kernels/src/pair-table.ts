// Combines two dense code columns into one dense code per distinct pair (multi-column keys, column by column).
import { mixInt, tableSize } from "./hash-fns.js";

/** Pairs up to this many cells use a direct lookup array instead of hashing. */
const DIRECT_LIMIT = 1 << 20;

/** A (a, b) → code map over a ∈ [0, na), b ∈ [0, nb). Mutable; codes dense in first-insertion order. */
export interface PairTable {
  readonly na: number;
  readonly nb: number;
  count: number;
  direct: Int32Array | null; // code per a * nb + b, -1 = absent
  slots: Int32Array; // hash mode: code + 1, 0 = empty
  pa: Int32Array;
  pb: Int32Array;
}

/** `rows` bounds the distinct pairs, so the table is sized once (no rehashing as it fills). */
export function newPairTable(na: number, nb: number, rows = 1024): PairTable {
  const cells = na * nb;
  const direct = cells <= DIRECT_LIMIT ? new Int32Array(cells).fill(-1) : null;
  const cap = Math.max(16, Math.min(rows, cells));
  return { na, nb, count: 0, direct, slots: new Int32Array(direct ? 0 : tableSize(cap)), pa: new Int32Array(direct ? 0 : cap), pb: new Int32Array(direct ? 0 : cap) };
}

function growPairs(t: PairTable): void {
  const cap = t.pa.length * 2;
  const pa = new Int32Array(cap);
  const pb = new Int32Array(cap);
  pa.set(t.pa);
  pb.set(t.pb);
  const slots = new Int32Array(tableSize(cap));
  const mask = slots.length - 1;
  for (let c = 0; c < t.count; c++) {
    let s = mixInt(pa[c] as number, pb[c] as number) & mask;
    while (slots[s] !== 0) s = (s + 1) & mask;
    slots[s] = c + 1;
  }
  t.pa = pa;
  t.pb = pb;
  t.slots = slots;
}

function findPair(t: PairTable, a: number, b: number, insert: boolean): number {
  if (t.count >= t.pa.length) growPairs(t);
  const slots = t.slots;
  const mask = slots.length - 1;
  let s = mixInt(a, b) & mask;
  for (;;) {
    const c1 = slots[s] as number;
    if (c1 === 0) break;
    if (t.pa[c1 - 1] === a && t.pb[c1 - 1] === b) return c1 - 1;
    s = (s + 1) & mask;
  }
  if (!insert) return -1;
  const c = t.count++;
  slots[s] = c + 1;
  t.pa[c] = a;
  t.pb[c] = b;
  return c;
}

/** Code per row of the pair (a[i], b[i]); -1 where either input is -1 or (when not inserting) the pair is absent. */
export function encodePairs(t: PairTable, a: Int32Array, b: Int32Array, insert: boolean): Int32Array {
  const n = a.length;
  const out = new Int32Array(n);
  const d = t.direct;
  const nb = t.nb;
  if (d !== null) {
    for (let i = 0; i < n; i++) {
      const x = a[i] as number;
      const y = b[i] as number;
      if (x < 0 || y < 0) { out[i] = -1; continue; }
      const cell = x * nb + y;
      let c = d[cell] as number;
      if (c < 0 && insert) { c = t.count++; d[cell] = c; }
      out[i] = c;
    }
    return out;
  }
  for (let i = 0; i < n; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    out[i] = x < 0 || y < 0 ? -1 : findPair(t, x, y, insert);
  }
  return out;
}
