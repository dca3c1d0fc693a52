// The shared body of the groupby and join suites: run the systems, cross-check, and render tables and chart.
import { describeMachine } from "../machine.js";
import type { Question } from "../questions/question.js";
import type { QuestionSet } from "../runner/child-protocol.js";
import { runTableSuite } from "../runner/table-suite.js";
import type { TableSuiteResult } from "../runner/table-suite.js";
import { failureLines, memoryTable, timesChart, timesTable } from "../report/table-suite-report.js";
import type { SystemSpec } from "../systems/system.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

export const DEFAULT_SYSTEMS: readonly SystemSpec[] = [
  { name: "tessera", engine: "tessera" },
  { name: "tessera-2w", engine: "tessera", workers: 2 },
  { name: "duckdb", engine: "duckdb" },
  { name: "polars", engine: "polars" },
];

export interface QuestionSuiteSpec {
  readonly suite: string;
  readonly questionSet: QuestionSet;
  readonly questions: readonly Question[];
  readonly tables: Readonly<Record<string, string>>;
  readonly dataDescription: string;
  readonly systems?: readonly SystemSpec[];
}

export function selectSystems(all: readonly SystemSpec[], only: readonly string[] | undefined): SystemSpec[] {
  if (only === undefined) return [...all];
  const unknown = only.filter((n) => !all.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown system ${unknown.join(", ")}; known: ${all.map((s) => s.name).join(", ")}`);
  return all.filter((s) => only.includes(s.name));
}

export async function runQuestionSuite(spec: QuestionSuiteSpec, opts: SuiteOptions): Promise<SuiteReport & { table: TableSuiteResult }> {
  const systems = selectSystems(spec.systems ?? DEFAULT_SYSTEMS, opts.only);
  const questions = opts.questions === undefined ? spec.questions : spec.questions.filter((q) => opts.questions!.includes(q.id));
  const table = await runTableSuite({
    questionSet: spec.questionSet, questions, systems, tables: spec.tables, mode: opts.mode, runs: opts.runs,
    reference: "duckdb", timeoutMs: opts.timeoutMs, log: opts.log,
  });
  const against = ["duckdb", "polars"].filter((n) => systems.some((s) => s.name === n));
  const failures = failureLines(table);
  const markdown = [
    `**${spec.dataDescription}**, ${opts.mode === "parquet" ? "every question reads the Parquet file(s)" : "tables loaded into memory first"}; ` +
      `${opts.runs} runs per question (first / second, seconds). Answers are cross-checked against ${table.questions[0]?.reference ?? "duckdb"} ` +
      "(row count, sums and null counts of the checked columns, floats to relative 1e-6) before a time is shown.",
    "",
    `Machine: ${describeMachine(opts.machine)}.`,
    "",
    "Versions: " + table.systems.map((s) => `${s.name} = ${s.version ?? "unavailable"}`).join("; ") + ".",
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    timesTable(table, { subject: "tessera", against }),
    "",
    `![${spec.suite} chart](results/${spec.suite}.svg)`,
    "",
    "<details><summary>Peak memory (RSS of each system's process)</summary>",
    "",
    memoryTable(table),
    "",
    "</details>",
    "",
    failures.length === 0 ? "All answers agreed." : ["Failures (no time is reported for these):", "", ...failures].join("\n"),
  ].join("\n");
  return {
    suite: spec.suite,
    result: { size: opts.size, mode: opts.mode, runs: opts.runs, tables: spec.tables, ...table },
    markdown,
    svg: timesChart(table, `${spec.dataDescription}: first run per question`),
    ok: failures.length === 0,
    table,
  };
}
