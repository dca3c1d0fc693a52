// The main job (`tessera demo`): a generated climate-model output through the Causemos pipeline into ./output, and where to look.
import { mkdirSync, rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import type { RunReport } from "@tessera/causemos";
import { generateModelOutput, runCausemos } from "@tessera/causemos";
import { PlanError } from "tessera";

export const DEMO_USAGE = "tessera demo [--out DIR] [--rows N]        the main job: a generated model output through the Causemos pipeline (default ./output, ~1.15 million rows)";

export interface DemoOptions {
  /** Where everything goes (default ./output): the input under input/, the run's tree under MODEL/RUN/. */
  readonly out?: string;
  /** About how many rows to generate (default 1,150,000: 4,000 points, 4 features, 24 months, 3 a month, plus a census). */
  readonly rows?: number;
  readonly log?: (line: string) => void;
}

export interface DemoResult {
  readonly input: string;
  readonly tree: string;
  readonly report: RunReport;
}

export const DEMO_MODEL = "climate-demo";
export const DEMO_RUN = "run-1";
const FEATURES = ["precipitation", "temperature", "soil_moisture", "crop_yield"];
const POINTS = 4000;
const PER_MONTH = 3;

/**
 * Generates model output (points across East Africa with country/admin1-3 names, four monthly features with a
 * `scenario` qualifier, and a once-per-point `population`), writes it as Parquet under `{out}/input`, and runs the
 * Causemos pipeline on it into `{out}` (breakdowns by scenario for every feature). Prints the steps, then where the
 * tree is and how to see it on the map.
 */
export async function runDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const out = resolve(opts.out ?? "output");
  const log = opts.log ?? ((l: string) => process.stdout.write(`${l}\n`));
  const months = Math.max(1, Math.round((opts.rows ?? 1_150_000) / (POINTS * FEATURES.length * PER_MONTH)));
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const input = `${out}/input`;
  const t0 = performance.now();
  await generateModelOutput({ points: POINTS, features: FEATURES, months, perMonth: PER_MONTH, seed: 42, partitions: 4, censusFeature: "population" })
    .sinkParquet(input, { progress: false });
  log(`generated model output: ${POINTS} points, ${FEATURES.join(", ")} over ${months} months (${PER_MONTH} a month), population once per point -> ${input} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const report = await runCausemos({
    model_id: DEMO_MODEL, run_id: DEMO_RUN, data_paths: [input],
    qualifier_map: Object.fromEntries(FEATURES.map((f) => [f, ["scenario"]])),
  }, { out });
  for (const s of report.steps) log(`  ${s.step.padEnd(18)} ${s.seconds.toFixed(2).padStart(7)} s`);
  const rate = Math.round(report.counters.num_rows / report.seconds);
  log(`causemos: ${report.counters.num_rows.toLocaleString("en-US")} rows in ${report.seconds.toFixed(1)} s (${rate.toLocaleString("en-US")} rows/s), ` +
    `${report.written.objects.toLocaleString("en-US")} objects, ${(report.written.bytes / 2 ** 20).toFixed(1)} MiB`);
  const tree = `${out}/${DEMO_MODEL}/${DEMO_RUN}`;
  log(`output tree: ${tree}  (results.json, raw/, month/, year/: time series, regional CSVs, extrema, tiles)`);
  log(`map: npx tessera map ${out}   then open the printed URL (/map): tiles per feature and month, a region's time series on click`);
  return { input, tree, report };
}

export async function demoCommand(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: { out: { type: "string" }, rows: { type: "string" } }, strict: true, allowPositionals: false });
  } catch (e) {
    throw new PlanError("BAD_ARGUMENT", `${e instanceof Error ? e.message : String(e)}\nusage: ${DEMO_USAGE}`);
  }
  const rows = parsed.values.rows === undefined ? undefined : Number(parsed.values.rows);
  if (rows !== undefined && !(Number.isFinite(rows) && rows > 0)) throw new PlanError("BAD_ARGUMENT", `--rows must be a positive number, got ${parsed.values.rows}`);
  await runDemo({ ...(parsed.values.out === undefined ? {} : { out: parsed.values.out }), ...(rows === undefined ? {} : { rows }) });
  return 0;
}
