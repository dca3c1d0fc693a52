// Messages between the suite runner and a system's child process (over Node's IPC channel).
import type { AnswerSummary } from "../check/summary.js";
import type { SourceMode, SystemSpec } from "../systems/system.js";

export type QuestionSet = "groupby" | "join";

export interface ChildConfig {
  readonly system: SystemSpec;
  readonly questionSet: QuestionSet;
  /** Question ids to run, in order (default: all of the set). */
  readonly questionIds?: readonly string[];
  readonly tables: Readonly<Record<string, string>>;
  readonly mode: SourceMode;
  /** Runs per question (db-benchmark: 2). */
  readonly runs: number;
  /** Where each run's answer is written as Parquet (untimed), for the cell-by-cell check. */
  readonly answerDir: string;
}

export type ChildMessage =
  | { readonly kind: "ready"; readonly version: string; readonly loadMs: number; readonly loadPeakRss: number; readonly rssMethod: string }
  | { readonly kind: "start"; readonly question: string; readonly run: number }
  | {
    readonly kind: "run"; readonly question: string; readonly run: number; readonly ms: number; readonly peakRss: number;
    readonly summary: AnswerSummary; readonly answerFile: string;
  }
  | { readonly kind: "error"; readonly question: string; readonly run: number; readonly message: string }
  | { readonly kind: "fatal"; readonly message: string }
  | { readonly kind: "done"; readonly movedBytes?: number | null };
