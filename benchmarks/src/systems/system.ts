// The contract each benchmarked system implements inside its child process: load tables, run a question, summarize.
import type { AnswerSummary } from "../check/summary.js";
import type { Question } from "../questions/question.js";

/** "parquet": every question reads the Parquet files; "memory": tables are loaded once and queried in memory (db-benchmark's way). */
export type SourceMode = "parquet" | "memory";

export interface SystemSpec {
  /** "tessera", "tessera-2w", "duckdb", "polars", ... */
  readonly name: string;
  readonly engine: "tessera" | "duckdb" | "polars";
  /** Tessera only: a LocalCluster with this many workers (absent: the embedded default). */
  readonly workers?: number;
  /** Tessera only: false runs the LocalCluster in this process (no scheduler/worker processes); default: real processes. */
  readonly processes?: boolean;
}

/** An answer held by the system until it is summarized and dropped. */
export type Answer = unknown;

export interface BenchSystem {
  version(): Promise<string>;
  /** Reads every table fully (the timed load); in memory mode the questions then run on what was loaded. */
  load(tables: Readonly<Record<string, string>>, mode: SourceMode): Promise<void>;
  /** Runs the question to a materialized answer (the timed part). */
  run(q: Question): Promise<Answer>;
  /** Row count and sums of the checked columns (untimed). */
  summarize(answer: Answer, check: readonly string[]): Promise<AnswerSummary>;
  /** Writes the answer (untimed) for the cell-by-cell check: Parquet, or CSV with a header when answerExtension says so. */
  writeAnswer(answer: Answer, path: string): Promise<void>;
  /** "csv" when writeAnswer writes CSV (default "parquet"). */
  answerExtension?(): string;
  /** Frees the answer. */
  drop(answer: Answer): Promise<void>;
  /** Bytes moved between workers since the system opened (clusters only; absent or null: not applicable or unknown). */
  movedBytes?(): Promise<number | null>;
  close(): Promise<void>;
}
