// The scaling suite: the groupby questions on LocalClusters of 1, 2 and 4 workers; speed-up against 1 worker.
import { g1Parquet } from "../data/g1.js";
import { sizeLabel } from "../data/data-dir.js";
import { describeMachine } from "../machine.js";
import { GROUPBY_QUESTIONS } from "../questions/groupby.js";
import { runTableSuite } from "../runner/table-suite.js";
import type { QuestionCell, TableSuiteResult } from "../runner/table-suite.js";
import { markdownTable, ratio, secs } from "../report/format.js";
import { barChartSvg } from "../report/svg-chart.js";
import { failureLines, timesTable } from "../report/table-suite-report.js";
import type { SystemSpec } from "../systems/system.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

/**
 * Bytes moved between workers: the sum of the workers' fetchedBytes counters in the scheduler's /api/status, read once
 * at the end of each system's run (see TesseraSystem.movedBytes), so it covers the load and every run of every question.
 */
const BYTES_MOVED =
  "the bytes the workers fetched from each other over the system's whole run (the load and both runs of every question), " +
  "summed from the workers' fetchedBytes counters in the scheduler's /api/status at the end of the run";

const mib = (b: number | null): string => (b === null ? "n/a" : `${(b / 2 ** 20).toFixed(b >= 10 * 2 ** 20 ? 0 : 1)} MiB`);

/** The faster of a cell's runs: first runs on a shared 2-core machine are dominated by JIT warm-up and noise. */
function best(c: QuestionCell | undefined): number | null {
  if (c === undefined || c.firstMs === null) return null;
  return c.secondMs === null ? c.firstMs : Math.min(c.firstMs, c.secondMs);
}

function speedupTable(r: TableSuiteResult, names: readonly string[]): string {
  const base = names[0] as string;
  const total = (n: string): number | null => {
    const xs = r.questions.map((q) => best(q.cells[n]));
    return xs.every((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b as number), 0) : null;
  };
  const rows = r.questions.map((q) => [`${q.id} ${q.title}`, ...names.map((n) => ratio(best(q.cells[base]), best(q.cells[n])))]);
  rows.push(["**sum of best runs**", ...names.map((n) => `${ratio(total(base), total(n))} (${secs(total(n))} s)`)]);
  rows.push(["bytes moved between workers (whole run)", ...names.map((n) => mib(r.systems.find((s) => s.name === n)?.movedBytes ?? null))]);
  return markdownTable(["question", ...names.map((n) => `${n} speed-up`)], rows);
}

export async function runScaling(opts: SuiteOptions, workers: readonly number[]): Promise<SuiteReport> {
  opts.log(`G1 data, ${sizeLabel(opts.size)} rows, K=100 ...`);
  const x = await g1Parquet(opts.size);
  const tessera: SystemSpec[] = workers.map((w) => ({ name: `tessera-${w}w`, engine: "tessera", workers: w }));
  const systems: SystemSpec[] = [...tessera, { name: "duckdb", engine: "duckdb" }];
  const selected = opts.only === undefined ? systems : systems.filter((s) => opts.only!.includes(s.name));
  const questions = opts.questions === undefined ? GROUPBY_QUESTIONS : GROUPBY_QUESTIONS.filter((q) => opts.questions!.includes(q.id));
  const table = await runTableSuite({
    questionSet: "groupby", questions, systems: selected, tables: { x }, mode: opts.mode, runs: opts.runs,
    reference: "duckdb", timeoutMs: opts.timeoutMs, log: opts.log,
  });
  const names = tessera.map((s) => s.name).filter((n) => selected.some((s) => s.name === n));
  const failures = failureLines(table);
  const markdown = [
    `**G1 ${sizeLabel(opts.size)} rows, K=100** on Tessera LocalClusters of ${workers.join(", ")} worker processes (a scheduler process and N ` +
      `worker processes on 127.0.0.1 over WebSockets, each worker with max(1, cores / workers) kernel threads), DuckDB as the reference answer. Speed-up = time on ${names[0]} / time on N workers, each the faster of the two runs.`,
    "",
    `Machine: ${describeMachine(opts.machine)}. With ${opts.machine.cpuCount} cores, more workers than cores cannot speed anything up; ` +
      "the numbers show the runtime's overhead per worker.",
    "",
    "Versions: " + table.systems.map((s) => `${s.name} = ${s.version ?? "unavailable"}`).join("; ") + ".",
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    speedupTable(table, names),
    "",
    `Bytes moved between workers: ${BYTES_MOVED}.`,
    "",
    `![scaling chart](results/scaling.svg)`,
    "",
    "<details><summary>Times (first / second run, seconds)</summary>",
    "",
    timesTable(table, { subject: names[0] ?? "tessera-1w", against: [] }),
    "",
    "</details>",
    "",
    failures.length === 0 ? "All answers agreed." : ["Failures (no time is reported for these):", "", ...failures].join("\n"),
  ].join("\n");
  const base = names[0] as string;
  const svg = barChartSvg({
    title: `Scaling: G1 ${sizeLabel(opts.size)}, speed-up over ${base}`,
    categories: table.questions.map((q) => `${q.id} ${q.title}`),
    series: names.map((n) => ({
      name: n,
      values: table.questions.map((q) => {
        const a = best(q.cells[base]);
        const b = best(q.cells[n]);
        return a === null || b === null ? null : a / b;
      }),
      missingLabel: table.questions.map((q) => q.cells[n]?.status ?? "not run"),
    })),
    unit: "speed-up (×), faster of two runs, linear",
    format: (v) => v.toFixed(2),
  });
  return { suite: "scaling", result: { size: opts.size, mode: opts.mode, runs: opts.runs, workers, bytesMoved: Object.fromEntries(table.systems.map((s) => [s.name, s.movedBytes])), bytesMovedNote: BYTES_MOVED, ...table }, markdown, svg, ok: failures.length === 0 };
}
