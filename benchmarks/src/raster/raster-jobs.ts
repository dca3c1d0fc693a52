// The raster suite's jobs and how each side runs one: Tessera in a child process on the embedded default, GDAL in
// a Python process per run (scripts/gdal-raster.py), both timed around the job alone.
import { execFile } from "node:child_process";
import { join } from "node:path";
import { BENCH_ROOT } from "../data/data-dir.js";

export const RASTER_JOBS = ["regrid-average", "regrid-nearest", "zonal"] as const;
export type RasterJob = (typeof RASTER_JOBS)[number];
export const ZONAL_STATS = ["count", "sum", "mean", "min", "max"] as const;

export interface RunMetrics {
  readonly ms: number;
  readonly peakRss: number;
  readonly bytesRead: number;
}

export interface SideResult {
  readonly runs: readonly RunMetrics[];
  readonly version: string | null;
  readonly error: string | null;
  /** The answer file the last run wrote. */
  readonly out: string;
}

const GDAL_PYTHON = "/usr/bin/python3";
const GDAL_SCRIPT = join(BENCH_ROOT, "scripts", "gdal-raster.py");
const CHILD = join(BENCH_ROOT, "dist", "raster", "tessera-raster-child.js");

function exec(cmd: string, args: readonly string[], timeoutMs: number): Promise<{ stdout: string; error: string | null }> {
  return new Promise((resolve) => {
    execFile(cmd, [...args], { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1 << 24 }, (e, stdout, stderr) => {
      if (e === null) { resolve({ stdout, error: null }); return; }
      const killed = (e as { killed?: boolean }).killed === true;
      resolve({ stdout, error: killed ? `timeout after ${Math.round(timeoutMs / 1000)} s` : `${e.message.split("\n")[0]}; ${stderr.trim().split("\n").slice(-2).join(" ")}` });
    });
  });
}

const lines = (s: string): Record<string, unknown>[] => s.trim().split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as Record<string, unknown>);

/** Tessera: one process, `runs` runs of the job. */
export async function tesseraSide(job: RasterJob, cog: string, zones: string, runs: number, out: string, timeoutMs: number): Promise<SideResult> {
  const r = await exec(process.execPath, [CHILD, JSON.stringify({ job, cog, zones, runs, out })], timeoutMs);
  const msgs = lines(r.stdout);
  const failed = msgs.find((m) => typeof m["error"] === "string");
  const done = msgs.find((m) => m["done"] === true);
  return {
    runs: msgs.filter((m) => typeof m["ms"] === "number") as unknown as RunMetrics[],
    version: typeof done?.["version"] === "string" ? done["version"] : null,
    error: r.error ?? (failed ? String(failed["error"]) : done === undefined ? "the child did not finish" : null),
    out,
  };
}

/** GDAL: a fresh Python process per run (its peak RSS is the run's); `threads` for gdalwarp's NUM_THREADS. */
export async function gdalSide(job: RasterJob, cog: string, zones: string, runs: number, out: string, threads: number, timeoutMs: number): Promise<SideResult> {
  const metrics: RunMetrics[] = [];
  let version: string | null = null;
  for (let i = 0; i < runs; i++) {
    const r = await exec(GDAL_PYTHON, [GDAL_SCRIPT, "--job", job, "--src", cog, "--zones", zones, "--threads", String(threads), "--out", out], timeoutMs);
    if (r.error !== null) return { runs: metrics, version, error: r.error, out };
    const m = lines(r.stdout).at(-1) ?? {};
    if (m["available"] !== true) return { runs: metrics, version, error: String(m["error"] ?? "no output"), out };
    version = String(m["version"]);
    metrics.push({ ms: Number(m["ms"]), peakRss: Number(m["peakRss"]), bytesRead: Number(m["bytesRead"]) });
  }
  return { runs: metrics, version, error: null, out };
}
