// The COG writer: GDAL reads back exactly what was written (gdal_translate dumps equal the input), the COG validator
// accepts the files (full check: leaders, trailers, block order), georeferencing, nodata and band names survive.
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { encodeCog, makeChunk, makeGrid, readRasterChunk, readRasterMeta } from "../src/index.js";
import type { BandArray, CogOptions, RasterChunk, RasterDType } from "../src/index.js";
import { gdal, gdalInfo, gdalPixels, pattern, sameBytes, tempDir } from "./gdal.js";
import { sourceValues } from "./warp-fixture.js";

const tmp = tempDir("cog");
afterAll(() => tmp.cleanup());

const VALIDATOR = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";

/** The COG validator's verdict, after checking that GDAL reads every pixel of the file without a warning. */
function validate(file: string): string {
  const read = spawnSync("gdalinfo", ["-checksum", file], { encoding: "utf8" });
  expect(read.status).toBe(0);
  expect(read.stderr).toBe("");
  return gdal("/usr/bin/python3", [VALIDATOR, "--full-check=yes", file]);
}

function write(name: string, c: RasterChunk, opts?: CogOptions): string {
  const file = tmp.file(`${name}.tif`);
  writeFileSync(file, encodeCog(c, opts));
  return file;
}

function chunkOf(grid: ReturnType<typeof makeGrid>, bands: Record<string, BandArray>, nodata: number | null): RasterChunk {
  const data = Object.values(bands);
  const valid = nodata === null ? data.map(() => null) : data.map((a) => Uint8Array.from(a, (v) => (v === nodata || Number.isNaN(v) ? 0 : 1)));
  return makeChunk({ grid, window: { x: 0, y: 0, width: grid.width, height: grid.height }, bands: Object.keys(bands), data, valid, nodata: data.map(() => nodata) });
}

describe("COG writer", () => {
  it("a 1024² Float32 raster with nodata holes: predictor 3, overviews, valid COG, GDAL reads it back bit for bit", async () => {
    const grid = makeGrid("EPSG:32633", [500000, 10, 0, 4600000, 0, -10], 1024, 1024);
    const c = chunkOf(grid, { height: sourceValues() }, -9999);
    const file = write("f32", c);
    expect(validate(file)).toMatch(/is a valid cloud optimized GeoTIFF/);
    const info = gdalInfo(file);
    expect(info.geoTransform).toEqual([...grid.transform]);
    expect(info.coordinateSystem?.wkt).toMatch(/ID\["EPSG",32633\]\]$/);
    expect(info.bands[0]!.noDataValue).toBe(-9999);
    expect(info.bands[0]!.description).toBe("height");
    expect(info.metadata?.["IMAGE_STRUCTURE"]?.["COMPRESSION"]).toBe("DEFLATE");
    expect(info.metadata?.["IMAGE_STRUCTURE"]?.["PREDICTOR"]).toBe("3");
    expect(info.metadata?.["IMAGE_STRUCTURE"]?.["LAYOUT"]).toBe("COG");
    const back = gdalPixels(file, "float32", tmp.file("f32.dump"))[0]!;
    expect(sameBytes(back, c.data[0]!)).toBe(true);
    const meta = await readRasterMeta(file);
    expect(meta.overviews.map((o) => o.grid.width)).toEqual([512, 256]);
    const ours = await readRasterChunk(file, { window: { x: 0, y: 0, width: 1024, height: 1024 } });
    expect(sameBytes(ours.data[0]!, c.data[0]!)).toBe(true);
    expect(sameBytes(ours.valid[0]!, c.valid[0]!)).toBe(true);
  });

  for (const [dtype, predictor] of [["int16", 2], ["uint16", 2], ["int32", 2], ["uint8", 1], ["float64", 3], ["uint32", 2]] as const) {
    it(`${dtype} × 3 bands, predictor ${predictor}, odd size: gdal_translate round trip equals the input`, () => {
      const grid = makeGrid("EPSG:4326", [10, 0.001, 0, 50, 0, -0.001], 300, 170);
      const bands = { red: pattern(dtype as RasterDType, 300 * 170, 1), nir: pattern(dtype as RasterDType, 300 * 170, 2), swir: pattern(dtype as RasterDType, 300 * 170, 3) };
      const c = chunkOf(grid, bands, null);
      const file = write(`${dtype}`, c, { predictor, tileSize: 128 });
      expect(validate(file)).toMatch(/is a valid cloud optimized GeoTIFF/);
      const info = gdalInfo(file);
      expect(info.bands.map((b) => b.description)).toEqual(["red", "nir", "swir"]);
      expect(info.coordinateSystem?.wkt).toMatch(/ID\["EPSG",4326\]\]$/);
      const rt = tmp.file(`${dtype}-rt.tif`);
      gdal("gdal_translate", ["-q", file, rt]);
      const back = gdalPixels(rt, dtype as RasterDType, tmp.file(`${dtype}.dump`));
      back.forEach((b, i) => expect(sameBytes(b, c.data[i]!), `band ${i}`).toBe(true));
    });
  }

  it("writes BigTIFF when asked, with a rotated transform as a model transformation", () => {
    const grid = makeGrid("EPSG:32633", [500000, 8, 6, 4600000, 6, -8], 600, 400);
    const c = chunkOf(grid, { v: pattern("float32", 600 * 400, 5) }, null);
    const file = write("big", c, { bigTiff: true, overviews: [2] });
    expect(readFileSync(file).readUInt16LE(2)).toBe(43);
    expect(validate(file)).toMatch(/is a valid cloud optimized GeoTIFF/);
    expect(gdalInfo(file).geoTransform).toEqual([500000, 8, 6, 4600000, 6, -8]);
    const back = gdalPixels(file, "float32", tmp.file("big.dump"))[0]!;
    expect(sameBytes(back, c.data[0]!)).toBe(true);
  });

  it("refuses what it cannot write: an integer band with holes and no nodata, a non-EPSG CRS", () => {
    const grid = makeGrid("EPSG:32633", [0, 1, 0, 0, 0, -1], 20, 20);
    const holes = makeChunk({ grid, window: { x: 0, y: 0, width: 20, height: 20 }, bands: ["a"], data: [new Int16Array(400)], valid: [new Uint8Array(400)] });
    expect(() => encodeCog(holes)).toThrow(expect.objectContaining({ code: "RASTER_NO_NODATA" }));
    const odd = chunkOf(makeGrid("+proj=utm +zone=33", [0, 1, 0, 0, 0, -1], 20, 20), { a: new Float32Array(400) }, null);
    expect(() => encodeCog(odd)).toThrow(expect.objectContaining({ code: "RASTER_UNSUPPORTED_CRS" }));
  });
});
