// Markdown tables and the chart for a question suite (groupby, join): times per system, ratios, memory, failures.
import type { QuestionCell, TableSuiteResult } from "../runner/table-suite.js";
import { markdownTable, mib, ratio, secs } from "./format.js";
import { barChartSvg } from "./svg-chart.js";

function cellText(c: QuestionCell | undefined): string {
  if (c === undefined) return "—";
  if (c.status === "ok") return `${secs(c.firstMs)} / ${secs(c.secondMs)}`;
  return c.status === "mismatch" ? "MISMATCH" : c.status.toUpperCase();
}

export interface RatioPair {
  /** The system whose times are divided (Tessera's embedded default). */
  readonly subject: string;
  /** Divided by these systems' times. */
  readonly against: readonly string[];
}

/** The times table: per question "first / second" seconds per system, then first-run ratios. */
export function timesTable(r: TableSuiteResult, ratios: RatioPair): string {
  const names = r.systems.map((s) => s.name);
  const header = ["question", ...names.map((n) => `${n} (s)`), ...ratios.against.map((a) => `${ratios.subject}/${a}`)];
  const rows = r.questions.map((q) => [
    `${q.id} ${q.title}`,
    ...names.map((n) => cellText(q.cells[n])),
    ...ratios.against.map((a) => ratio(q.cells[ratios.subject]?.firstMs ?? null, q.cells[a]?.firstMs ?? null)),
  ]);
  const total = (n: string): number | null => {
    const xs = r.questions.map((q) => q.cells[n]?.firstMs ?? null);
    return xs.every((x) => x !== null) ? xs.reduce<number>((a, b) => a + (b as number), 0) : null;
  };
  rows.push([
    "**sum of first runs**",
    ...names.map((n) => secs(total(n))),
    ...ratios.against.map((a) => ratio(total(ratios.subject), total(a))),
  ]);
  rows.push(["load (read all columns)", ...names.map((n) => secs(r.systems.find((s) => s.name === n)?.loadMs ?? null)), ...ratios.against.map(() => "")]);
  return markdownTable(header, rows);
}

/** Peak RSS per question and system (MiB), max of the two runs. */
export function memoryTable(r: TableSuiteResult): string {
  const names = r.systems.map((s) => s.name);
  const rows = r.questions.map((q) => [`${q.id} ${q.title}`, ...names.map((n) => mib(q.cells[n]?.peakRss ?? null))]);
  rows.push(["load", ...names.map((n) => mib(r.systems.find((s) => s.name === n)?.loadPeakRss ?? null))]);
  return markdownTable(["question", ...names.map((n) => `${n} peak RSS (MiB)`)], rows);
}

/** Lines describing every failure, mismatch and timeout (empty when there are none). */
export function failureLines(r: TableSuiteResult): string[] {
  const out: string[] = [];
  for (const s of r.systems) if (s.failure !== null) out.push(`- ${s.name}: ${s.failure}`);
  for (const q of r.questions) {
    for (const [name, c] of Object.entries(q.cells)) {
      if (c.status !== "ok") out.push(`- ${q.id} ${q.title}, ${name}: ${c.status}${c.detail ? ` — ${c.detail}` : ""}`);
    }
  }
  return out;
}

export function timesChart(r: TableSuiteResult, title: string): string {
  return barChartSvg({
    title,
    categories: r.questions.map((q) => `${q.id} ${q.title}`),
    series: r.systems.map((s) => ({
      name: s.name,
      values: r.questions.map((q) => q.cells[s.name]?.firstMs ?? null).map((ms) => (ms === null ? null : ms / 1000)),
      missingLabel: r.questions.map((q) => q.cells[s.name]?.status ?? "not run"),
    })),
    unit: "seconds, first run (log scale)",
    log: true,
  });
}
