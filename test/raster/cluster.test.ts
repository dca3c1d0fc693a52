// Rasters on real clusters (a scheduler and worker processes on 127.0.0.1): the same answers, byte for byte, on 1 worker
// and on 3 (chunks fetched between workers over WebSockets); bad files and CRSs end in coded errors naming the file,
// and the cluster goes on to run the next job.
import { copyFileSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Client, RasterResult } from "tessera";
import { LocalCluster, makeGrid, openRaster, openRasterStack } from "tessera";
import { tableRows } from "../support/compare.js";
import { failure } from "../support/engine.js";
import { gdal, makeWarpSource, sameArray, tempDir } from "./support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tmp = tempDir("e2e-cluster");
const utm = tmp.file("utm.tif");
const stackDir = tmp.file("stack");
let items: { url: string; time: string }[] = [];
let three: LocalCluster;
let one: LocalCluster;

const fc = {
  type: "FeatureCollection",
  features: [
    { type: "Feature", properties: { name: "west" }, geometry: { type: "Polygon", coordinates: [[[15.003, 41.998], [15.030, 41.996], [15.020, 41.962], [15.003, 41.998]]] } },
    { type: "Feature", properties: { name: "east" }, geometry: { type: "Polygon", coordinates: [[[15.040, 41.990], [15.070, 41.990], [15.070, 41.960], [15.040, 41.960], [15.040, 41.990]]] } },
  ],
};

beforeAll(async () => {
  makeWarpSource(utm, tmp.file("utm.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
  items = JSON.parse(execFileSync(process.execPath, [join(ROOT, "examples/ndvi/make-stack.mjs"), stackDir], { encoding: "utf8" })) as typeof items;
  three = await LocalCluster.start({ workers: 3, threads: 1, dashboardPort: 0 });
  one = await LocalCluster.start({ workers: 1, threads: 2 });
});
afterAll(async () => {
  await three?.close();
  await one?.close();
  tmp.cleanup();
});

interface Answers {
  readonly chained: RasterResult;
  readonly seasonal: RasterResult;
  readonly zonal: unknown[];
  readonly cog: Buffer;
  readonly tiles: Map<string, Buffer>;
}

/** Jobs whose chunks must move between workers: a warp of a warp, a time reduction, zonal merges, one COG of all chunks. */
async function answers(client: Client, name: string): Promise<Answers> {
  const run = { client, progress: false } as const;
  const shifted = makeGrid("EPSG:32633", [500003.3, 10, 0, 4599997.5, 0, -10], 1024, 1024);
  const coarse = makeGrid("EPSG:32633", [500000, 30, 0, 4600000, 0, -30], 341, 341);
  const chained = await openRaster(utm, { chunkSize: 256 }).regrid(shifted, { method: "bilinear" }).regrid(coarse, { method: "average" }).collect(run);
  const stack = openRasterStack(items, { chunkSize: 256 });
  const red = stack.band("red").cast("float64");
  const nir = stack.band("nir").cast("float64");
  const ndvi = stack.select(nir.sub(red).div(nir.add(red)).alias("ndvi"));
  const seasonal = await ndvi.reduceTime({ stats: ["mean", "max", "count"] }).collect(run);
  const zonal = tableRows(await ndvi.zonalStats(fc, { idProperty: "name", stats: ["count", "mean", "std"] }).collect(run));
  const cogFile = tmp.file(`season-${name}.tif`);
  await ndvi.reduceTime({ stats: ["mean"] }).sinkGeoTiff(cogFile, run);
  const tileDir = tmp.file(`tiles-${name}`);
  await ndvi.reduceTime({ stats: ["max"] }).sinkTiles(tileDir, { minZoom: 11, maxZoom: 13, format: "f32", resampling: "average", ...run });
  const tiles = new Map(readdirSync(tileDir, { recursive: true }).map(String).filter((p) => p.endsWith(".f32")).map((p) => [p, readFileSync(join(tileDir, p))]));
  return { chained, seasonal, zonal, cog: readFileSync(cogFile), tiles };
}

describe("rasters on 1 and on 3 worker processes", () => {
  it("give identical answers: rasters byte for byte, statistics exactly, the COG's and tiles' bytes equal", async () => {
    const a = await answers(three.client, "3w");
    const b = await answers(one.client, "1w");
    for (const r of [a.chained, a.seasonal]) expect(r.slices.length).toBe(1);
    expect(sameArray(a.chained.band("b1"), b.chained.band("b1"))).toBe(true);
    for (const band of ["ndvi_mean", "ndvi_max", "ndvi_count"]) expect(sameArray(a.seasonal.band(band), b.seasonal.band(band)), band).toBe(true);
    expect(a.zonal).toHaveLength(2 * 4);
    expect(a.zonal).toEqual(b.zonal);
    expect(a.cog.equals(b.cog)).toBe(true);
    expect(a.tiles.size).toBeGreaterThan(4);
    expect([...a.tiles.keys()].sort()).toEqual([...b.tiles.keys()].sort());
    for (const [k, v] of a.tiles) expect(v.equals(b.tiles.get(k)!), k).toBe(true);

    // The 3-worker run spread raster tasks over its workers, which fetched chunks from each other.
    const status = (await (await fetch(new URL("/api/status", three.dashboardUrl as string))).json()) as {
      workers: { id: string; fetchedBytes: number }[]; taskStream: { label: string; worker: string }[];
    };
    expect(status.workers).toHaveLength(3);
    expect(new Set(status.taskStream.filter((t) => t.label.startsWith("raster")).map((t) => t.worker)).size).toBe(3);
    expect(status.workers.reduce((s, w) => s + w.fetchedBytes, 0)).toBeGreaterThan(1_000_000);
  });
});

describe("bad files and CRSs on a 3-worker cluster", () => {
  it("end in coded errors naming the file, and the cluster then runs the next job", async () => {
    const run = { client: three.client, progress: false } as const;
    const size = statSync(utm).size;
    // Header intact, tiles cut off: found when a worker reads them.
    const truncated = tmp.file("truncated.tif");
    writeFileSync(truncated, readFileSync(utm).subarray(0, Math.floor(size * 0.6)));
    const e1 = await failure(() => openRaster(truncated).reduceSpace().collect(run));
    expect(e1).toMatchObject({ code: "IO_BAD_TIFF", category: "io" });
    expect(e1.message).toContain("truncated.tif");
    // Garbage in the tiles' compressed bytes: the decoder fails, on a worker.
    const garbled = tmp.file("garbled.tif");
    const bytes = readFileSync(utm);
    for (let i = Math.floor(size * 0.5); i < size; i += 97) bytes[i] = (bytes[i]! + 113) & 255;
    writeFileSync(garbled, bytes);
    const e2 = await failure(() => openRaster(garbled).reduceSpace().collect(run));
    expect(e2).toMatchObject({ code: "IO_BAD_TIFF" });
    expect(e2.message).toContain("garbled.tif");
    // A corrupt header: found at plan time, before any task.
    const corrupt = tmp.file("corrupt.tif");
    const head = readFileSync(utm);
    head.fill(0x41, 8, 600);
    writeFileSync(corrupt, head);
    const e3 = await failure(() => openRaster(corrupt).collect(run));
    expect(e3).toMatchObject({ code: "IO_BAD_TIFF" });
    expect(e3.message).toContain("corrupt.tif");
    // JPEG is lossy: refused, naming the file and the codec.
    const jpeg = tmp.file("jpeg.tif");
    gdal("gdal_translate", ["-q", "-ot", "Byte", "-scale", "-co", "COMPRESS=JPEG", "-co", "TILED=YES", utm, jpeg]);
    const e4 = await failure(() => openRaster(jpeg).collect(run));
    expect(e4).toMatchObject({ code: "IO_UNSUPPORTED_CODEC" });
    expect(e4.message).toMatch(/jpeg\.tif.*JPEG/);
    // A CRS the projection library cannot handle (Lambert-93): a plan error naming the CRS and the file.
    const lambert = tmp.file("lambert.tif");
    makeWarpSource(lambert, tmp.file("lambert.bin"), "EPSG:2154", ["700000", "6600000", "710240", "6589760"]);
    const e5 = await failure(() => openRaster(lambert).reproject("EPSG:4326").collect(run));
    expect(e5).toMatchObject({ code: "RASTER_UNSUPPORTED_CRS", category: "plan" });
    expect(e5.message).toMatch(/EPSG:2154.*lambert\.tif/);
    const e6 = await failure(() => openRaster(lambert).zonalStats(fc).collect(run));
    expect(e6).toMatchObject({ code: "RASTER_UNSUPPORTED_CRS" });
    expect(e6.message).toContain("lambert.tif");
    // An unknown band and a bad grid: plan errors naming them and the file.
    const e7 = await failure(() => { const r = openRaster(utm); return r.select(r.band("nir")).collect(run); });
    expect(e7).toMatchObject({ code: "RASTER_UNKNOWN_BAND" });
    expect(e7.message).toMatch(/band "nir" not found in .*utm\.tif; bands: b1/);
    const e8 = await failure(() => openRaster(utm).regrid(makeGrid("EPSG:32633", [500000, 0, 0, 4600000, 0, 0], 10, 10)).collect(run));
    expect(e8).toMatchObject({ code: "RASTER_BAD_GRID", category: "plan" });
    // A failed sink leaves the file that was there untouched (a COG is put in one write, at the end).
    const out = tmp.file("kept.tif");
    copyFileSync(utm, out);
    await expect(openRaster(truncated).sinkGeoTiff(out, run)).rejects.toMatchObject({ code: "IO_BAD_TIFF" });
    expect(readFileSync(out).equals(readFileSync(utm))).toBe(true);

    // The cluster is unaffected: all workers are there and the next job succeeds.
    const ok = tableRows(await openRaster(utm).reduceSpace({ stats: ["count"] }).collect(run));
    expect(ok[0]!["count"]).toBeGreaterThan(900_000);
    const status = (await (await fetch(new URL("/api/status", three.dashboardUrl as string))).json()) as { workers: unknown[] };
    expect(status.workers).toHaveLength(3);
  });
});
