// An answer's fingerprint for cross-checking systems: row count, and per checked column the sum and missing count.

/** Sum of the column's non-missing values; `missing` counts nulls and NaNs together (systems differ on which they give). */
export interface ColumnSummary {
  readonly sum: number;
  readonly missing: number;
}

export interface AnswerSummary {
  readonly rows: number;
  readonly columns: Readonly<Record<string, ColumnSummary>>;
}

/** Accumulates a column summary from chunks of values; exact for integers below 2^53, Kahan-compensated for floats. */
export class SumAccumulator {
  private sum = 0;
  private comp = 0;
  missing = 0;

  add(v: number | bigint | null | undefined): void {
    if (v === null || v === undefined) { this.missing++; return; }
    const x = typeof v === "bigint" ? Number(v) : v;
    if (Number.isNaN(x)) { this.missing++; return; }
    const y = x - this.comp;
    const t = this.sum + y;
    this.comp = t - this.sum - y;
    this.sum = t;
  }

  result(): ColumnSummary {
    return { sum: this.sum, missing: this.missing };
  }
}
