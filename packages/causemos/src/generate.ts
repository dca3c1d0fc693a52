// A synthetic climate-model output in the pipeline's input shape: points in regions, features, months, a qualifier.
import type { LazyFrame } from "tessera";
import { fromColumns } from "tessera";

export interface GenerateOptions {
  /** Distinct locations (default 1,000). */
  readonly points?: number;
  /** Features: a count (named feature1..N) or their names (default 5). */
  readonly features?: number | readonly string[];
  /**
   * A feature every point reports once, at the first observation (a census-like quantity, e.g. "population"): small
   * enough that the pipeline writes its raw.csv, whose rows tell where each region's points are.
   */
  readonly censusFeature?: string;
  /** Months from January 2000 (default 20). */
  readonly months?: number;
  /** Observations per point, feature and month (default 2). */
  readonly perMonth?: number;
  /** Seed of the deterministic generator (default 1). */
  readonly seed?: number;
  /** Partitions of the frame (default 1). */
  readonly partitions?: number;
  /**
   * Of every 3 (point, feature) pairs, how many report values: 3 (the default) makes every point report every
   * feature; 2 leaves a third of the pairs out (models report some features on part of their grid).
   */
  readonly coverage?: 1 | 2 | 3;
}

/** A small deterministic generator (xorshift32), so the same options give the same data. */
function random(seed: number): () => number {
  let s = (seed | 0) || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/**
 * points × features × months × perMonth rows (times coverage / 3): timestamp (epoch ms, int64), country/admin1..3
 * (4 countries, 4 admin1 each, 5 admin2 each, 5 admin3 each), lat/lng inside a 20° box around East Africa, feature,
 * value (a few percent missing), and a qualifier `scenario` with three values. Rows are ordered by time, then point.
 */
export function generateModelOutput(opts: GenerateOptions = {}): LazyFrame {
  const names = typeof opts.features === "object" ? [...opts.features] : Array.from({ length: opts.features ?? 5 }, (_, f) => `feature${f + 1}`);
  const points = opts.points ?? 1000, features = names.length, months = opts.months ?? 20, per = opts.perMonth ?? 2;
  const rnd = random(opts.seed ?? 1);
  const place = Array.from({ length: points }, () => {
    const c = Math.floor(rnd() * 4), a1 = Math.floor(rnd() * 4), a2 = Math.floor(rnd() * 5), a3 = Math.floor(rnd() * 5);
    return { country: `Country ${c}`, admin1: `Region ${c}.${a1}`, admin2: `Zone ${c}.${a1}.${a2}`, admin3: `District ${c}.${a1}.${a2}.${a3}`,
      lat: Math.round((-5 + rnd() * 20) * 1e5) / 1e5, lng: Math.round((25 + rnd() * 20) * 1e5) / 1e5, scenario: ["low", "mid", "high"][Math.floor(rnd() * 3)] as string };
  });
  const coverage = opts.coverage ?? 3;
  // Point p reports feature f unless (p · features + f) mod 3 ≥ coverage: the same pairs every month.
  const reports = (p: number, f: number): boolean => (p * features + f) % 3 < coverage;
  let pairs = 0;
  for (let p = 0; p < points; p++) for (let f = 0; f < features; f++) if (reports(p, f)) pairs++;
  const census = opts.censusFeature;
  const n = pairs * months * per + (census === undefined ? 0 : points);
  const timestamp: bigint[] = new Array(n);
  const cols: Record<string, string[]> = { country: new Array(n), admin1: new Array(n), admin2: new Array(n), admin3: new Array(n), feature: new Array(n), scenario: new Array(n) };
  const lat = new Float64Array(n), lng = new Float64Array(n);
  const value: (number | null)[] = new Array(n);
  let i = 0;
  for (let m = 0; m < months; m++) {
    for (let k = 0; k < per; k++) {
      const ts = BigInt(Date.UTC(2000, m, 1 + Math.floor((k * 28) / per), 6));
      for (let f = 0; f < features; f++) {
        for (let p = 0; p < points; p++) {
          if (!reports(p, f)) continue;
          const pl = place[p]!;
          timestamp[i] = ts;
          cols["country"]![i] = pl.country; cols["admin1"]![i] = pl.admin1; cols["admin2"]![i] = pl.admin2; cols["admin3"]![i] = pl.admin3;
          cols["feature"]![i] = names[f] as string; cols["scenario"]![i] = pl.scenario;
          lat[i] = pl.lat; lng[i] = pl.lng;
          value[i] = rnd() < 0.02 ? null : Math.round((10 + 10 * Math.sin(m / 2 + f) + rnd() * 5) * 1000) / 1000;
          i++;
        }
      }
    }
  }
  if (census !== undefined) {
    const ts = BigInt(Date.UTC(2000, 0, 1, 6));
    for (let p = 0; p < points; p++, i++) {
      const pl = place[p]!;
      timestamp[i] = ts;
      cols["country"]![i] = pl.country; cols["admin1"]![i] = pl.admin1; cols["admin2"]![i] = pl.admin2; cols["admin3"]![i] = pl.admin3;
      cols["feature"]![i] = census; cols["scenario"]![i] = pl.scenario;
      lat[i] = pl.lat; lng[i] = pl.lng;
      value[i] = Math.round(1000 + rnd() * 50_000);
    }
  }
  return fromColumns({ timestamp, ...cols, lat, lng, value }, { partitions: opts.partitions ?? 1 });
}
