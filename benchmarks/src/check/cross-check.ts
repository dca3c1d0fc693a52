// Compares two answer summaries: row counts and missing counts exactly, sums to a relative tolerance.
import type { AnswerSummary } from "./summary.js";

export interface CheckOptions {
  /** Relative tolerance on sums (default 1e-6: summation order differs between engines). */
  readonly relTol?: number;
  /** Absolute tolerance on sums near zero (default 1e-9). */
  readonly absTol?: number;
}

/** The differences between `got` and the reference `want`, as human-readable lines; empty when they agree. */
export function compareSummaries(want: AnswerSummary, got: AnswerSummary, opts: CheckOptions = {}): string[] {
  const relTol = opts.relTol ?? 1e-6;
  const absTol = opts.absTol ?? 1e-9;
  const out: string[] = [];
  if (want.rows !== got.rows) out.push(`rows: ${got.rows} != ${want.rows}`);
  for (const [name, w] of Object.entries(want.columns)) {
    const g = got.columns[name];
    if (g === undefined) { out.push(`column ${name} missing`); continue; }
    if (g.missing !== w.missing) out.push(`${name} nulls/NaNs: ${g.missing} != ${w.missing}`);
    const diff = Math.abs(g.sum - w.sum);
    if (!(diff <= absTol || diff <= relTol * Math.max(Math.abs(w.sum), Math.abs(g.sum)))) {
      out.push(`sum(${name}): ${g.sum} != ${w.sum} (relative difference ${(diff / Math.max(Math.abs(w.sum), 1e-300)).toExponential(2)})`);
    }
  }
  for (const name of Object.keys(got.columns)) if (!(name in want.columns)) out.push(`unexpected column ${name}`);
  return out;
}
