// Exact sums of doubles as non-overlapping expansions (Shewchuk's "grow expansion", as in Python's fsum): any
// grouping or order of additions represents the same exact value, so rounded results never depend on chunking.

/**
 * An exact sum: `parts[0..n)` are non-overlapping doubles in increasing magnitude whose mathematical sum is the
 * exact total of everything added. Plain data (an array of numbers) so it travels as a partial state.
 */
export type Expansion = number[];

/** Adds x to the expansion exactly, in place. Non-finite values are summed into a separate special slot by callers. */
export function expansionAdd(parts: Expansion, x: number): void {
  let n = 0;
  for (let i = 0; i < parts.length; i++) {
    const y = parts[i] as number;
    const big = Math.abs(x) < Math.abs(y) ? y : x;
    const small = big === y ? x : y;
    const hi = big + small;
    const lo = small - (hi - big);
    if (lo !== 0) parts[n++] = lo;
    x = hi;
  }
  parts.length = n;
  if (x !== 0) parts.push(x);
}

/** Adds every part of `b` into `a` exactly, in place. */
export function expansionMerge(a: Expansion, b: Expansion): void {
  for (const x of b) expansionAdd(a, x);
}

/** The exact total rounded once to the nearest double (ties to even), as fsum does. */
export function expansionRound(parts: Expansion): number {
  let n = parts.length;
  if (n === 0) return 0;
  let hi = parts[--n] as number;
  let lo = 0;
  while (n > 0) {
    const x = hi;
    const y = parts[--n] as number;
    hi = x + y;
    lo = y - (hi - x);
    if (lo !== 0) break;
  }
  // Half-way case: the remaining parts decide which way the tie rounds.
  if (n > 0 && ((lo < 0 && (parts[n - 1] as number) < 0) || (lo > 0 && (parts[n - 1] as number) > 0))) {
    const y = lo * 2;
    const x = hi + y;
    if (y === x - hi) hi = x;
  }
  return hi;
}

/** (hi, lo): the rounded total and the rounded remainder, both functions of the exact value only. */
export function expansionToDD(parts: Expansion): { hi: number; lo: number } {
  const hi = expansionRound(parts);
  const rest = parts.slice();
  expansionAdd(rest, -hi);
  return { hi, lo: expansionRound(rest) };
}
