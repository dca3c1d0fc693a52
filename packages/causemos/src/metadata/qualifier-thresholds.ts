// Which qualifiers get breakdown outputs (spec §5.4, §8.3): per feature, those with few enough distinct values.

/** feature → qualifier → number of distinct values. */
export type QualifierCounts = Readonly<Record<string, Readonly<Record<string, number>>>>;

export interface QualifierSelection {
  /** feature → qualifiers with outputs, in qualifier_map order. */
  readonly map: Readonly<Record<string, readonly string[]>>;
  /** Qualifiers with outputs for at least one feature. */
  readonly columns: readonly string[];
}

/**
 * The first pass: for every feature of `qualifierMap` that has counts, the listed qualifiers it has with at most
 * `max` distinct values. Applied again to its own result with `regional_timeseries_count` for the second pass.
 */
export function selectQualifiers(qualifierMap: Readonly<Record<string, readonly string[]>>, counts: QualifierCounts, max: number): QualifierSelection {
  const map: Record<string, string[]> = {};
  const columns: string[] = [];
  for (const [f, qs] of Object.entries(qualifierMap)) {
    const c = counts[f];
    if (c === undefined) continue;
    map[f] = qs.filter((q) => c[q] !== undefined && (c[q] as number) <= max);
    for (const q of map[f]) if (!columns.includes(q)) columns.push(q);
  }
  return { map, columns };
}
