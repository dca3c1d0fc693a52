// Smoke test of the raster suite at 512² through its real path (a Tessera child process, GDAL in Python processes,
// the cross-check): every job's answers agree and every side reports a time, a peak RSS and bytes read. Not timed.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { machineInfo } from "../src/machine.js";
import { BENCH_ROOT } from "../src/data/data-dir.js";
import { runRaster } from "../src/suites/raster.js";

let dataDir = "";
beforeAll(() => {
  const child = join(BENCH_ROOT, "dist", "raster", "tessera-raster-child.js");
  if (!existsSync(child)) throw new Error(`${child} is missing: build first (npx tsc -b)`);
  dataDir = mkdtempSync(join(tmpdir(), "tessera-bench-raster-smoke-"));
  process.env["TESSERA_BENCH_DATA"] = dataDir;
});
afterAll(() => {
  delete process.env["TESSERA_BENCH_DATA"];
  if (dataDir !== "") rmSync(dataDir, { recursive: true, force: true });
});

describe("raster suite", () => {
  it("runs regrids and zonal statistics on Tessera and GDAL, and their answers agree", async () => {
    const report = await runRaster({ size: 512, mode: "parquet", runs: 1, timeoutMs: 120_000, machine: machineInfo(), command: "smoke test", log: () => {} });
    const jobs = (report.result as { jobs: { job: string; check: { ok: boolean; detail: string }; sides: { system: string; error: string | null; runs: { ms: number; peakRss: number; bytesRead: number }[] }[] }[] }).jobs;
    expect(jobs.map((j) => j.job)).toEqual(["regrid-average", "regrid-nearest", "zonal"]);
    for (const j of jobs) {
      expect(j.check.ok, `${j.job}: ${j.check.detail}`).toBe(true);
      expect(j.sides.map((s) => s.system)).toEqual(j.job === "zonal" ? ["tessera", "gdal"] : ["tessera", "gdal", "gdal-2t"]);
      for (const s of j.sides) {
        expect(s.error, `${j.job} on ${s.system}`).toBeNull();
        expect(s.runs[0]!.ms).toBeGreaterThan(0);
        expect(s.runs[0]!.peakRss).toBeGreaterThan(10 * 2 ** 20);
        expect(s.runs[0]!.bytesRead).toBeGreaterThan(0);
      }
    }
    expect(report.ok).toBe(true);
    expect(report.markdown).toContain("| regrid 4× average |");
  });
});
