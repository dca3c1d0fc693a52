// A small deterministic table of every type the expression tests need, with nulls in most columns.
import { mulberry32 } from "./g1.js";
import { intIn, maybeNull, pick, writeParquet } from "./tables.js";
import type { ColumnSpec } from "./tables.js";

/** Columns of the mixed table, in file order. `rid` is the row number (0-based) and unique. */
export const MIXED_COLUMNS = [
  "rid", "g", "cat", "s", "code", "i", "j", "x", "y", "b", "b2", "d", "ts", "num_str", "dec_str",
] as const;

const CATS = ["alpha", "beta", "gamma", "delta", "Epsilon", "epsilon"];
const WORDS = ["apple", "Banana", "cherry", "an", "Ärger", "éclair", "naïve", "Zoë", "banana split", "", "x", "Anna", "BAND"];
const DAY_MS = 86_400_000;
const T0 = Date.UTC(1968, 5, 1); // starts before 1970 so negative epoch values are covered

/**
 * The mixed table's columns (n rows, seeded):
 * - rid INTEGER 0..n-1; g INTEGER 0..9 (8% null; x is always null when g = 9); cat VARCHAR (5% null)
 * - s VARCHAR words and pairs of words with mixed case and non-ASCII letters, "" included (10% null)
 * - code VARCHAR ASCII like "AB-123" (3% null); i INTEGER -50..50 (10% null); j INTEGER 1..20
 * - x DOUBLE -100..100 with 3 decimals (10% null); y DOUBLE 0.5..10.5; b, b2 BOOLEAN (10% null each)
 * - d DATE 1968-06-01 + 0..20,000 days (5% null); ts TIMESTAMP over the same span, microseconds (5% null)
 * - num_str VARCHAR integers as text; dec_str VARCHAR decimals as text (5% null each)
 */
export function mixedColumns(n: number, seed = 11): ColumnSpec[] {
  const rand = mulberry32(seed);
  const cols: Record<(typeof MIXED_COLUMNS)[number], unknown[]> = Object.fromEntries(MIXED_COLUMNS.map((c) => [c, []])) as never;
  for (let r = 0; r < n; r++) {
    const g = maybeNull(rand, 0.08, () => intIn(rand, 0, 9));
    cols.rid.push(r);
    cols.g.push(g);
    cols.cat.push(maybeNull(rand, 0.05, () => pick(rand, CATS)));
    cols.s.push(maybeNull(rand, 0.1, () => (rand() < 0.3 ? `${pick(rand, WORDS)} ${pick(rand, WORDS)}` : pick(rand, WORDS))));
    cols.code.push(maybeNull(rand, 0.03, () => `${String.fromCharCode(65 + intIn(rand, 0, 25), 65 + intIn(rand, 0, 25))}-${intIn(rand, 0, 999)}`));
    cols.i.push(maybeNull(rand, 0.1, () => intIn(rand, -50, 50)));
    cols.j.push(intIn(rand, 1, 20));
    const x = maybeNull(rand, 0.1, () => Math.round((rand() * 200 - 100) * 1000) / 1000);
    cols.x.push(g === 9 ? null : x);
    cols.y.push(0.5 + rand() * 10);
    cols.b.push(maybeNull(rand, 0.1, () => rand() < 0.5));
    cols.b2.push(maybeNull(rand, 0.1, () => rand() < 0.5));
    cols.d.push(maybeNull(rand, 0.05, () => isoDay(T0 + intIn(rand, 0, 20_000) * DAY_MS)));
    cols.ts.push(maybeNull(rand, 0.05, () => T0 + Math.floor(rand() * 20_000 * DAY_MS) + intIn(rand, 0, 999) / 1000));
    cols.num_str.push(maybeNull(rand, 0.05, () => String(intIn(rand, -5000, 5000))));
    cols.dec_str.push(maybeNull(rand, 0.05, () => (Math.round((rand() * 2000 - 1000) * 100) / 100).toString()));
  }
  const types: Record<(typeof MIXED_COLUMNS)[number], ColumnSpec["type"]> = {
    rid: "INTEGER", g: "INTEGER", cat: "VARCHAR", s: "VARCHAR", code: "VARCHAR", i: "INTEGER", j: "INTEGER",
    x: "DOUBLE", y: "DOUBLE", b: "BOOLEAN", b2: "BOOLEAN", d: "DATE", ts: "TIMESTAMP", num_str: "VARCHAR", dec_str: "VARCHAR",
  };
  return MIXED_COLUMNS.map((name) => ({ name, type: types[name], values: cols[name] }));
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Writes the mixed table to `dir/mixed.parquet` (row groups of 1,024 rows, so a scan has several) and
 * registers it in DuckDB as table `mixed`. Returns the file path.
 */
export async function writeMixed(dir: string, n = 5000, seed = 11): Promise<string> {
  return writeParquet(`${dir}/mixed.parquet`, "mixed", mixedColumns(n, seed), { rowGroupSize: 1024 });
}
