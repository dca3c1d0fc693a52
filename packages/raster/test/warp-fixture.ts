// The warp tests' source: a 1024² Float32 COG (DEFLATE + predictor 3, 256-pixel tiles) with nodata holes, repeated
// values (so mode has work) and smooth parts, written by GDAL at test time; and the chunked warp driver.
import type { Grid, RasterChunk, Resampling, Window } from "../src/index.js";
import { chunkWindows, mosaicChunks, planWarp, readRasterChunk, readRasterMeta, warpChunk } from "../src/index.js";
import { gdal, writeEnvi } from "./gdal.js";

export const NODATA = -9999;

export function sourceValues(): Float32Array {
  const n = 1024 * 1024;
  const v = new Float32Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const x = i & 1023;
    const y = i >> 10;
    const base = Math.sin(x / 50) * 20 + Math.cos(y / 70) * 15;
    v[i] = i % 3 === 0 ? Math.round(base / 4) : base + (s / 2 ** 32) * 3;
    if ((x - 600) ** 2 + (y - 300) ** 2 < 90 ** 2 || (s >>> 3) % 53 === 0) v[i] = NODATA;
  }
  return v;
}

/** Writes the fixture COG georeferenced by `-a_srs crs -a_ullr ...ullr`. */
export function makeWarpSource(file: string, raw: string, crs: string, ullr: readonly string[]): void {
  writeEnvi(raw, 1024, 1024, [sourceValues()], "float32");
  gdal("gdal_translate", ["-q", "-of", "COG", "-a_srs", crs, "-a_ullr", ...ullr, "-a_nodata", String(NODATA),
    "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", raw, file]);
}

/** Warps `url` onto `dst` as a plan would: target windows of `chunk` pixels, each reading its own source window. */
export async function chunkedWarp(url: string, dst: Grid, method: Resampling, chunk: number): Promise<RasterChunk> {
  const meta = await readRasterMeta(url);
  const windows = chunkWindows(dst, { blockWidth: 1, blockHeight: 1 }, chunk);
  const { scale, tasks } = planWarp(meta.grid, dst, method, windows, url);
  const parts = await Promise.all(tasks.map(async (t) => {
    if (t.srcWindow === null) throw new Error("every window of these tests overlaps the source");
    const src = await readRasterChunk(url, { window: t.srcWindow });
    return warpChunk(src, { srcGrid: meta.grid, dstGrid: dst, dstWindow: t.dstWindow, method, scale });
  }));
  const whole: Window = { x: 0, y: 0, width: dst.width, height: dst.height };
  const m = mosaicChunks(parts, dst, whole);
  // mosaicChunks leaves no gaps here (the windows tile the grid): keep the parts' masks as they are.
  return m;
}
