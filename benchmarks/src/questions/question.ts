// What a benchmark question is: the same query written for each system, plus the columns its answer is checked on.
import type { LazyFrame } from "tessera";
import type pl from "nodejs-polars";

export type PolarsFrame = pl.LazyDataFrame;

export interface Question {
  /** "q1" .. "q10". */
  readonly id: string;
  /** db-benchmark's name, e.g. "sum v1 by id1". */
  readonly title: string;
  /** Through Tessera's public API, over the suite's tables by name. */
  readonly tessera: (t: Readonly<Record<string, LazyFrame>>) => LazyFrame;
  /** DuckDB SQL over views or tables with the suite's table names. */
  readonly sql: string;
  /** nodejs-polars lazy query over the suite's tables by name. */
  readonly polars: (t: Readonly<Record<string, PolarsFrame>>) => PolarsFrame;
  /** Numeric columns whose sums (and null counts) are compared between systems, beside the row count. */
  readonly check: readonly string[];
}
