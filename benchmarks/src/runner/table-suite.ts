// Runs a set of questions on each system (one child process each), then cross-checks every answer before reporting times.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { compareSummaries } from "../check/cross-check.js";
import { AnswerComparer } from "../check/compare-answers.js";
import type { AnswerSummary } from "../check/summary.js";
import type { Question } from "../questions/question.js";
import type { SourceMode, SystemSpec } from "../systems/system.js";
import type { ChildMessage, QuestionSet } from "./child-protocol.js";
import { runChild } from "./run-child.js";

export type CellStatus = "ok" | "mismatch" | "error" | "timeout" | "not run";

export interface QuestionCell {
  readonly status: CellStatus;
  /** Times are null unless the answer was checked and agreed (status "ok"). */
  readonly firstMs: number | null;
  readonly secondMs: number | null;
  /** Peak resident memory of the system's process during the question's runs, bytes. */
  readonly peakRss: number | null;
  readonly detail?: string;
  readonly summary?: AnswerSummary;
}

export interface QuestionRow {
  readonly id: string;
  readonly title: string;
  /** The system whose answer the others were checked against. */
  readonly reference: string | null;
  readonly cells: Readonly<Record<string, QuestionCell>>;
}

export interface SystemRun {
  readonly name: string;
  readonly version: string | null;
  readonly loadMs: number | null;
  readonly loadPeakRss: number | null;
  readonly rssMethod: string | null;
  readonly failure: string | null;
  /** Bytes moved between the system's workers over the whole run (load and every question run); null: n/a or unknown. */
  readonly movedBytes: number | null;
}

export interface TableSuiteResult {
  readonly systems: readonly SystemRun[];
  readonly questions: readonly QuestionRow[];
}

export interface TableSuiteOptions {
  readonly questionSet: QuestionSet;
  readonly questions: readonly Question[];
  readonly systems: readonly SystemSpec[];
  readonly tables: Readonly<Record<string, string>>;
  readonly mode: SourceMode;
  readonly runs: number;
  /** Preferred reference system (DuckDB); when it has no answer, the first system that has one. */
  readonly reference: string;
  readonly timeoutMs: number;
  readonly log: (line: string) => void;
}

interface RawCell { runs: { ms: number; peakRss: number; summary: AnswerSummary; answerFile: string }[]; error: string | null }

export async function runTableSuite(opts: TableSuiteOptions): Promise<TableSuiteResult> {
  const answerDir = mkdtempSync(join(tmpdir(), "tessera-bench-answers-"));
  try {
    return await runAndCheck(opts, answerDir);
  } finally {
    rmSync(answerDir, { recursive: true, force: true });
  }
}

async function runAndCheck(opts: TableSuiteOptions, answerDir: string): Promise<TableSuiteResult> {
  const raw = new Map<string, Map<string, RawCell>>();
  const systems: SystemRun[] = [];
  for (const spec of opts.systems) {
    opts.log(`${spec.name}:`);
    const outcome = await runChild(
      { system: spec, questionSet: opts.questionSet, questionIds: opts.questions.map((q) => q.id), tables: opts.tables, mode: opts.mode, runs: opts.runs, answerDir },
      { timeoutMs: opts.timeoutMs, log: opts.log },
    );
    const cells = new Map<string, RawCell>();
    let ready: Extract<ChildMessage, { kind: "ready" }> | undefined;
    let fatal: string | null = null;
    for (const m of outcome.messages) {
      if (m.kind === "ready") ready = m;
      if (m.kind === "fatal") fatal = m.message;
      if (m.kind !== "run" && m.kind !== "error") continue;
      const cell = cells.get(m.question) ?? { runs: [], error: null };
      cells.set(m.question, cell);
      if (m.kind === "run") cell.runs.push({ ms: m.ms, peakRss: m.peakRss, summary: m.summary, answerFile: m.answerFile });
      else cell.error = m.message;
    }
    if (outcome.timedOutQuestion !== null) {
      const q = /^(q\d+)/.exec(outcome.timedOutQuestion)?.[1];
      if (q !== undefined) {
        const cell = cells.get(q) ?? { runs: [], error: null };
        cell.error = `timeout: ${outcome.failure}`;
        cells.set(q, cell);
      }
    }
    raw.set(spec.name, cells);
    systems.push({
      name: spec.name, version: ready?.version ?? null, loadMs: ready?.loadMs ?? null, loadPeakRss: ready?.loadPeakRss ?? null,
      rssMethod: ready?.rssMethod ?? null, failure: fatal ?? outcome.failure,
      movedBytes: outcome.messages.reduce<number | null>((a, m) => (m.kind === "done" ? (m.movedBytes ?? null) : a), null),
    });
  }
  const comparer = await AnswerComparer.open();
  try {
    const questions: QuestionRow[] = [];
    for (const q of opts.questions) {
      opts.log(`checking ${q.id}: every answer cell against the reference`);
      questions.push(await crossCheck(q, opts, raw, comparer));
    }
    return { systems, questions };
  } finally {
    comparer.close();
  }
}

/**
 * A cell passes when every run's answer agrees with the reference's first run: row count, the checked columns' sums
 * and null counts, then every cell (AnswerComparer). Only then is its time kept.
 */
async function crossCheck(q: Question, opts: TableSuiteOptions, raw: Map<string, Map<string, RawCell>>, comparer: AnswerComparer): Promise<QuestionRow> {
  const answered = (name: string) => {
    const c = raw.get(name)?.get(q.id);
    return c !== undefined && c.error === null && c.runs.length === opts.runs;
  };
  const names = opts.systems.map((s) => s.name);
  const reference = answered(opts.reference) ? opts.reference : (names.find(answered) ?? null);
  const wantRun = reference === null ? undefined : raw.get(reference)?.get(q.id)?.runs[0];
  const want = wantRun?.summary;
  const cells: Record<string, QuestionCell> = {};
  for (const name of names) {
    const c = raw.get(name)?.get(q.id);
    const peakRss = c && c.runs.length > 0 ? Math.max(...c.runs.map((r) => r.peakRss)) : null;
    if (c === undefined) { cells[name] = { status: "not run", firstMs: null, secondMs: null, peakRss: null }; continue; }
    if (c.error !== null) {
      cells[name] = { status: c.error.startsWith("timeout") ? "timeout" : "error", firstMs: null, secondMs: null, peakRss, detail: c.error };
      continue;
    }
    const diffs = want === undefined ? ["no reference answer"] : c.runs.flatMap((r, i) => compareSummaries(want, r.summary).map((d) => `run ${i + 1}: ${d}`));
    if (diffs.length === 0 && wantRun !== undefined) {
      for (const [i, r] of c.runs.entries()) {
        if (r === wantRun) continue;
        for (const d of await comparer.compare(wantRun.answerFile, r.answerFile)) diffs.push(`run ${i + 1}: ${d}`);
      }
    }
    const summary = c.runs[0]?.summary;
    if (diffs.length > 0) {
      cells[name] = { status: "mismatch", firstMs: null, secondMs: null, peakRss, detail: `against ${reference}: ${diffs.join("; ")}`, ...(summary ? { summary } : {}) };
      continue;
    }
    cells[name] = { status: "ok", firstMs: c.runs[0]?.ms ?? null, secondMs: c.runs[1]?.ms ?? null, peakRss, ...(summary ? { summary } : {}) };
  }
  return { id: q.id, title: q.title, reference, cells };
}
