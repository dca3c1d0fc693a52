// The raster suite: a 4× regrid (average, nearest) of a size² Float32 COG and zonal statistics over 100 zones, Tessera
// (embedded default, collect()) beside GDAL (gdalwarp's library into memory; gdal_rasterize per zone, as rasterstats
// does) in the same run. Answers are cross-checked before any time is shown; medians, peak RSS and bytes read.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeMachine } from "../machine.js";
import { markdownTable, mib, ratio, secs } from "../report/format.js";
import type { RasterData } from "../raster/raster-data.js";
import { NODATA, rasterData } from "../raster/raster-data.js";
import type { RasterJob, RunMetrics, SideResult } from "../raster/raster-jobs.js";
import { RASTER_JOBS, gdalSide, tesseraSide } from "../raster/raster-jobs.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

const JOB_TITLES: Record<RasterJob, string> = {
  "regrid-average": "regrid 4× average",
  "regrid-nearest": "regrid 4× nearest",
  zonal: "zonal statistics, 100 zones",
};

interface Side {
  readonly system: string;
  readonly result: SideResult;
  readonly medianMs: number | null;
  readonly peakRss: number | null;
  readonly bytesRead: number | null;
}

interface JobReport {
  readonly job: RasterJob;
  readonly check: { readonly ok: boolean; readonly detail: string };
  readonly sides: readonly Side[];
}

const median = (xs: readonly number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function side(system: string, result: SideResult): Side {
  const runs: readonly RunMetrics[] = result.error === null ? result.runs : [];
  return {
    system, result, medianMs: median(runs.map((r) => r.ms)),
    peakRss: runs.length > 0 ? Math.max(...runs.map((r) => r.peakRss)) : null,
    bytesRead: median(runs.map((r) => r.bytesRead)),
  };
}

function floats(file: string): Float32Array {
  const raw = readFileSync(file);
  const out = new Float32Array(raw.byteLength / 4);
  new Uint8Array(out.buffer).set(raw);
  return out;
}

/** Tessera's answer against GDAL's: nearest bit for bit, average within 1e-5, zonal counts exactly and sums to 1e-9. */
function crossCheck(job: RasterJob, tessera: string, gdal: string): { ok: boolean; detail: string } {
  if (job === "zonal") {
    type Row = { zone: number; count: number; sum: number | null; min: number | null; max: number | null };
    const a = JSON.parse(readFileSync(tessera, "utf8")) as Row[];
    const b = new Map((JSON.parse(readFileSync(gdal, "utf8")) as Row[]).map((r) => [r.zone, r]));
    if (a.length !== b.size) return { ok: false, detail: `${a.length} zones vs GDAL's ${b.size}` };
    for (const r of a) {
      const g = b.get(r.zone);
      if (g === undefined || g.count !== r.count || g.min !== r.min || g.max !== r.max) return { ok: false, detail: `zone ${r.zone}: ${JSON.stringify(r)} vs GDAL's ${JSON.stringify(g)}` };
      if (Math.abs((r.sum ?? 0) - (g.sum ?? 0)) > 1e-9 * Math.abs(g.sum ?? 0)) return { ok: false, detail: `zone ${r.zone}: sum ${r.sum} vs GDAL's ${g.sum}` };
    }
    return { ok: true, detail: "counts, min and max equal GDAL's for every zone; sums within 1e-9" };
  }
  const x = floats(tessera);
  const y = floats(gdal);
  if (x.length !== y.length) return { ok: false, detail: `${x.length} pixels vs GDAL's ${y.length}` };
  let differ = 0;
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    if (x[i] === y[i]) continue;
    differ++;
    if (x[i] === NODATA || y[i] === NODATA) { worst = Infinity; continue; }
    worst = Math.max(worst, Math.abs(x[i]! - y[i]!) / Math.max(Math.abs(y[i]!), 1e-30));
  }
  if (job === "regrid-nearest") return differ === 0 ? { ok: true, detail: "bit for bit equal to GDAL's" } : { ok: false, detail: `${differ} pixels differ from GDAL's` };
  return worst <= 1e-5 ? { ok: true, detail: `within ${worst.toExponential(1)} (relative) of GDAL's` } : { ok: false, detail: `${differ} pixels differ, worst relative ${worst}` };
}

export async function runRaster(opts: SuiteOptions): Promise<SuiteReport> {
  const data: RasterData = rasterData(opts.size, opts.log);
  const dir = mkdtempSync(join(tmpdir(), "tessera-bench-raster-"));
  const wanted = (name: string): boolean => opts.only === undefined || opts.only.includes(name);
  const jobs = RASTER_JOBS.filter((j) => opts.questions === undefined || opts.questions.includes(j));
  const reports: JobReport[] = [];
  try {
    for (const job of jobs) {
      opts.log(`${JOB_TITLES[job]}: tessera, ${opts.runs} runs ...`);
      const sides: Side[] = [];
      const t = await tesseraSide(job, data.cog, data.zones, opts.runs, join(dir, `${job}-tessera.out`), opts.timeoutMs);
      if (wanted("tessera")) sides.push(side("tessera", t));
      const gdalVariants = job === "zonal" ? [1] : [1, 2];
      for (const threads of gdalVariants) {
        const name = threads === 1 ? "gdal" : `gdal-${threads}t`;
        if (!wanted(name) && name !== "gdal") continue;
        opts.log(`${JOB_TITLES[job]}: ${name}, ${opts.runs} runs ...`);
        sides.push(side(name, await gdalSide(job, data.cog, data.zones, opts.runs, join(dir, `${job}-${name}.out`), threads, opts.timeoutMs)));
      }
      const gdal = sides.find((s) => s.system === "gdal");
      const check = t.error !== null ? { ok: false, detail: `tessera failed: ${t.error}` }
        : gdal === undefined || gdal.result.error !== null ? { ok: false, detail: `GDAL failed: ${gdal?.result.error ?? "not run"}` }
          : crossCheck(job, t.out, gdal.result.out);
      opts.log(`  ${JOB_TITLES[job]}: ${check.ok ? "answers agree" : "MISMATCH"} (${check.detail}); ` +
        sides.map((s) => `${s.system} ${secs(s.medianMs)} s`).join(", "));
      reports.push({ job, check, sides });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const systems = [...new Set(reports.flatMap((r) => r.sides.map((s) => s.system)))];
  const cell = (r: JobReport, name: string, f: (s: Side) => string): string => {
    const s = r.sides.find((x) => x.system === name);
    if (s === undefined) return "—";
    if (s.result.error !== null) return `error: ${s.result.error}`;
    return r.check.ok ? f(s) : "MISMATCH";
  };
  const of = (r: JobReport, name: string): Side | undefined => r.sides.find((s) => s.system === name);
  const table = markdownTable(
    ["job", ...systems.map((s) => `${s} median (s)`), "tessera/gdal", ...systems.map((s) => `${s} peak RSS (MiB)`), ...systems.map((s) => `${s} read (MiB)`)],
    reports.map((r) => [
      JOB_TITLES[r.job],
      ...systems.map((s) => cell(r, s, (x) => secs(x.medianMs))),
      r.check.ok ? ratio(of(r, "tessera")?.medianMs ?? null, of(r, "gdal")?.medianMs ?? null) : "—",
      ...systems.map((s) => cell(r, s, (x) => mib(x.peakRss))),
      ...systems.map((s) => cell(r, s, (x) => mib(x.bytesRead))),
    ]),
  );
  const runsTable = markdownTable(["job", "system", "runs (s)"], reports.flatMap((r) => r.sides.map((s) => [
    JOB_TITLES[r.job], s.system, s.result.runs.map((x) => secs(x.ms)).join(" / ") || "—",
  ])));
  const versions = reports.flatMap((r) => r.sides).reduce((m, s) => (s.result.version !== null ? m.set(s.system, s.result.version) : m), new Map<string, string>());
  const markdown = [
    `**${data.size}² Float32 COG** (${(data.bytes / 2 ** 20).toFixed(0)} MiB: DEFLATE + predictor 3, 256-pixel tiles, nodata holes; ` +
      `written by gdal_translate) onto a 4× coarser grid, and zonal statistics (count, sum, mean, min, max) of 100 polygons. ` +
      `${opts.runs} runs per system and job; the median is shown. Each answer is checked against GDAL's before a time is shown ` +
      "(nearest bit for bit, average to 1e-5, zonal counts, min and max exactly and sums to 1e-9).",
    "",
    `Machine: ${describeMachine(opts.machine)}.`,
    "",
    "- `tessera`: the embedded default (`openRaster(...).regrid(grid, { method }).collect()`, `zonalStats(...).collect()`), chunks of 512, " +
      "decoding and warping on its thread pool; one process for all runs, timed around the job (peak RSS: VmHWM reset per run, Node included).",
    "- `gdal`: `gdal.Warp` (gdalwarp's library, `-ovr NONE -et 0`, into memory) single-threaded as gdalwarp runs by default; " +
      "`gdal-2t` the same with `-multi -wo NUM_THREADS=2`; zonal statistics as rasterstats computes them with gdal_rasterize " +
      "(per zone: read its window, burn the zone, reduce the valid pixels with numpy). A Python process per run, timed around the job.",
    "- Bytes read: what the process read through read() calls during the job (`/proc/<pid>/io` rchar), the same measure for both.",
    "",
    ...[...versions].map(([s, v]) => `- ${s}: ${v}`),
    "",
    `Reproduce: \`${opts.command}\` (needs gdal-bin and python3-gdal; Debian's /usr/bin/python3)`,
    "",
    table,
    "",
    ...reports.map((r) => `- ${JOB_TITLES[r.job]}: ${r.check.ok ? "answers agree" : "**MISMATCH**"}: ${r.check.detail}`),
    "",
    "<details><summary>Every run (seconds)</summary>",
    "",
    runsTable,
    "",
    "</details>",
  ].join("\n");
  const ok = reports.length > 0 && reports.every((r) => r.check.ok && r.sides.every((s) => s.result.error === null));
  return {
    suite: "raster",
    result: { size: data.size, cogBytes: data.bytes, runs: opts.runs, jobs: reports.map((r) => ({ job: r.job, check: r.check, sides: r.sides.map((s) => ({ system: s.system, version: s.result.version, error: s.result.error, runs: s.result.runs, medianMs: s.medianMs, peakRss: s.peakRss, bytesRead: s.bytesRead })) })) },
    markdown, svg: null, ok,
  };
}
