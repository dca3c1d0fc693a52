// Tables and rasters in one plan, on the embedded default: cells to rows and back (rasterize), points binned into a
// grid, time reductions of a stack, and overviews read only when asked; against GDAL's reading and plain arrays.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDefaultClient, col, fromColumns, makeGrid, openRaster, openRasterStack, rasterize } from "tessera";
import { tableRows } from "../support/compare.js";
import { NODATA, gdal, gdalFloat32, makeWarpSource, sameArray, tempDir } from "./support.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const tmp = tempDir("e2e-conversions");
const utm = tmp.file("utm.tif");
let items: { url: string; time: string }[] = [];

beforeAll(() => {
  makeWarpSource(utm, tmp.file("utm.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
  items = JSON.parse(execFileSync(process.execPath, [join(ROOT, "examples/ndvi/make-stack.mjs"), tmp.file("stack")], { encoding: "utf8" })) as typeof items;
});
afterAll(async () => {
  await closeDefaultClient();
  tmp.cleanup();
});

/** Both bands of a stack file as GDAL reads them (band-sequential dump), as float64. */
function stackBands(file: string): [Float64Array, Float64Array] {
  const dump = `${file}.bands.bin`;
  gdal("gdal_translate", ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", file, dump]);
  const raw = readFileSync(dump);
  const all = new Uint16Array(raw.buffer, raw.byteOffset, raw.byteLength / 2);
  const n = all.length / 2;
  return [Float64Array.from(all.subarray(0, n)), Float64Array.from(all.subarray(n))];
}

describe("cells to rows and back", () => {
  it("toFrame then rasterize (mean of each cell's one row) gives back the raster, over a filter and a new column", async () => {
    const grid = (await openRaster(utm).info()).grid;
    const rows = openRaster(utm, { chunkSize: 256 }).toFrame({ dropInvalid: true, lonLat: false }).withColumns(col("b1").mul(2).alias("twice"));
    const back = await rasterize(rows, grid, { value: "twice", agg: "mean", chunkSize: 384 }).collect({ progress: false });
    const want = gdalFloat32(utm, tmp.file("utm-b1.bin")).values;
    const got = back.band("twice") as Float64Array;
    const valid = back.valid("twice");
    let checked = 0;
    const wrong: number[] = [];
    for (let i = 0; i < want.length; i++) {
      const isValid = valid === null || valid[i] === 1;
      // == rather than Object.is: a sum starting from +0 turns a lone -0 into +0.
      if (isValid !== (want[i] !== NODATA) || (isValid && got[i] !== want[i]! * 2)) wrong.push(i);
      if (isValid) checked++;
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(900_000);
  });

  it("points binned into a grid (count, sum, max) equal a plain computation, for any chunk size", async () => {
    const n = 20_000;
    const x = Array.from({ length: n }, (_, i) => 500000 + ((i * 7919) % 10240) + 0.5);
    const y = Array.from({ length: n }, (_, i) => 4600000 - ((i * 104729) % 10240) - 0.25);
    const v = Array.from({ length: n }, (_, i) => ((i * 31) % 97) / 7);
    const frame = fromColumns({ x, y, v }, { partitions: 3 });
    const grid = makeGrid("EPSG:32633", [500000, 160, 0, 4600000, 0, -160], 64, 64);
    const want = { count: new Float64Array(64 * 64), sum: new Float64Array(64 * 64), max: new Float64Array(64 * 64).fill(-Infinity) };
    for (let i = 0; i < n; i++) {
      const k = Math.floor((4600000 - y[i]!) / 160) * 64 + Math.floor((x[i]! - 500000) / 160);
      want.count[k]! += 1; want.sum[k]! += v[i]!; want.max[k] = Math.max(want.max[k]!, v[i]!);
    }
    for (const chunkSize of [16, 64]) {
      const count = (await rasterize(frame, grid, { chunkSize }).collect({ progress: false })).band("count");
      expect([...count]).toEqual([...want.count]);
      const sum = (await rasterize(frame, grid, { value: "v", agg: "sum", chunkSize }).collect({ progress: false })).band("v");
      for (let k = 0; k < sum.length; k++) expect(Math.abs(sum[k]! - want.sum[k]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, want.sum[k]!));
      const max = await rasterize(frame, grid, { value: "v", agg: "max", chunkSize, name: "vmax" }).collect({ progress: false });
      expect(max.bands).toEqual(["vmax"]);
      const m = max.band("vmax");
      const ok = max.valid("vmax");
      for (let k = 0; k < m.length; k++) {
        if (want.count[k] === 0) expect(ok?.[k]).toBe(0);
        else expect(m[k]).toBe(want.max[k]);
      }
    }
  });

  it("refuses at plan time a rasterize of a missing or non-numeric column, naming it", async () => {
    const frame = fromColumns({ x: [1], y: [2], s: ["a"] });
    const grid = makeGrid("EPSG:32633", [0, 1, 0, 10, 0, -1], 10, 10);
    await expect(rasterize(frame, grid, { x: "lon" }).collect()).rejects.toMatchObject({ code: "COLUMN_NOT_FOUND", message: expect.stringContaining('"lon"') });
    await expect(rasterize(frame, grid, { value: "s", agg: "sum" }).collect()).rejects.toMatchObject({ code: "TYPE_MISMATCH", message: expect.stringContaining('"s"') });
  });
});

describe("a time stack", () => {
  it("reduceTime (mean, max, count) per pixel equals a plain computation over GDAL's reading of the four files", async () => {
    const stack = openRasterStack(items, { chunkSize: 256 });
    const nir = stack.band("nir").cast("float64");
    const res = await stack.select(nir.alias("nir")).reduceTime({ stats: ["mean", "max", "count"] }).collect({ progress: false });
    expect(res.bands).toEqual(["nir_mean", "nir_max", "nir_count"]);
    expect(res.times).toEqual([null]);
    const scenes = items.map((it) => stackBands(it.url)[1]);
    const n = scenes[0]!.length;
    const mean = res.band("nir_mean");
    const max = res.band("nir_max");
    const count = res.band("nir_count");
    for (let i = 0; i < n; i += 7) {
      const vals = scenes.map((s) => s[i]!).filter((v) => v !== 0);
      expect(count[i]).toBe(vals.length);
      if (vals.length === 0) { expect(res.valid("nir_mean")?.[i]).toBe(0); continue; }
      expect(max[i]).toBe(Math.max(...vals));
      expect(Math.abs(mean[i]! - vals.reduce((a, b) => a + b, 0) / vals.length)).toBeLessThanOrEqual(1e-9);
    }
  });

  it("becomes rows with a time column, and reduceSpace gives one row per time and band", async () => {
    const stack = openRasterStack(items, { chunkSize: 512, bands: ["red"] });
    const rows = tableRows(await stack.toFrame({ lonLat: false }).groupBy("time").agg(col("red").count().alias("n")).sort("time").collect({ progress: false }));
    expect(rows.map((r) => r["time"])).toEqual(items.map((it) => Date.parse(it.time)));
    const stats = tableRows(await stack.reduceSpace({ stats: ["count"] }).collect({ progress: false }));
    expect(stats.map((r) => [r["time"], r["band"], r["count"]])).toEqual(rows.map((r) => [r["time"], "red", r["n"]]));
  });
});

describe("overviews and band selection", () => {
  it("an overview is read only when asked, equals GDAL's reading of it, and explain says which", async () => {
    const full = openRaster(utm);
    expect(await full.explain()).toMatch(/overview=none \(full resolution; file has 2\)/);
    const ov = openRaster(utm, { overview: 1 });
    expect(await ov.explain()).toMatch(/grid=EPSG:32633 512×512 px=20×20 .* overview=1 \(of 2\)/);
    const got = await ov.collect({ progress: false });
    gdal("gdal_translate", ["-q", "-ovr", "0", utm, tmp.file("ovr0.tif")]);
    expect(sameArray(got.band("b1"), gdalFloat32(tmp.file("ovr0.tif"), tmp.file("ovr0.bin")).values)).toBe(true);
    await expect(openRaster(utm, { overview: 5 }).collect()).rejects.toMatchObject({ code: "RASTER_NO_OVERVIEW", message: expect.stringContaining("utm.tif") });
  });

  it("reads only the bands a query uses, and the explain text shows them pushed down", async () => {
    const s = openRasterStack(items);
    const text = await s.select(s.band("nir").cast("float64").mul(0.0001).alias("refl")).explain();
    expect(text).toMatch(/bands=\[nir\] \(pushed down; of \[red, nir\]\)/);
  });
});
