// Turning hash-probe matches into the row-index pairs of each join type, in the documented output order.
import { identityIndices, radixSortByKey } from "./radix.js";

/** Output rows as gathers: row j takes left row left[j] and right row right[j] (-1 = null side). */
export interface JoinIndices {
  readonly left: Int32Array;
  readonly right: Int32Array;
}

/**
 * Match pairs ordered by left row, then right row (the order every join type builds on).
 * Already-ordered input is returned as is after one check; otherwise two stable radix sorts.
 */
export function orderPairs(leftRow: Int32Array, rightRow: Int32Array): JoinIndices {
  const m = leftRow.length;
  let ordered = true;
  for (let j = 1; j < m && ordered; j++) {
    const d = leftRow[j]! - leftRow[j - 1]!;
    ordered = d > 0 || (d === 0 && rightRow[j]! > rightRow[j - 1]!);
  }
  if (ordered) return { left: leftRow, right: rightRow };
  const perm = identityIndices(m);
  const spare = new Int32Array(m);
  const byRight = radixSortByKey(perm, new Uint32Array(rightRow.buffer, rightRow.byteOffset, m), spare);
  const order = radixSortByKey(byRight, new Uint32Array(leftRow.buffer, leftRow.byteOffset, m), byRight === perm ? spare : perm);
  return { left: gather(leftRow, order), right: gather(rightRow, order) };
}

function gather(a: Int32Array, idx: Int32Array): Int32Array {
  const out = new Int32Array(idx.length);
  for (let j = 0; j < idx.length; j++) out[j] = a[idx[j]!]!;
  return out;
}

/** Per-row flags: 1 where the row id occurs in `rows`. */
export function matchedFlags(rows: Int32Array, n: number): Uint8Array {
  const f = new Uint8Array(n);
  for (let j = 0; j < rows.length; j++) f[rows[j]!] = 1;
  return f;
}

/** Left join: each left row's matches in right order, or one row with right = -1; left-row order. */
export function leftJoinIndices(pairs: JoinIndices, nLeft: number): JoinIndices {
  const matched = matchedFlags(pairs.left, nLeft);
  let unmatched = 0;
  for (let i = 0; i < nLeft; i++) unmatched += 1 - matched[i]!;
  const m = pairs.left.length + unmatched;
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  let j = 0;
  let k = 0;
  for (let i = 0; i < nLeft; i++) {
    if (matched[i] === 0) {
      left[k] = i;
      right[k++] = -1;
      continue;
    }
    while (j < pairs.left.length && pairs.left[j] === i) {
      left[k] = i;
      right[k++] = pairs.right[j++]!;
    }
  }
  return { left, right };
}

/** Right join: rows grouped by right row in right order (matches in left order), unmatched right rows with left = -1. */
export function rightJoinIndices(pairs: JoinIndices, nRight: number): JoinIndices {
  const swapped = leftJoinIndices(regroupByRight(pairs), nRight);
  return { left: swapped.right, right: swapped.left };
}

/** Full join: the left join's rows, then each unmatched right row (in right order) with left = -1. */
export function fullJoinIndices(pairs: JoinIndices, nLeft: number, nRight: number): JoinIndices {
  const lj = leftJoinIndices(pairs, nLeft);
  const matched = matchedFlags(pairs.right, nRight);
  let extra = 0;
  for (let r = 0; r < nRight; r++) extra += 1 - matched[r]!;
  const left = new Int32Array(lj.left.length + extra);
  const right = new Int32Array(lj.left.length + extra);
  left.set(lj.left);
  right.set(lj.right);
  let k = lj.left.length;
  for (let r = 0; r < nRight; r++) {
    if (matched[r] === 1) continue;
    left[k] = -1;
    right[k++] = r;
  }
  return { left, right };
}

/** Semi (keep = 1) or anti (keep = 0) join: left rows with (or without) a match, each once, in left order. */
export function semiAntiIndices(pairs: JoinIndices, nLeft: number, keep: 0 | 1): Int32Array {
  const matched = matchedFlags(pairs.left, nLeft);
  let m = 0;
  for (let i = 0; i < nLeft; i++) if (matched[i] === keep) m++;
  const out = new Int32Array(m);
  for (let i = 0, k = 0; i < nLeft; i++) if (matched[i] === keep) out[k++] = i;
  return out;
}

/** Pairs ordered by (left, right) reordered to (right, left), with the sides swapped. */
function regroupByRight(pairs: JoinIndices): JoinIndices {
  const m = pairs.left.length;
  const order = radixSortByKey(identityIndices(m), new Uint32Array(pairs.right.buffer, pairs.right.byteOffset, m), new Int32Array(m));
  return { left: gather(pairs.right, order), right: gather(pairs.left, order) };
}
