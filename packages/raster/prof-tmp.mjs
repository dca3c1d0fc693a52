import { readRasterChunk, readRasterMeta, warpChunk, makeGrid, planWarp, fullWindow } from "@tessera/raster";
const url = "/tmp/rp/bench/raster/float32-2048.tif";
const meta = await readRasterMeta(url);
const g = meta.grid; const t = g.transform;
const dst = makeGrid(g.crs, [t[0], t[1]*4, 0, t[3], 0, t[5]*4], g.width/4, g.height/4);
for (let k = 0; k < 4; k++) {
  let c0 = process.cpuUsage(); let t0 = performance.now();
  const c = await readRasterChunk(url, { window: fullWindow(g) });
  let t1 = performance.now(); let c1 = process.cpuUsage(c0);
  const { scale } = planWarp(g, dst, "average", [fullWindow(dst)]);
  const a = warpChunk(c, { srcGrid: g, dstGrid: dst, dstWindow: fullWindow(dst), method: "average", scale });
  let t2 = performance.now();
  const n = warpChunk(c, { srcGrid: g, dstGrid: dst, dstWindow: fullWindow(dst), method: "nearest", scale });
  let t3 = performance.now();
  console.log(`cpu read ${((c1.user+c1.system)/1000).toFixed(0)} ms; read ${(t1-t0).toFixed(0)} ms, average ${(t2-t1).toFixed(0)} ms, nearest ${(t3-t2).toFixed(0)} ms`);
}
