// Rasters through the public API on the embedded default, against GDAL on fixtures GDAL writes (a 1024² Float32 COG
// with nodata holes, DEFLATE + predictor 3, 256-pixel tiles): regrid and reproject equal gdalwarp, zonal statistics
// equal gdal_rasterize's masks, and every answer is identical for chunk sizes 256, 512 and 1024.
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Resampling } from "tessera";
import { closeDefaultClient, makeGrid, openRaster } from "tessera";
import { tableRows } from "../support/compare.js";
import { GDAL_RESAMPLING, NODATA, gdal, gdalFloat32, gdalwarpFloat32, makeWarpSource, maskMismatches, maxRelError, sameArray, tempDir } from "./support.js";

const tmp = tempDir("e2e-gdal");
const utm = tmp.file("utm.tif");
const geo = tmp.file("geo.tif");
const CHUNKS = [256, 512, 1024] as const;

beforeAll(() => {
  makeWarpSource(utm, tmp.file("utm.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
  makeWarpSource(geo, tmp.file("geo.bin"), "EPSG:4326", ["10", "50", "12", "48"]);
});
afterAll(async () => {
  await closeDefaultClient();
  tmp.cleanup();
});

describe("regrid onto a 4× coarser grid, through the engine", () => {
  const dst = makeGrid("EPSG:32633", [500000, 40, 0, 4600000, 0, -40], 256, 256);
  const te = ["-te", "500000", "4589760", "510240", "4600000", "-ts", "256", "256"];
  const exact: Resampling[] = ["nearest", "mode", "max"];
  for (const method of ["nearest", "mode", "max", "average", "bilinear"] as const) {
    it(`${method}: ${exact.includes(method) ? "equals gdalwarp bit for bit" : "within 1e-5 of gdalwarp"}, identical for chunk sizes 256, 512 and 1024`, async () => {
      const want = gdalwarpFloat32(utm, tmp.file(`r4-${method}.tif`), ["-r", GDAL_RESAMPLING[method], ...te]);
      const results = [];
      for (const chunkSize of CHUNKS) {
        const r = openRaster(utm, { chunkSize }).regrid(dst, { method });
        // Target chunks read about chunkSize source pixels: 16, 4 and 1 of them here.
        expect(await r.explain()).toContain(`chunks=${(1024 / chunkSize) ** 2} of ${chunkSize / 4}×${chunkSize / 4}`);
        results.push(await r.collect({ progress: false }));
      }
      const first = results[0]!;
      expect(first.grid).toEqual(dst);
      const got = first.band("b1") as Float32Array;
      expect(got).toBeInstanceOf(Float32Array);
      if (exact.includes(method)) expect(sameArray(got, want.values)).toBe(true);
      else expect(maxRelError(got, want.values)).toBeLessThanOrEqual(1e-5);
      expect(maskMismatches(first.valid("b1"), want.values, NODATA)).toBe(0);
      for (const r of results.slice(1)) expect(sameArray(r.band("b1"), got)).toBe(true);
    });
  }
});

describe("regrid onto a shifted grid of the same resolution (16, 4 or 1 target chunks)", () => {
  // 1024² target pixels of 10 m, shifted by a third of a pixel across and a quarter down: every chunk edge cuts
  // through source pixels, so chunks must read halos for bilinear and share edge pixels for average.
  const dst = makeGrid("EPSG:32633", [500003.3, 10, 0, 4599997.5, 0, -10], 1024, 1024);
  const te = ["-te", "500003.3", String(4599997.5 - 10240), String(500003.3 + 10240), "4599997.5", "-ts", "1024", "1024"];
  for (const method of ["bilinear", "average"] as const) {
    it(`${method}: within 1e-5 of gdalwarp, and bit-identical for chunk sizes 256, 512 and 1024`, async () => {
      const want = gdalwarpFloat32(utm, tmp.file(`shift-${method}.tif`), ["-r", GDAL_RESAMPLING[method], ...te]);
      const results = [];
      for (const chunkSize of CHUNKS) {
        const r = openRaster(utm, { chunkSize }).regrid(dst, { method });
        expect(await r.explain()).toContain(`chunks=${(1024 / chunkSize) ** 2} of ${chunkSize}×${chunkSize}`);
        results.push(await r.collect({ progress: false }));
      }
      const got = results[0]!.band("b1") as Float32Array;
      expect(maxRelError(got, want.values)).toBeLessThanOrEqual(1e-5);
      expect(maskMismatches(results[0]!.valid("b1"), want.values, NODATA)).toBe(0);
      for (const r of results.slice(1)) expect(sameArray(r.band("b1"), got)).toBe(true);
    });
  }
});

describe("reproject EPSG:4326 → EPSG:3857, through the engine", () => {
  it("lands on gdalwarp's grid, and nearest equals gdalwarp bit for bit for every chunk size", async () => {
    const want = gdalwarpFloat32(geo, tmp.file("merc.tif"), ["-r", "near", "-t_srs", "EPSG:3857"]);
    const results = [];
    for (const chunkSize of CHUNKS) results.push(await openRaster(geo, { chunkSize }).reproject("EPSG:3857", { method: "nearest" }).collect({ progress: false }));
    const r = results[0]!;
    expect([r.grid.width, r.grid.height]).toEqual([want.width, want.height]);
    r.grid.transform.forEach((v, i) => expect(Math.abs(v - want.geoTransform[i]!)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v))));
    expect(sameArray(r.band("b1"), want.values)).toBe(true);
    for (const o of results.slice(1)) expect(sameArray(o.band("b1"), r.band("b1"))).toBe(true);
  });
});

describe("zonal statistics through the engine against gdal_rasterize", () => {
  const X0 = 500000;
  const Y0 = 4600000;
  // In the fixture's metres: a box on pixel edges, a triangle over the nodata disc (centre 506005, 4596995), a sliver
  // thinner than a pixel, and a polygon with a hole.
  const zones = {
    box: [[[X0 + 1000, Y0 - 5000], [X0 + 4000, Y0 - 5000], [X0 + 4000, Y0 - 10000], [X0 + 1000, Y0 - 10000], [X0 + 1000, Y0 - 5000]]],
    triangle: [[[X0 + 5033.3, Y0 - 2071.7], [X0 + 7187.9, Y0 - 3455.5], [X0 + 5741.2, Y0 - 5033.8], [X0 + 5033.3, Y0 - 2071.7]]],
    sliver: [[[X0 + 7200.2, Y0 - 1000.4], [X0 + 9802.7, Y0 - 8290.1], [X0 + 9806.5, Y0 - 8288.7], [X0 + 7204.0, Y0 - 999.0], [X0 + 7200.2, Y0 - 1000.4]]],
    holed: [
      [[X0 + 400, Y0 - 7100], [X0 + 6400, Y0 - 7100], [X0 + 6400, Y0 - 9800], [X0 + 400, Y0 - 9800], [X0 + 400, Y0 - 7100]],
      [[X0 + 2037.3, Y0 - 7512.6], [X0 + 4551.1, Y0 - 7512.6], [X0 + 4551.1, Y0 - 9277.7], [X0 + 2037.3, Y0 - 9277.7], [X0 + 2037.3, Y0 - 7512.6]],
    ],
  } as const;
  const names = Object.keys(zones) as (keyof typeof zones)[];
  const feature = (name: keyof typeof zones): unknown => ({ type: "Feature", properties: { name }, geometry: { type: "Polygon", coordinates: zones[name] } });
  const fc = { type: "FeatureCollection", features: names.map(feature) };

  /** GDAL's count and sum of the valid pixels each zone covers, from gdal_rasterize's mask and GDAL's reading of the file. */
  function gdalZone(name: keyof typeof zones, allTouched: boolean): { count: number; sum: number } {
    const json = tmp.file(`${name}.geojson`);
    writeFileSync(json, JSON.stringify({ type: "FeatureCollection", crs: { type: "name", properties: { name: "EPSG:32633" } }, features: [feature(name)] }));
    const mask = tmp.file(`${name}-${allTouched}.tif`);
    gdal("gdal_rasterize", ["-q", "-burn", "1", "-ot", "Float32", "-te", "500000", "4589760", "510240", "4600000", "-ts", "1024", "1024", ...(allTouched ? ["-at"] : []), json, mask]);
    const m = gdalFloat32(mask, `${mask}.bin`).values;
    const v = gdalFloat32(utm, tmp.file("utm-values.bin")).values;
    let count = 0;
    let sum = 0;
    for (let i = 0; i < m.length; i++) if (m[i] === 1 && v[i] !== NODATA) { count++; sum += v[i]!; }
    return { count, sum };
  }

  for (const rule of ["center", "allTouched"] as const) {
    it(`${rule}: counts equal GDAL's and sums agree to 1e-12, identical for chunk sizes 256, 512 and 1024`, async () => {
      const results = [];
      for (const chunkSize of CHUNKS) {
        const frame = openRaster(utm, { chunkSize }).zonalStats(fc, { crs: "EPSG:32633", idProperty: "name", rule, stats: ["count", "sum", "mean", "min", "max", "std"] });
        results.push(tableRows(await frame.collect({ progress: false })));
      }
      const rows = results[0]!;
      expect(rows.map((r) => r["zone"])).toEqual(names);
      for (const r of rows) {
        const want = gdalZone(r["zone"] as keyof typeof zones, rule === "allTouched");
        expect(r["count"], String(r["zone"])).toBe(want.count);
        expect(Math.abs((r["sum"] as number) - want.sum)).toBeLessThanOrEqual(1e-12 * Math.abs(want.sum) + 1e-9);
      }
      expect(rows.find((r) => r["zone"] === "sliver")!["count"] as number).toBeGreaterThan(0);
      for (const other of results.slice(1)) expect(other).toEqual(rows);
    });
  }
});

describe("statistics, band math and cells as rows, for any chunking", () => {
  it("reduceSpace, band math and toFrame give identical answers for chunk sizes 256, 512 and 1024", async () => {
    const answers = [];
    for (const chunkSize of CHUNKS) {
      const r = openRaster(utm, { chunkSize });
      const stats = tableRows(await r.select(r.band("b1").mul(r.band("b1")).alias("sq")).reduceSpace({ stats: ["count", "sum", "mean", "var", "min", "max"] }).collect({ progress: false }));
      const cells = tableRows(await r.toFrame({ dropInvalid: true }).filter(r.band("b1").gt(30)).select("col", "row", "lon", "lat", "b1").sort(["row", "col"]).collect({ progress: false }));
      answers.push({ stats, cells });
    }
    const first = answers[0]!;
    expect(first.stats).toHaveLength(1);
    expect(first.stats[0]!["count"]).toBeGreaterThan(900_000);
    expect(first.cells.length).toBeGreaterThan(1000);
    expect(first.cells.every((c) => (c["b1"] as number) > 30)).toBe(true);
    for (const a of answers.slice(1)) expect(a).toEqual(first);
  });
});
