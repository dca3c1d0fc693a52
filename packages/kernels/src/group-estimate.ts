// How many groups a partition's rows fall into, estimated from an evenly spaced sample: whether reducing a partition
// before a shuffle or merge pays (partial aggregation, partial top-n per group).
import type { Batch } from "./column.js";
import { getColumn } from "./batch-ops.js";
import { decodeDict } from "./concat.js";
import { groupIds } from "./group-ids.js";
import { takeColumn } from "./take.js";

/** Rows of a partition sampled (evenly spaced) to estimate its number of groups. */
export const GROUP_SAMPLE = 4096;

/**
 * Distinct values G of a uniform population that a sample of `m` rows showing `d` distinct values suggests:
 * the G with G (1 - e^(-m/G)) = d (Infinity when every sampled row was distinct).
 */
export function distinctFromSample(d: number, m: number): number {
  if (d >= m) return Infinity;
  if (d <= 0) return 0;
  let lo = d;
  let hi = d;
  while (hi * -Math.expm1(-m / hi) < d) hi *= 2;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (mid * -Math.expm1(-m / mid) < d) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** Estimated groups / rows of `b` by `keys`, from an evenly spaced sample of at most GROUP_SAMPLE rows. */
export function estimateGroupRatio(b: Batch, keys: readonly string[]): number {
  const n = b.length;
  if (n === 0) return 0;
  const m = Math.min(n, GROUP_SAMPLE);
  const idx = new Int32Array(m);
  for (let k = 0; k < m; k++) idx[k] = Math.floor((k * n) / m);
  // Sampled dictionary columns are decoded: grouping them must not hash the partition's whole dictionary.
  const sampled = keys.map((k) => {
    const c = takeColumn(getColumn(b, k), idx);
    return c.kind === "dict" ? decodeDict(c) : c;
  });
  const d = groupIds(sampled, m).count;
  if (m === n) return d / n;
  const g = distinctFromSample(d, m);
  return g === Infinity ? 1 : (g * -Math.expm1(-n / g)) / n;
}
