// Makes the example's input: a small time stack of Cloud-Optimized GeoTIFFs (4 dates, red and NIR bands as uint16
// reflectance × 10000, clouds as nodata 0) on a 10 m UTM grid, written by GDAL's gdal_translate.
// Usage: node examples/ndvi/make-stack.mjs OUT_DIR   (needs gdal-bin)
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export const WIDTH = 600;
export const HEIGHT = 500;
/** Upper-left corner of the grid (EPSG:32633, metres) and the pixel size. */
export const ORIGIN = [500000, 4650000];
export const PIXEL = 10;
export const DATES = ["2024-04-01", "2024-05-01", "2024-06-01", "2024-07-01"];

/** Deterministic pseudo-random numbers (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The red and NIR bands of date `d`: fields greening through the season, a river, and a few clouds (0 = nodata). */
export function scene(d) {
  const rnd = random(1000 + d);
  const red = new Uint16Array(WIDTH * HEIGHT);
  const nir = new Uint16Array(WIDTH * HEIGHT);
  const clouds = Array.from({ length: 3 }, () => ({ x: rnd() * WIDTH, y: rnd() * HEIGHT, r: 25 + rnd() * 40 }));
  const season = 0.25 + 0.2 * d;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      const i = y * WIDTH + x;
      const field = ((Math.floor(x / 75) + Math.floor(y / 60)) % 3) / 3;
      const river = Math.abs(y - 250 - 40 * Math.sin(x / 60)) < 6;
      const green = river ? -0.3 : Math.min(0.9, season + field * 0.5) + (rnd() - 0.5) * 0.05;
      const r = Math.round(800 + 600 * (1 - green) + rnd() * 50);
      const n = Math.round(r * (1 + green) / Math.max(0.05, 1 - green));
      red[i] = Math.max(1, Math.min(10000, r));
      nir[i] = Math.max(1, Math.min(10000, n));
      if (clouds.some((c) => (x - c.x) ** 2 + (y - c.y) ** 2 < c.r ** 2)) { red[i] = 0; nir[i] = 0; }
    }
  }
  return { red, nir };
}

/** Writes one COG per date (bands "red" and "nir") into `dir`; returns the stack's { url, time } items. */
export function makeStack(dir) {
  mkdirSync(dir, { recursive: true });
  return DATES.map((date, d) => {
    const { red, nir } = scene(d);
    const raw = join(dir, `scene-${d}.bin`);
    writeFileSync(raw.replace(/\.bin$/, ".hdr"), ["ENVI", `samples = ${WIDTH}`, `lines = ${HEIGHT}`, "bands = 2", "header offset = 0",
      "file type = ENVI Standard", "data type = 12", "interleave = bsq", "byte order = 0", "band names = { red, nir }", ""].join("\n"));
    writeFileSync(raw, Buffer.concat([Buffer.from(red.buffer), Buffer.from(nir.buffer)]));
    const url = join(dir, `${date}.tif`);
    execFileSync("gdal_translate", ["-q", "-of", "COG", "-a_srs", "EPSG:32633", "-a_nodata", "0",
      "-a_ullr", String(ORIGIN[0]), String(ORIGIN[1]), String(ORIGIN[0] + WIDTH * PIXEL), String(ORIGIN[1] - HEIGHT * PIXEL),
      "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", raw, url]);
    rmSync(raw);
    rmSync(raw.replace(/\.bin$/, ".hdr"));
    return { url, time: date };
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = process.argv[2];
  if (dir === undefined) throw new Error("usage: node examples/ndvi/make-stack.mjs OUT_DIR");
  console.log(JSON.stringify(makeStack(dir), null, 1));
}
