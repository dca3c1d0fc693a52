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
  /** A scheduler process and 2 worker processes on 127.0.0.1 over WebSockets (LocalCluster's default). */
  { name: "tessera-2w", engine: "tessera", workers: 2 },
  { name: "duckdb", engine: "duckdb" },
  { name: "polars", engine: "polars" },
];

/** Not run by default (--systems tessera-2w-inprocess): the 2-worker cluster inside the system's process; the CI smoke test uses it. */
export const EXTRA_SYSTEMS: readonly SystemSpec[] = [
  { name: "tessera-2w-inprocess", engine: "tessera", workers: 2, processes: false },
];

/** One line per system for the README: what the name means. */
export function describeSystem(s: SystemSpec): string {
  if (s.engine === "duckdb") return "DuckDB (@duckdb/node-api)";
  if (s.engine === "polars") return "Polars (nodejs-polars)";
  if (s.workers === undefined) return "Tessera embedded (collect() with no client, kernels on a thread pool)";
  return s.processes === false
    ? `Tessera LocalCluster with ${s.workers} workers inside the system's process (processes: false)`
    : `Tessera LocalCluster: a scheduler process and ${s.workers} worker processes on 127.0.0.1 over WebSockets (peak RSS adds the client's, scheduler's and workers' peaks)`;
}

export interface QuestionSuiteSpec {
  readonly suite: string;
  readonly questionSet: QuestionSet;
  readonly questions: readonly Question[];
  readonly tables: Readonly<Record<string, string>>;
  readonly dataDescription: string;
  readonly systems?: readonly SystemSpec[];
}

export function selectSystems(all: readonly SystemSpec[], only: readonly string[] | undefined, extra: readonly SystemSpec[] = []): SystemSpec[] {
  if (only === undefined) return [...all];
  const known = [...all, ...extra.filter((e) => !all.some((s) => s.name === e.name))];
  const unknown = only.filter((n) => !known.some((s) => s.name === n));
  if (unknown.length > 0) throw new Error(`unknown system ${unknown.join(", ")}; known: ${known.map((s) => s.name).join(", ")}`);
  return only.map((n) => known.find((s) => s.name === n)!);
}

export async function runQuestionSuite(spec: QuestionSuiteSpec, opts: SuiteOptions): Promise<SuiteReport & { table: TableSuiteResult }> {
  const systems = selectSystems(spec.systems ?? DEFAULT_SYSTEMS, opts.only, spec.systems === undefined ? EXTRA_SYSTEMS : []);
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
      "cell by cell (every run's answer, written as Parquet and matched row for row by DuckDB; numbers to relative 1e-6) before a time is shown.",
    "",
    `Machine: ${describeMachine(opts.machine)}.`,
    "",
    "Systems: " + systems.map((s) => `\`${s.name}\` = ${describeSystem(s)}`).join("; ") + ".",
    "",
    "Versions: " + table.systems.map((s) => `${s.name} = ${s.version ?? "unavailable"}`).join("; ") + ".",
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    timesTable(table, { subject: "tessera", against }),
    "",
    `![${spec.suite} chart](results/${spec.suite}.svg)`,
    "",
    "<details><summary>Peak memory (RSS of each system's process and the processes it started)</summary>",
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
