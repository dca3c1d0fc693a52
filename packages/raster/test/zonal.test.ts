// Zonal statistics against gdal_rasterize (centre and -at): masks equal pixel for pixel, counts and sums equal on a
// box on pixel edges, a triangle over nodata, a sliver thinner than a pixel, a polygon with a hole, a multipolygon;
// the same rows for any chunking, and only chunks under zones are read.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Batch, NumColumn } from "@tessera/kernels";
import { columnToArray } from "@tessera/kernels";
import {
  burnZone, chunkWindows, chunksUnderZones, readRasterChunk, readRasterMeta, zonalFinalize, zonalMerge, zonalPartial,
  zonesFromGeoJson, zonesToPixels,
} from "../src/index.js";
import type { PixelZone, RasterMeta, ZoneRule } from "../src/index.js";
import { gdal, tempDir, writeEnvi } from "./gdal.js";

const tmp = tempDir("zonal");
afterAll(() => tmp.cleanup());

const W = 200;
const H = 150;
const X0 = 500000;
const Y0 = 4600000;

const ZONES = {
  box: [[[X0 + 100, Y0 - 500], [X0 + 400, Y0 - 500], [X0 + 400, Y0 - 1000], [X0 + 100, Y0 - 1000], [X0 + 100, Y0 - 500]]],
  triangle: [[[X0 + 503.3, Y0 - 207.1], [X0 + 1187.9, Y0 - 455.5], [X0 + 741.2, Y0 - 1033.8], [X0 + 503.3, Y0 - 207.1]]],
  sliver: [[[X0 + 1200.2, Y0 - 100.4], [X0 + 1802.7, Y0 - 1290.1], [X0 + 1805.5, Y0 - 1288.7], [X0 + 1203.0, Y0 - 99.0], [X0 + 1200.2, Y0 - 100.4]]],
  holed: [
    [[X0 + 40, Y0 - 1100], [X0 + 640, Y0 - 1100], [X0 + 640, Y0 - 1480], [X0 + 40, Y0 - 1480], [X0 + 40, Y0 - 1100]],
    [[X0 + 203.7, Y0 - 1201.2], [X0 + 455.1, Y0 - 1201.2], [X0 + 455.1, Y0 - 1377.7], [X0 + 203.7, Y0 - 1377.7], [X0 + 203.7, Y0 - 1201.2]],
  ],
} as const;
const MULTI = [[[[X0 + 1400, Y0 - 1300], [X0 + 1500, Y0 - 1300], [X0 + 1450, Y0 - 1400], [X0 + 1400, Y0 - 1300]]],
  [[[X0 + 1900, Y0 - 1350], [X0 + 1990, Y0 - 1350], [X0 + 1990, Y0 - 1440], [X0 + 1900, Y0 - 1350]]]];

function featureCollection(): unknown {
  const features: unknown[] = Object.entries(ZONES).map(([name, coordinates]) => ({ type: "Feature", properties: { name }, geometry: { type: "Polygon", coordinates } }));
  features.push({ type: "Feature", properties: { name: "multi" }, geometry: { type: "MultiPolygon", coordinates: MULTI } });
  return { type: "FeatureCollection", features };
}

let file = "";
let values: Float32Array;
let meta: RasterMeta;
let zones: PixelZone[];

beforeAll(async () => {
  values = new Float32Array(W * H);
  for (let i = 0; i < values.length; i++) {
    const x = i % W; const y = Math.floor(i / W);
    values[i] = Math.sin(x / 7) * 30 + y * 0.37 + ((i * 7919) % 113) / 17;
    // nodata under part of the triangle and a scattering elsewhere
    if ((x > 60 && x < 90 && y > 25 && y < 60) || i % 97 === 0) values[i] = -9999;
  }
  const raw = tmp.file("z.bin");
  writeEnvi(raw, W, H, [values], "float32");
  file = tmp.file("z.tif");
  gdal("gdal_translate", ["-q", "-a_srs", "EPSG:32633", "-a_ullr", String(X0), String(Y0), String(X0 + 10 * W), String(Y0 - 10 * H), "-a_nodata", "-9999",
    "-co", "TILED=YES", "-co", "BLOCKXSIZE=64", "-co", "BLOCKYSIZE=64", raw, file]);
  meta = await readRasterMeta(file);
  zones = zonesToPixels(zonesFromGeoJson(featureCollection(), { idProperty: "name" }), meta.grid, "EPSG:32633");
});

/** gdal_rasterize's mask of one feature over the raster's grid. */
function gdalMask(name: string, rule: ZoneRule): Uint8Array {
  const fc = featureCollection() as { features: { properties: { name: string } }[] };
  const feature = fc.features.find((f) => f.properties.name === name);
  const src = tmp.file(`${name}.geojson`);
  writeFileSync(src, JSON.stringify({ type: "FeatureCollection", features: [feature] }));
  const out = tmp.file(`${name}-${rule}.tif`);
  gdal("gdal_rasterize", ["-q", ...(rule === "allTouched" ? ["-at"] : []), "-burn", "1", "-ot", "Byte", "-te", String(X0), String(Y0 - 10 * H), String(X0 + 10 * W), String(Y0), "-tr", "10", "10", src, out]);
  gdal("gdal_translate", ["-q", "-of", "ENVI", out, `${out}.bin`]);
  return new Uint8Array(readFileSync(`${out}.bin`));
}

function column(b: Batch, name: string): unknown[] {
  const i = b.fields.findIndex((f) => f.name === name);
  return columnToArray(b.columns[i] as NumColumn);
}

describe("zone masks and statistics against gdal_rasterize", () => {
  for (const rule of ["center", "allTouched"] as const) {
    it(`${rule}: every zone's mask equals GDAL's pixel for pixel, and count and sum of valid pixels match`, async () => {
      const whole = { x: 0, y: 0, width: W, height: H };
      const chunk = await readRasterChunk(file, { window: whole });
      const rows = zonalFinalize(zonalMerge([zonalPartial(chunk, { zones, rule })]), zones, ["b1"], ["count", "sum"]);
      const counts = column(rows, "count");
      const sums = column(rows, "sum");
      zones.forEach((z, k) => {
        const want = gdalMask(String(z.id), rule);
        const got = burnZone(z, whole, rule);
        let differ = 0;
        for (let i = 0; i < want.length; i++) if (want[i] !== got[i]) differ++;
        expect(differ, `${String(z.id)} mask`).toBe(0);
        let n = 0; let s = 0;
        for (let i = 0; i < want.length; i++) if (want[i] === 1 && values[i] !== -9999) { n++; s += values[i]!; }
        expect(Number(counts[k]), `${String(z.id)} count`).toBe(n);
        if (n > 0) expect(Math.abs((sums[k] as number) - s) / Math.abs(s), `${String(z.id)} sum`).toBeLessThan(1e-12);
      });
      expect(column(rows, "zone")).toEqual(["box", "triangle", "sliver", "holed", "multi"]);
    });
  }

  it("the cases are what they claim: nodata under the triangle, an empty centre mask for the sliver, a hole", () => {
    const whole = { x: 0, y: 0, width: W, height: H };
    const tri = burnZone(zones[1]!, whole, "center");
    expect([...tri].some((m, i) => m === 1 && values[i] === -9999)).toBe(true);
    const sliverCentre = burnZone(zones[2]!, whole, "center").reduce((a, b) => a + b, 0);
    const sliverTouched = burnZone(zones[2]!, whole, "allTouched").reduce((a, b) => a + b, 0);
    expect(sliverTouched).toBeGreaterThan(100);
    expect(sliverCentre).toBeLessThan(sliverTouched / 4);
    const holed = burnZone(zones[3]!, whole, "center");
    expect(holed[(130 - 1) * W + 30]).toBe(0); // inside the hole
    expect(holed[(112) * W + 10]).toBe(1);
  });
});

describe("chunked zonal statistics", () => {
  it("give the same rows for chunks of 64 and 128 as for the whole raster, reading only chunks under zones", async () => {
    const run = async (size: number): Promise<{ rows: Batch; read: number; all: number }> => {
      const all = chunkWindows(meta.grid, meta.block, size);
      const needed = chunksUnderZones([zones[0]!, zones[1]!], all);
      const parts = await Promise.all(needed.map(async (w) => zonalPartial(await readRasterChunk(file, { window: w }), { zones: [zones[0]!, zones[1]!], rule: "allTouched" })));
      return { rows: zonalFinalize(zonalMerge(parts.reverse()), [zones[0]!, zones[1]!], ["b1"]), read: needed.length, all: all.length };
    };
    const whole = await run(256);
    for (const size of [64, 128]) {
      const r = await run(size);
      for (const name of ["count", "sum", "mean", "min", "max", "std"]) expect(column(r.rows, name), `${name} at ${size}`).toEqual(column(whole.rows, name));
      expect(r.read).toBeLessThan(r.all);
    }
  });

  it("refuses geometries that are not polygons, naming the feature", () => {
    expect(() => zonesFromGeoJson({ type: "Feature", id: "road", geometry: { type: "LineString", coordinates: [[0, 0], [1, 1]] } }))
      .toThrow(expect.objectContaining({ code: "RASTER_BAD_ZONES", message: expect.stringContaining("road") }));
  });
});

describe("zonal statistics over a time stack", () => {
  it("give one row per zone, time and band, zones in their order and times ascending", async () => {
    const whole = { x: 0, y: 0, width: W, height: H };
    const c = await readRasterChunk(file, { window: whole });
    const t1 = Date.UTC(2024, 0, 1);
    const t2 = Date.UTC(2024, 1, 1);
    const doubled = { ...c, time: t2, data: [Float32Array.from(c.data[0]!, (v) => (v === -9999 ? v : v * 2))] };
    const parts = [zonalPartial({ ...c, time: t1 }, { zones, rule: "center" }), zonalPartial(doubled, { zones, rule: "center" })];
    const rows = zonalFinalize(zonalMerge(parts), zones, ["b1"], ["count", "sum"], [t1, t2]);
    expect(rows.length).toBe(zones.length * 2);
    expect(rows.fields.map((f) => f.name)).toEqual(["zone", "time", "band", "count", "sum"]);
    const sums = column(rows, "sum") as number[];
    expect(sums[1]).toBe(sums[0]! * 2);
    expect(column(rows, "time").slice(0, 2)).toEqual([t1, t2]);
  });
});
