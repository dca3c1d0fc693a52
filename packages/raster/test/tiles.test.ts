// Web-mercator tiles: z/x/y extents, f32 tiles equal to gdalwarp of each tile's extent, no seams between neighbours,
// PNG tiles through a colormap with transparent nodata.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode } from "fast-png";
import type { RasterChunk, RasterMeta, Resampling, TileTask } from "../src/index.js";
import {
  encodeTileF32, encodeTilePng, mercatorBlockGrid, mercatorTileBounds, mercatorTileGrid, mosaicChunks, planTiles, planWarp,
  readRasterChunk, readRasterMeta, tileKey, tilesCovering, warpChunk,
} from "../src/index.js";
import { gdal, tempDir } from "./gdal.js";
import { makeWarpSource } from "./warp-fixture.js";

const tmp = tempDir("tiles");
afterAll(() => tmp.cleanup());

const src = tmp.file("geo.tif");
let meta: RasterMeta;
beforeAll(async () => {
  makeWarpSource(src, tmp.file("geo.bin"), "EPSG:4326", ["10", "50", "12", "48"]);
  meta = await readRasterMeta(src);
});

async function render(task: TileTask, method: Resampling): Promise<RasterChunk> {
  if (task.srcWindow === null) throw new Error("tile outside the source");
  const chunk = await readRasterChunk(src, { window: task.srcWindow });
  return warpChunk(chunk, { srcGrid: meta.grid, dstGrid: task.grid, dstWindow: { x: 0, y: 0, width: task.grid.width, height: task.grid.height }, method, scale: task.scale });
}

describe("tile grids", () => {
  it("z/x/y extents follow the XYZ scheme in EPSG:3857", () => {
    const world = mercatorTileBounds({ z: 0, x: 0, y: 0 });
    expect(world.maxX).toBe(20037508.342789244);
    expect(world.minY).toBe(-20037508.342789244);
    expect(mercatorTileBounds({ z: 1, x: 1, y: 0 })).toEqual({ minX: 0, maxX: 20037508.342789244, maxY: 20037508.342789244, minY: 0 });
    expect(mercatorTileGrid({ z: 1, x: 0, y: 1 }, 512).transform).toEqual([-20037508.342789244, 20037508.342789244 / 512, 0, 0, 0, -20037508.342789244 / 512]);
    expect(() => mercatorTileBounds({ z: 2, x: 4, y: 0 })).toThrow(/no web-mercator tile/);
    expect(tileKey({ z: 3, x: 4, y: 2 }, "png")).toBe("3/4/2.png");
  });

  it("covers the source with the tiles a map would show (lon 10–12, lat 48–50)", () => {
    // Slippy-map tile numbers from lon/lat, the usual formula.
    const tx = (lon: number, z: number): number => Math.floor(((lon + 180) / 360) * 2 ** z);
    const ty = (lat: number, z: number): number => Math.floor(((1 - Math.asinh(Math.tan((lat * Math.PI) / 180)) / Math.PI) / 2) * 2 ** z);
    const want: string[] = [];
    for (let y = ty(50, 8); y <= ty(48, 8); y++) for (let x = tx(10, 8); x <= tx(12, 8); x++) want.push(`${x},${y}`);
    expect(tilesCovering(meta.grid, 8).map((t) => `${t.x},${t.y}`)).toEqual(want);
    const plan = planTiles(meta.grid, { minZoom: 6, maxZoom: 9 });
    expect(plan.filter((t) => t.tile.z === 6)).toHaveLength((tx(12, 6) - tx(10, 6) + 1) * (ty(48, 6) - ty(50, 6) + 1));
    expect(plan.every((t) => t.srcWindow !== null)).toBe(true);
  });
});

describe("f32 tiles against gdalwarp", () => {
  for (const method of ["nearest", "average"] as const) {
    it(`${method}: every tile of zooms 8 and 9 equals gdalwarp of the tile's extent`, async () => {
      const tasks = planTiles(meta.grid, { minZoom: 8, maxZoom: 9, resampling: method });
      expect(tasks.length).toBeGreaterThan(8);
      for (const task of tasks) {
        const b = mercatorTileBounds(task.tile);
        const out = tmp.file(`${method}-${task.tile.z}-${task.tile.x}-${task.tile.y}.tif`);
        gdal("gdalwarp", ["-q", "-overwrite", "-ovr", "NONE", "-et", "0", "-r", method === "nearest" ? "near" : method, "-t_srs", "EPSG:3857",
          "-te", String(b.minX), String(b.minY), String(b.maxX), String(b.maxY), "-ts", "256", "256", "-dstnodata", "nan", src, out]);
        gdal("gdal_translate", ["-q", "-of", "ENVI", out, `${out}.bin`]);
        const raw = readFileSync(`${out}.bin`);
        const want = new Float32Array(raw.byteLength / 4);
        new Uint8Array(want.buffer).set(raw);
        const got = new Float32Array(encodeTileF32(await render(task, method)).buffer);
        if (method === "nearest") expect(Buffer.from(got.buffer).equals(Buffer.from(want.buffer)), tileKey(task.tile, "f32")).toBe(true);
        else {
          let worst = 0;
          for (let i = 0; i < got.length; i++) {
            if (Number.isNaN(want[i]) || Number.isNaN(got[i])) { if (Number.isNaN(want[i]) !== Number.isNaN(got[i])) worst = Infinity; continue; }
            worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / Math.max(1e-30, Math.abs(want[i]!)));
          }
          expect(worst, tileKey(task.tile, "f32")).toBeLessThanOrEqual(1e-5);
        }
      }
    });
  }
});

describe("no seams", () => {
  for (const method of ["nearest", "bilinear", "average"] as const) {
    it(`${method}: four neighbouring z9 tiles put together equal one warp of their joint extent (to float noise: the grids' origins differ in the last bits)`, async () => {
      const tasks = planTiles(meta.grid, { minZoom: 9, maxZoom: 9, resampling: method });
      const x0 = tasks[0]!.tile.x;
      const y0 = tasks[0]!.tile.y;
      const pick = tasks.filter((t) => t.tile.x - x0 <= 1 && t.tile.y - y0 <= 1);
      expect(pick).toHaveLength(4);
      const block = mercatorBlockGrid(9, x0, y0, x0 + 1, y0 + 1);
      const placed = await Promise.all(pick.map(async (t) => {
        const c = await render(t, method);
        const dx = (t.tile.x - x0) * 256;
        const dy = (t.tile.y - y0) * 256;
        return { ...c, window: { x: dx, y: dy, width: 256, height: 256 } };
      }));
      const joined = mosaicChunks(placed, block, { x: 0, y: 0, width: 512, height: 512 });
      const { tasks: one } = planWarp(meta.grid, block, method, [{ x: 0, y: 0, width: 512, height: 512 }]);
      const whole = warpChunk(await readRasterChunk(src, { window: one[0]!.srcWindow! }), { srcGrid: meta.grid, dstGrid: block, dstWindow: { x: 0, y: 0, width: 512, height: 512 }, method, scale: pick[0]!.scale });
      const a = new Float32Array(encodeTileF32(joined).buffer);
      const b = new Float32Array(encodeTileF32(whole).buffer);
      let worst = 0;
      for (let i = 0; i < a.length; i++) {
        if (Number.isNaN(a[i]) !== Number.isNaN(b[i])) { worst = Infinity; break; }
        if (!Number.isNaN(a[i])) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1e-30, Math.abs(b[i]!)));
      }
      expect(worst).toBeLessThanOrEqual(1e-6);
    });
  }
});

describe("PNG tiles", () => {
  it("colour values through the colormap and leave nodata transparent", async () => {
    const task = planTiles(meta.grid, { minZoom: 9, maxZoom: 9 })[0]!;
    const c = await render(task, "nearest");
    const cm = { stops: [[-40, [0, 0, 255]], [0, [255, 255, 255]], [40, [255, 0, 0, 200]]] as const };
    const png = encodeTilePng(c, { stops: cm.stops.map(([v, rgb]) => [v, [...rgb]] as const) });
    const img = decode(png);
    expect([img.width, img.height, img.channels, img.depth]).toEqual([256, 256, 4, 8]);
    const px = img.data as Uint8Array;
    let transparent = 0;
    for (let i = 0; i < 256 * 256; i++) {
      const ok = !c.valid[0] || c.valid[0][i] === 1;
      if (!ok) { expect(px[i * 4 + 3]).toBe(0); transparent++; continue; }
      const v = c.data[0]![i]!;
      if (v <= -40) expect([...px.subarray(i * 4, i * 4 + 4)]).toEqual([0, 0, 255, 255]);
      if (v >= 40) expect([...px.subarray(i * 4, i * 4 + 4)]).toEqual([255, 0, 0, 200]);
      if (v > -40 && v < 0) {
        const t = (v + 40) / 40;
        expect(px[i * 4]).toBe(Math.round(255 * t));
        expect(px[i * 4 + 2]).toBe(255);
      }
    }
    expect(transparent).toBeGreaterThan(0);
    expect(() => encodeTilePng(c, { stops: [[1, [0, 0, 0]], [0, [1, 1, 1]]] })).toThrow(/ascending/);
  });
});
