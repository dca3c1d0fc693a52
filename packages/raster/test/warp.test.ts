// Regrid and reproject against gdalwarp -ovr NONE -et 0 on a 1024² Float32 COG with nodata holes: bit-exact where
// the rules are exact, within 1e-5 where arithmetic order may differ; identical for every chunking.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Grid, RasterChunk, Resampling } from "../src/index.js";
import { makeGrid, planWarp, readRasterMeta, suggestGrid, warpScale } from "../src/index.js";
import { gdal, gdalInfo, sameBytes, tempDir } from "./gdal.js";
import { NODATA, chunkedWarp, makeWarpSource } from "./warp-fixture.js";

const tmp = tempDir("warp");
afterAll(() => tmp.cleanup());

const GDAL_NAME: Record<Resampling, string> = { nearest: "near", bilinear: "bilinear", average: "average", mode: "mode", min: "min", max: "max", sum: "sum" };

/**
 * gdalwarp's output for a method and target grid, as raw Float32 values, and its grid as stored in the file (read by
 * Tessera's reader: gdalinfo prints transforms with too few digits to compare bits).
 */
async function gdalwarp(src: string, name: string, args: readonly string[]): Promise<{ values: Float32Array; grid: Grid }> {
  const out = tmp.file(`${name}.tif`);
  gdal("gdalwarp", ["-q", "-overwrite", "-ovr", "NONE", "-et", "0", ...args, src, out]);
  const info = gdalInfo(out);
  gdal("gdal_translate", ["-q", "-of", "ENVI", out, tmp.file(`${name}.bin`)]);
  const raw = readFileSync(tmp.file(`${name}.bin`));
  const values = new Float32Array(raw.byteLength / 4);
  new Uint8Array(values.buffer).set(raw);
  const grid = (await readRasterMeta(out)).grid;
  expect([grid.width, grid.height]).toEqual(info.size);
  const unit = Math.max(Math.abs(grid.transform[1]), Math.abs(grid.transform[5]));
  grid.transform.forEach((v, i) => expect(Math.abs(v - info.geoTransform![i]!)).toBeLessThanOrEqual(Math.max(Math.abs(v), unit) * 1e-12));
  return { values, grid };
}

function maxRelError(got: Float32Array, want: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    if (got[i] === want[i]) continue;
    worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(Math.abs(want[i]!), 1e-30));
  }
  return worst;
}

function expectMaskMatches(c: RasterChunk, want: Float32Array): void {
  const valid = c.valid[0];
  for (let i = 0; i < want.length; i++) {
    if ((want[i] === NODATA) !== (valid != null && valid[i] === 0)) throw new Error(`mask differs from GDAL's nodata at pixel ${i}`);
  }
}

describe("regrid onto a 4× coarser aligned grid", () => {
  const src = tmp.file("utm.tif");
  const dst = makeGrid("EPSG:32633", [500000, 40, 0, 4600000, 0, -40], 256, 256);
  beforeAll(() => makeWarpSource(src, tmp.file("utm.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]));

  it("uses the whole grids' down-sampling ratio", async () => {
    const meta = await readRasterMeta(src);
    expect(warpScale(meta.grid, dst)).toEqual([0.25, 0.25]);
    const { tasks } = planWarp(meta.grid, dst, "bilinear", [{ x: 64, y: 64, width: 64, height: 64 }]);
    // 64 target pixels → 256 source pixels, plus the stretched tent's reach (4) on each side (an affine mapping needs no slack).
    expect(tasks[0]!.srcWindow).toEqual({ x: 252, y: 252, width: 264, height: 264 });
    expect(planWarp(meta.grid, dst, "average", [{ x: 64, y: 64, width: 64, height: 64 }]).tasks[0]!.srcWindow).toEqual({ x: 256, y: 256, width: 256, height: 256 });
  });

  const exact: Resampling[] = ["nearest", "min", "max", "mode"];
  for (const method of ["nearest", "min", "max", "mode", "average", "sum", "bilinear"] as const) {
    it(`${method}: ${exact.includes(method) ? "equals gdalwarp bit for bit" : "within 1e-5 of gdalwarp"}, for chunks of 256, 512 and 1024 source pixels alike`, async () => {
      const want = (await gdalwarp(src, `r4-${method}`, ["-r", GDAL_NAME[method], "-te", "500000", "4589760", "510240", "4600000", "-ts", "256", "256"])).values;
      // Target chunks of 256 pixels: the whole 256² target in one chunk, i.e. source chunks of 1024.
      const whole = await chunkedWarp(src, dst, method, 256);
      const got = whole.data[0] as Float32Array;
      if (exact.includes(method)) expect(sameBytes(got, want)).toBe(true);
      else expect(maxRelError(got, want)).toBeLessThanOrEqual(1e-5);
      expectMaskMatches(whole, want);
      for (const sourceChunk of [256, 512]) {
        const chunked = await chunkedWarp(src, dst, method, sourceChunk / 4);
        expect(sameBytes(chunked.data[0]!, got), `chunks of ${sourceChunk}`).toBe(true);
      }
    });
  }
});

describe("reproject", () => {
  const geo = tmp.file("geo.tif");
  beforeAll(() => makeWarpSource(geo, tmp.file("geo.bin"), "EPSG:4326", ["10", "50", "12", "48"]));

  it("EPSG:4326 → 3857: the suggested grid is gdalwarp's, nearest equals gdalwarp bit for bit, bilinear and average within 1e-5", async () => {
    const meta = await readRasterMeta(geo);
    const near = await gdalwarp(geo, "merc-near", ["-r", "near", "-t_srs", "EPSG:3857"]);
    const grid = suggestGrid(meta.grid, "EPSG:3857");
    expect(grid).toEqual(near.grid);
    const got = await chunkedWarp(geo, grid, "nearest", 300);
    expect(sameBytes(got.data[0]!, near.values)).toBe(true);
    expectMaskMatches(got, near.values);
    for (const method of ["bilinear", "average"] as const) {
      const want = (await gdalwarp(geo, `merc-${method}`, ["-r", GDAL_NAME[method], "-t_srs", "EPSG:3857"])).values;
      const a = await chunkedWarp(geo, grid, method, 128);
      const b = await chunkedWarp(geo, grid, method, 1024);
      expect(sameBytes(a.data[0]!, b.data[0]!)).toBe(true);
      expect(maxRelError(a.data[0] as Float32Array, want)).toBeLessThanOrEqual(1e-5);
    }
  });

  it("EPSG:3857 → 4326: the suggested grid is gdalwarp's to 1e-12, and nearest onto its grid equals gdalwarp bit for bit", async () => {
    const merc = tmp.file("merc-src.tif");
    gdal("gdalwarp", ["-q", "-overwrite", "-ovr", "NONE", "-et", "0", "-r", "near", "-t_srs", "EPSG:3857", geo, merc]);
    const back = await gdalwarp(merc, "back-near", ["-r", "near", "-t_srs", "EPSG:4326"]);
    const meta = await readRasterMeta(merc);
    const suggested = suggestGrid(meta.grid, "EPSG:4326");
    expect([suggested.width, suggested.height]).toEqual([back.grid.width, back.grid.height]);
    suggested.transform.forEach((v, i) => expect(Math.abs(v - back.grid.transform[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    const got = await chunkedWarp(merc, back.grid, "nearest", 512);
    expect(sameBytes(got.data[0]!, back.values)).toBe(true);
  });

  it("UTM → EPSG:4326 goes through proj4 and agrees with gdalwarp on all but a few edge pixels", async () => {
    const utm = tmp.file("utm-src.tif");
    makeWarpSource(utm, tmp.file("utm-src.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
    const want = await gdalwarp(utm, "utm-geo", ["-r", "near", "-t_srs", "EPSG:4326"]);
    const meta = await readRasterMeta(utm);
    const grid = suggestGrid(meta.grid, "EPSG:4326");
    expect(grid.width).toBe(want.grid.width);
    expect(grid.height).toBe(want.grid.height);
    grid.transform.forEach((v, i) => expect(Math.abs(v - want.grid.transform[i]!)).toBeLessThan(1e-9));
    const got = (await chunkedWarp(utm, want.grid, "nearest", 512)).data[0] as Float32Array;
    let differ = 0;
    for (let i = 0; i < got.length; i++) if (got[i] !== want.values[i]) differ++;
    expect(differ / got.length).toBeLessThan(1e-3);
  });

  it("a CRS the projection library cannot handle fails at plan time naming the CRS and the file", async () => {
    const lambert = tmp.file("lambert.tif");
    makeWarpSource(lambert, tmp.file("lambert.bin"), "EPSG:2154", ["700000", "6600000", "710240", "6589760"]);
    const meta = await readRasterMeta(lambert);
    expect(meta.grid.crs).toBe("EPSG:2154");
    expect(() => planWarp(meta.grid, makeGrid("EPSG:4326", [0, 1, 0, 0, 0, -1], 4, 4), "nearest", [{ x: 0, y: 0, width: 4, height: 4 }], lambert))
      .toThrow(expect.objectContaining({ code: "RASTER_UNSUPPORTED_CRS", category: "plan", message: expect.stringMatching(/EPSG:2154.*lambert\.tif/) }));
  });
});

describe("rotated and finer grids", () => {
  it("a rotated source warps onto a north-up grid as gdalwarp does: nearest, min and mode bit for bit, average within 1e-5", async () => {
    const src = tmp.file("rotated.tif");
    makeWarpSource(src, tmp.file("rotated.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
    gdal("/usr/bin/python3", ["-c", `from osgeo import gdal; d = gdal.Open(${JSON.stringify(src)}, 1); d.SetGeoTransform([500000, 8, 6, 4600000, 6, -8]); d = None`]);
    const meta = await readRasterMeta(src);
    expect(meta.grid.transform).toEqual([500000, 8, 6, 4600000, 6, -8]);
    const args = ["-te", "500000", "4593000", "513000", "4606000", "-ts", "300", "300"];
    for (const method of ["nearest", "min", "mode", "average"] as const) {
      const want = await gdalwarp(src, `rot-${method}`, ["-r", GDAL_NAME[method], ...args]);
      const got = (await chunkedWarp(src, want.grid, method, 100)).data[0] as Float32Array;
      if (method === "average") expect(maxRelError(got, want.values)).toBeLessThanOrEqual(1e-5);
      else expect(sameBytes(got, want.values), method).toBe(true);
    }
  });

  it("upsampling 2.5× with bilinear and nearest matches gdalwarp", async () => {
    const src = tmp.file("up.tif");
    makeWarpSource(src, tmp.file("up.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
    const args = ["-te", "502000", "4595000", "503000", "4596000", "-ts", "250", "250"];
    const near = await gdalwarp(src, "up-near", ["-r", "near", ...args]);
    expect(sameBytes((await chunkedWarp(src, near.grid, "nearest", 64)).data[0]!, near.values)).toBe(true);
    const bil = await gdalwarp(src, "up-bil", ["-r", "bilinear", ...args]);
    expect(maxRelError((await chunkedWarp(src, bil.grid, "bilinear", 64)).data[0] as Float32Array, bil.values)).toBeLessThanOrEqual(1e-5);
  });
});
