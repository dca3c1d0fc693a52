// The scheduler suite: no-op tasks per second and µs per task for Tessera in-process, over WebSockets, and Dask.
import { describeMachine } from "../machine.js";
import { markdownTable } from "../report/format.js";
import { barChartSvg } from "../report/svg-chart.js";
import { daskNoop, daskUnavailable } from "../scheduler/dask-noop.js";
import { tesseraNoop, websocketAvailable } from "../scheduler/tessera-noop.js";
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

/** Dask's run count, and whether a size is skipped because the previous size's rate predicts more than the time limit. */
export interface DaskPlan {
  readonly runs: number;
}

export async function runScheduler(opts: SuiteOptions, sizes: readonly number[], dask: DaskPlan = { runs: opts.runs }): Promise<SuiteReport> {
  const rows: SchedulerRow[] = [];
  const version = tesseraVersion();
  for (const workers of [1, 2]) {
    if (opts.only !== undefined && !opts.only.includes(`tessera-inprocess-${workers}w`)) continue;
    opts.log(`tessera in-process, ${workers} worker(s), ops inline:`);
    try {
      const timings = await tesseraNoop(workers, sizes, opts.runs, opts.log);
      rows.push({
        system: `tessera-inprocess-${workers}w`, description: `Tessera in-process cluster, ${workers} worker${workers > 1 ? "s" : ""}, ops inline (threads 0)`,
        version, cells: timings.map((t) => cell(t.tasks, t.seconds, null)),
      });
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      rows.push({ system: `tessera-inprocess-${workers}w`, description: "Tessera in-process cluster", version, cells: sizes.map((n) => cell(n, null, `error: ${msg}`)) });
    }
  }
  const ws = await websocketAvailable();
  rows.push({
    system: "tessera-websocket", description: "Tessera scheduler and workers over WebSockets", version,
    cells: sizes.map((n) => cell(n, null, ws ? "not yet wired into this suite" : "not available (this build has no WebSocket transport)")),
  });
  const daskMissing = await daskUnavailable();
  if (daskMissing !== null) opts.log(`dask: SKIPPED — ${daskMissing}`);
  for (const processes of [false, true]) {
    const name = processes ? "dask-processes" : "dask-threads";
    const description = processes ? "Dask distributed LocalCluster(processes=True), 2 workers × 1 thread" : "Dask distributed LocalCluster(processes=False), 1 worker × 2 threads";
    if (opts.only !== undefined && !opts.only.includes(name)) continue;
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
      `after a warm-up of two graphs of the same shape (Tessera: 10,000 tasks, Dask: 1,000); Tessera ${opts.runs} runs, ` +
      `Dask ${dask.runs}; µs/task and tasks/s from the fastest. Each graph's keys are fresh (resubmitting keys that are ` +
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
  const ok = rows.every((r) => r.system === "tessera-websocket" || r.system.startsWith("dask") || r.cells.every((c) => c.usPerTask !== null));
  return { suite: "scheduler", result: { sizes, runs: opts.runs, daskRuns: dask.runs, daskSkipped: daskMissing, websocket: ws, rows }, markdown, svg, ok };
}
