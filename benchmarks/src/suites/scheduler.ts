// The scheduler suite: no-op tasks per second and µs per task for Tessera in-process, over WebSockets, and Dask.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BENCH_ROOT } from "../data/data-dir.js";
import { describeMachine } from "../machine.js";
import { markdownTable } from "../report/format.js";
import { barChartSvg } from "../report/svg-chart.js";
import { daskNoop, daskUnavailable } from "../scheduler/dask-noop.js";
import { tesseraNoop, tesseraWebSocketNoop, websocketAvailable } from "../scheduler/tessera-noop.js";
import type { NoopTiming } from "../scheduler/tessera-noop.js";
import { tesseraVersion } from "../systems/tessera.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

export interface SchedulerCell {
  readonly tasks: number;
  /** Seconds per run, submit to results; null when not measured. */
  readonly seconds: readonly number[] | null;
  /** From the fastest run. */
  readonly usPerTask: number | null;
  readonly tasksPerSecond: number | null;
  readonly note: string | null;
}

export interface SchedulerRow {
  readonly system: string;
  readonly description: string;
  readonly version: string | null;
  readonly cells: readonly SchedulerCell[];
}

function cell(tasks: number, seconds: readonly number[] | null, note: string | null): SchedulerCell {
  if (seconds === null || seconds.length === 0) return { tasks, seconds: null, usPerTask: null, tasksPerSecond: null, note };
  const best = Math.min(...seconds);
  return { tasks, seconds, usPerTask: (best / tasks) * 1e6, tasksPerSecond: tasks / best, note };
}

const rate = (x: number): string => (x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0));
const us = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Dask's run count; rows to take from the latest results file instead of running them again. */
export interface DaskPlan {
  readonly runs: number;
  /** Systems (row names) whose rows are copied from the previous results/scheduler-*.json, marked as such. */
  readonly reuse?: readonly string[];
}

/** Graphs of this many tasks or more are timed once (each takes a minute or more on a 2-core machine). */
export const BIG_GRAPH = 1e6;

/** The newest results/scheduler-*.json, if any. */
function previousResults(): { file: string; startedAt: string; daskRuns: number; loadAverage: number | null; rows: SchedulerRow[] } | null {
  const dir = join(BENCH_ROOT, "results");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => /^scheduler-\d{4}-\d{2}-\d{2}\.json$/.test(f)).sort();
  const file = files.at(-1);
  if (file === undefined) return null;
  const j = JSON.parse(readFileSync(join(dir, file), "utf8")) as {
    startedAt: string; daskRuns: number; machine?: { loadAverage1m?: number }; rows: (SchedulerRow & { reusedFrom?: ReuseSource })[];
  };
  // A row that was itself reused keeps its original source.
  return { file, startedAt: j.startedAt, daskRuns: j.daskRuns, loadAverage: j.machine?.loadAverage1m ?? null, rows: j.rows };
}

/** Where a reused row was measured. */
export interface ReuseSource {
  readonly file: string;
  readonly startedAt: string;
  readonly runs: number;
  readonly loadAverage: number | null;
}

export async function runScheduler(opts: SuiteOptions, sizes: readonly number[], dask: DaskPlan = { runs: opts.runs }): Promise<SuiteReport> {
  const rows: SchedulerRow[] = [];
  const version = tesseraVersion();
  const wanted = (name: string): boolean => opts.only === undefined || opts.only.includes(name);
  const previous = dask.reuse !== undefined && dask.reuse.length > 0 ? previousResults() : null;
  const reused = (name: string): boolean => {
    if (!(dask.reuse ?? []).includes(name)) return false;
    const row = previous?.rows.find((r) => r.system === name);
    if (row === undefined) { opts.log(`${name}: no row in the previous results to reuse; running it`); return false; }
    const from: ReuseSource = (row as SchedulerRow & { reusedFrom?: ReuseSource }).reusedFrom ??
      { file: previous!.file, startedAt: previous!.startedAt, runs: previous!.daskRuns, loadAverage: previous!.loadAverage };
    const when = from.startedAt.slice(0, 16).replace("T", " ");
    const load = from.loadAverage === null ? "" : `, load average ${from.loadAverage.toFixed(2)}`;
    rows.push({
      ...row, reusedFrom: from,
      description: `${row.description.replace(/ — \*\*reused from.*$/, "")} — **reused from the run of ${when} UTC** (${from.runs} run${from.runs > 1 ? "s" : ""}${load}), not re-run`,
    } as SchedulerRow);
    opts.log(`${name}: reused from ${previous!.file}`);
    return true;
  };
  const runsFor = (n: number): number => (n >= BIG_GRAPH ? 1 : opts.runs);
  const tesseraRow = async (name: string, description: string, time: () => Promise<NoopTiming[]>) => {
    if (!wanted(name) || reused(name)) return;
    opts.log(`${name}: ${description}`);
    try {
      const timings = await time();
      rows.push({ system: name, description, version, cells: timings.map((t) => cell(t.tasks, t.seconds, t.note ?? null)) });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      opts.log(`${name}: error: ${msg}`);
      rows.push({ system: name, description, version, cells: sizes.map((n) => cell(n, null, `error: ${msg}`)) });
    }
  };
  for (const workers of [1, 2]) {
    await tesseraRow(
      `tessera-inprocess-${workers}w`, `Tessera in-process cluster, ${workers} worker${workers > 1 ? "s" : ""}, ops inline (threads 0)`,
      () => tesseraNoop(workers, sizes, runsFor, opts.log, opts.timeoutMs),
    );
  }
  const ws = await websocketAvailable();
  for (const [workers, threads] of [[1, 2], [2, 1]] as const) {
    const name = `tessera-websocket-${workers}w`;
    const description = `Tessera over WebSockets: a scheduler process and ${workers} worker process${workers > 1 ? "es" : ""} × ${threads} ` +
      `thread${threads > 1 ? "s" : ""} on 127.0.0.1 (\`LocalCluster.start({ workers: ${workers}, threads: ${threads} })\`, ops on the workers' thread pools)`;
    if (!ws) {
      if (wanted(name)) rows.push({ system: name, description, version, cells: sizes.map((n) => cell(n, null, "not available (this build has no WebSocket transport)")) });
      continue;
    }
    await tesseraRow(name, description, () => tesseraWebSocketNoop(workers, threads, sizes, runsFor, opts.timeoutMs, opts.log));
  }
  const daskNames = ["dask-threads", "dask-processes"].filter((n) => wanted(n) && !(dask.reuse ?? []).includes(n));
  const daskMissing = daskNames.length > 0 ? await daskUnavailable() : null;
  if (daskMissing !== null) opts.log(`dask: SKIPPED — ${daskMissing}`);
  for (const processes of [false, true]) {
    const name = processes ? "dask-processes" : "dask-threads";
    const description = processes ? "Dask distributed LocalCluster(processes=True), 2 workers × 1 thread" : "Dask distributed LocalCluster(processes=False), 1 worker × 2 threads";
    if (!wanted(name) || reused(name)) continue;
    const cells: SchedulerCell[] = [];
    let daskVersion: string | null = null;
    let secondsPerTask: number | null = null;
    for (const n of sizes) {
      if (daskMissing !== null) { cells.push(cell(n, null, `skipped: ${daskMissing}`)); continue; }
      const estimate = secondsPerTask === null ? null : secondsPerTask * n * dask.runs;
      if (estimate !== null && estimate * 1000 > opts.timeoutMs) {
        const note = `skipped: ${Math.round(estimate)} s estimated from the smaller graph's rate, over the ${Math.round(opts.timeoutMs / 1000)} s limit (--timeout)`;
        opts.log(`${name}, ${n} tasks: ${note}`);
        cells.push(cell(n, null, note));
        continue;
      }
      opts.log(`${name}, ${n} tasks ...`);
      const r = await daskNoop(n, processes, dask.runs, opts.timeoutMs);
      if (r.seconds !== null && r.seconds.length > 0) secondsPerTask = Math.min(...r.seconds) / n;
      daskVersion ??= r.version;
      opts.log(`  ${name}, ${n} tasks: ${r.seconds ? r.seconds.map((s) => `${s.toFixed(3)} s`).join(", ") : r.error}`);
      cells.push(cell(n, r.seconds, r.error));
    }
    rows.push({ system: name, description, version: daskVersion, cells });
  }

  const reusedRows = rows.filter((r) => (r as { reusedFrom?: ReuseSource }).reusedFrom !== undefined && r.system.startsWith("dask"));
  const daskRunsText = reusedRows.length > 0 && reusedRows.length === rows.filter((r) => r.system.startsWith("dask")).length
    ? `as in the run its rows are reused from (see below; that run's --timeout applies to its notes)`
    : String(dask.runs);
  const header = ["system", ...sizes.map((n) => `${n.toLocaleString("en-US")} tasks: µs/task (tasks/s)`)];
  const table = markdownTable(header, rows.map((r) => [
    r.system,
    ...r.cells.map((c) => (c.usPerTask !== null && c.tasksPerSecond !== null ? `${us(c.usPerTask)} µs (${rate(c.tasksPerSecond)}/s)` : (c.note ?? "—"))),
  ]));
  const runsTable = markdownTable(["system", ...sizes.map((n) => `${n.toLocaleString("en-US")} tasks: runs (s)`)], rows.map((r) => [
    r.system, ...r.cells.map((c) => (c.seconds ? c.seconds.map((s) => s.toFixed(3)).join(" / ") : "—")),
  ]));
  const notes = rows.flatMap((r) => r.cells.filter((c) => c.note !== null && c.seconds === null).slice(0, 1).map((c) => `- ${r.system}: ${c.note}`));
  const markdown = [
    "**No-op tasks**: graphs of 10,000 to 1,000,000 tasks in groups of 100 (99 independent no-op leaves and one no-op sink " +
      "that depends on them; the client asks for the sinks). Time is from submitting the built graph to having the results, " +
      `after a warm-up of two graphs of the same shape (Tessera: 10,000 tasks, Dask: 1,000); Tessera ${opts.runs} runs ` +
      `(1 run of graphs of ${BIG_GRAPH.toLocaleString("en-US")} tasks or more; a size whose estimate from the smaller graph's rate is over --timeout is skipped), ` +
      `Dask ${daskRunsText}; µs/task and tasks/s from the fastest. Each graph's keys are fresh (resubmitting keys that are ` +
      "still being released makes Dask stall, and a result still held would make the run look faster than it is).",
    "",
    `Machine: ${describeMachine(opts.machine)}.`,
    "",
    ...rows.map((r) => `- \`${r.system}\`: ${r.description}${r.version ? `; ${r.version}` : ""}`),
    "",
    `Reproduce: \`${opts.command}\` (Dask: \`bash benchmarks/scripts/install-dask.sh\` first, as root)`,
    "",
    table,
    "",
    `![scheduler chart](results/scheduler.svg)`,
    "",
    "<details><summary>Every run (seconds)</summary>",
    "",
    runsTable,
    "",
    "</details>",
    ...(notes.length > 0 ? ["", "Not measured:", "", ...notes] : []),
  ].join("\n");
  const measured = rows.filter((r) => r.cells.some((c) => c.usPerTask !== null));
  const svg = barChartSvg({
    title: "Scheduler: µs per no-op task (lower is better)",
    categories: sizes.map((n) => `${n.toLocaleString("en-US")} tasks`),
    series: measured.map((r) => ({ name: r.system, values: r.cells.map((c) => c.usPerTask), missingLabel: r.cells.map((c) => ((c.note ?? "n/a").split(" ")[0] ?? "n/a").replace(/:$/, "")) })),
    unit: "µs per task, fastest run (log scale)",
    log: true,
  });
  const ok = rows.every((r) => r.system.startsWith("dask") || r.cells.every((c) => c.usPerTask !== null || (c.note ?? "").startsWith("skipped") || (c.note ?? "").startsWith("not available")));
  return { suite: "scheduler", result: { sizes, runs: opts.runs, daskRuns: dask.runs, daskSkipped: daskMissing, websocket: ws, reused: dask.reuse ?? [], rows }, markdown, svg, ok };
}
