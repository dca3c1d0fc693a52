// The Tessera side of the raster suite, in its own process: one job run `runs` times on the embedded default
// (kernels on its thread pool), each run timed with its peak RSS and the bytes the process read; the last run's
// answer is written for the cross-check. Config: one JSON argument; output: one JSON line per run, then "done".
import { readFileSync, writeFileSync } from "node:fs";
import { closeDefaultClient, makeGrid, openRaster } from "tessera";
import { PeakRss } from "../runner/peak-rss.js";
import { tesseraVersion } from "../systems/tessera.js";
import type { RasterJob } from "./raster-jobs.js";
import { ZONAL_STATS } from "./raster-jobs.js";

interface Config {
  readonly job: RasterJob;
  readonly cog: string;
  readonly zones: string;
  readonly runs: number;
  readonly out: string;
}

/** Bytes this process (all its threads) has read through read syscalls. */
function rchar(): number {
  const m = /^rchar:\s+(\d+)/m.exec(readFileSync("/proc/self/io", "utf8"));
  return m ? Number(m[1]) : 0;
}

async function runJob(c: Config): Promise<() => void> {
  const raster = openRaster(c.cog, { chunkSize: 512 });
  if (c.job === "zonal") {
    const zones = JSON.parse(readFileSync(c.zones, "utf8")) as unknown;
    const table = await raster.zonalStats(zones, { crs: "EPSG:32633", idProperty: "id", stats: ZONAL_STATS }).collect({ progress: false });
    return () => writeFileSync(c.out, JSON.stringify(table.toArray().map((r) => {
      const o = r.toJSON() as Record<string, unknown>;
      return { ...o, zone: Number(o["zone"]), count: Number(o["count"]) };
    })));
  }
  const { grid } = await raster.info();
  const t = grid.transform;
  const dst = makeGrid(grid.crs, [t[0], t[1] * 4, 0, t[3], 0, t[5] * 4], Math.floor(grid.width / 4), Math.floor(grid.height / 4));
  const res = await raster.regrid(dst, { method: c.job === "regrid-average" ? "average" : "nearest" }).collect({ progress: false });
  const band = res.band("b1");
  return () => writeFileSync(c.out, new Uint8Array(band.buffer, band.byteOffset, band.byteLength));
}

async function main(): Promise<void> {
  const c = JSON.parse(process.argv[2] ?? "{}") as Config;
  const peak = new PeakRss();
  for (let run = 1; run <= c.runs; run++) {
    peak.reset();
    const before = rchar();
    const t0 = performance.now();
    const write = await runJob(c);
    const ms = performance.now() - t0;
    const bytesRead = rchar() - before;
    console.log(JSON.stringify({ run, ms, peakRss: peak.peak(), bytesRead }));
    if (run === c.runs) write();
  }
  peak.stop();
  console.log(JSON.stringify({ done: true, version: tesseraVersion() }));
  await closeDefaultClient();
}

main().catch((e: unknown) => {
  console.log(JSON.stringify({ error: e instanceof Error ? e.message : String(e) }));
  process.exit(1);
});
