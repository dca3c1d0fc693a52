// What every suite takes and gives back: options from the command line, and a report the runner prints and publishes.
import type { MachineInfo } from "../machine.js";
import type { SourceMode } from "../systems/system.js";

export interface SuiteOptions {
  /** Rows of the main table (G1 N, J1 N). */
  readonly size: number;
  readonly mode: SourceMode;
  /** Runs per question (db-benchmark: 2). */
  readonly runs: number;
  /** Longest a single question run (or load) may take before it is stopped and reported as a timeout. */
  readonly timeoutMs: number;
  /** Only these systems (names as in the tables), when given. */
  readonly only?: readonly string[];
  /** Only these questions, when given. */
  readonly questions?: readonly string[];
  readonly machine: MachineInfo;
  /** The command that reproduces this run, for the README. */
  readonly command: string;
  readonly log: (line: string) => void;
}

export interface SuiteReport {
  readonly suite: string;
  /** Plain data written to results/<suite>-<date>.json (the runner adds machine, command and dates). */
  readonly result: Record<string, unknown>;
  /** The README section body (tables, chart link, notes), Markdown. */
  readonly markdown: string;
  /** The chart, when the suite draws one. */
  readonly svg: string | null;
  /** False when any answer mismatched or failed (the command then exits non-zero after publishing). */
  readonly ok: boolean;
}
