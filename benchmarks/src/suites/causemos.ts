// The Causemos suite: the reference pipeline end to end on a generated model output, with the file writer and with none.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateModelOutput } from "@tessera/causemos";
import { closeDefaultClient } from "tessera";
import { BENCH_ROOT, dataDir, sizeLabel } from "../data/data-dir.js";
import { describeMachine } from "../machine.js";
import { markdownTable, mib } from "../report/format.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

/** The original pipeline's speed on this kind of machine (spec §17: 151,163 rows in 334 s, writer none). */
export const ORIGINAL_ROWS_PER_SECOND = 450;
/**
 * The benchmark input's shape: 5,000 points, 5 features, 2 observations a month, two of every three (point, feature)
 * pairs reporting (16,667 series); 60 months make 2,000,040 rows, and the months follow from --size.
 */
export const POINTS = 5000;
export const FEATURES = 5;
export const PER_MONTH = 2;
const COVERAGE = 2;
const SERIES = 16_667;
/** Every feature gets breakdowns by the generated qualifier. */
const QUALIFIER_MAP = Object.fromEntries(Array.from({ length: FEATURES }, (_, i) => [`feature${i + 1}`, ["scenario"]]));

export interface CausemosRun {
  readonly writer: "file" | "none";
  readonly rows: number;
  readonly seconds: number;
  readonly objects: number;
  readonly bytes: number;
  readonly peakRss: number;
  readonly cpuSeconds: number;
  readonly loadAtStart: number;
  readonly steps: readonly { readonly step: string; readonly seconds: number }[];
}

const CHILD = join(BENCH_ROOT, "dist", "suites", "causemos-child.js");

/** The input for `rows` rows (5,000 points × 5 features × months × 2 a month), generated once and cached as Parquet. */
export async function causemosInput(rows: number, log: (l: string) => void): Promise<{ path: string; months: number }> {
  const months = Math.max(1, Math.round(rows / (SERIES * PER_MONTH)));
  const path = join(dataDir(), `causemos-${POINTS}p-${FEATURES}f-${months}m`);
  if (!existsSync(join(path, "_SUCCESS"))) {
    log(`generating ${SERIES * months * PER_MONTH} rows (${POINTS} points, ${FEATURES} features, ${months} months, ${PER_MONTH} a month, a qualifier) ...`);
    await generateModelOutput({ points: POINTS, features: FEATURES, months, perMonth: PER_MONTH, seed: 2026, partitions: 8, coverage: COVERAGE })
      .sinkParquet(path, { progress: false });
    await closeDefaultClient();
  }
  return { path, months };
}

function runOnce(input: string, writer: "file" | "none", timeoutMs: number): Promise<CausemosRun> {
  const out = writer === "none" ? "none" : mkdtempSync(join(tmpdir(), "tessera-bench-causemos-"));
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ["--max-old-space-size=16384", CHILD, input, out, JSON.stringify(QUALIFIER_MAP)], { timeout: timeoutMs, maxBuffer: 1 << 24 }, (err, stdout, stderr) => {
      if (writer === "file") rmSync(out, { recursive: true, force: true });
      if (err !== null) { reject(new Error(`causemos (${writer}) failed: ${err.message}\n${stderr.slice(-2000)}`)); return; }
      const line = stdout.trim().split("\n").at(-1) ?? "";
      resolve({ writer, ...(JSON.parse(line) as Omit<CausemosRun, "writer">) });
    });
  });
}

const rate = (r: CausemosRun): number => r.rows / r.seconds;

export async function runCausemosSuite(opts: SuiteOptions, writers: readonly ("file" | "none")[]): Promise<SuiteReport> {
  const { path, months } = await causemosInput(opts.size, opts.log);
  const runs: CausemosRun[] = [];
  for (const writer of writers) {
    for (let i = 0; i < opts.runs; i++) {
      opts.log(`causemos, writer ${writer}, run ${i + 1} ...`);
      const r = await runOnce(path, writer, opts.timeoutMs);
      opts.log(`  ${r.rows} rows in ${r.seconds.toFixed(1)} s = ${Math.round(rate(r))} rows/s; ${r.objects} objects, ${mib(r.bytes)} MiB; peak RSS ${mib(r.peakRss)} MiB; CPU ${r.cpuSeconds.toFixed(1)} s; load ${r.loadAtStart.toFixed(1)}`);
      runs.push(r);
    }
  }
  const rows = runs.map((r) => [
    r.writer, String(r.rows), r.seconds.toFixed(1), String(Math.round(rate(r))), `${(rate(r) / ORIGINAL_ROWS_PER_SECOND).toFixed(0)}×`,
    String(r.objects), mib(r.bytes), mib(r.peakRss), r.cpuSeconds.toFixed(1), r.loadAtStart.toFixed(1),
  ]);
  const stepNames = [...new Set(runs.flatMap((r) => r.steps.map((s) => s.step)))];
  const steps = markdownTable(["step", ...runs.map((r, i) => `${r.writer} #${i + 1} (s)`)],
    stepNames.map((s) => [s, ...runs.map((r) => (r.steps.find((x) => x.step === s)?.seconds ?? 0).toFixed(2))]));
  const markdown = [
    `**${sizeLabel(SERIES * months * PER_MONTH)} rows** of generated model output (${POINTS} points in 4 countries, 16 admin1, 80 admin2 and 400 admin3 regions; ` +
      `${FEATURES} features, each reported at two thirds of the points; ${months} months, ${PER_MONTH} observations a month; a qualifier \`scenario\` with breakdowns for every feature), ` +
      "through the whole Causemos pipeline on the embedded default (read, validate, metadata, monthly and yearly outputs, tiles, summary, results.json), " +
      "objects written to local files (`file`) or rendered and dropped (`none`). The original pipeline ran at " +
      `${ORIGINAL_ROWS_PER_SECOND} rows/s on this kind of machine (spec §17, writer none).`,
    "",
    `Machine: ${describeMachine(opts.machine)}.`,
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    markdownTable(["writer", "rows", "seconds", "rows/s", "vs original", "objects", "MiB written", "peak RSS (MiB)", "CPU s", "load at start"], rows),
    "",
    "CPU s is the run's process CPU time (user + system, every thread); on a shared machine the wall time also depends on the " +
      "load, so rows per CPU second (rows / CPU s) is the steadier figure.",
    "",
    "<details><summary>Seconds per step</summary>",
    "",
    steps,
    "",
    "</details>",
  ].join("\n");
  return { suite: "causemos", result: { runs, input: { rows: SERIES * months * PER_MONTH, points: POINTS, features: FEATURES, months, perMonth: PER_MONTH } }, markdown, svg: null, ok: true };
}
