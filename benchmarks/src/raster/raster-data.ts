// The raster suite's data: a size² Float32 COG (DEFLATE + predictor 3, 256-pixel tiles, nodata holes) written by GDAL
// from deterministic values, and 100 zones (a 10 × 10 layout of jittered polygons) as GeoJSON; cached per size.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dataDir } from "../data/data-dir.js";
import { mulberry32 } from "../data/prng.js";

export const NODATA = -9999;
/** Upper-left corner (EPSG:32633 metres) and pixel size of the suite's grid. */
export const ORIGIN = [500000, 4700000] as const;
export const PIXEL = 10;
export const ZONES = 100;

export interface RasterData {
  readonly size: number;
  readonly cog: string;
  readonly zones: string;
  readonly bytes: number;
}

function writeCog(size: number, file: string): void {
  const raw = `${file}.bin`;
  const values = new Float32Array(size * size);
  const r = mulberry32(7);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const v = Math.sin(x / 97) * 40 + Math.cos(y / 131) * 25 + (x % 17) * 0.5 + r() * 4;
      const hole = (x - size * 0.3) ** 2 + (y - size * 0.6) ** 2 < (size * 0.05) ** 2 || r() < 0.002;
      values[i] = hole ? NODATA : v;
    }
  }
  writeFileSync(`${file}.hdr`, ["ENVI", `samples = ${size}`, `lines = ${size}`, "bands = 1", "header offset = 0", "file type = ENVI Standard",
    "data type = 4", "interleave = bsq", "byte order = 0", ""].join("\n"));
  writeFileSync(raw, new Uint8Array(values.buffer));
  execFileSync("gdal_translate", ["-q", "-of", "COG", "-a_srs", "EPSG:32633", "-a_nodata", String(NODATA),
    "-a_ullr", String(ORIGIN[0]), String(ORIGIN[1]), String(ORIGIN[0] + size * PIXEL), String(ORIGIN[1] - size * PIXEL),
    "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", "-co", "OVERVIEWS=NONE", raw, file]);
  rmSync(raw);
  rmSync(`${file}.hdr`);
}

/** 100 polygons, one per cell of a 10 × 10 layout, each a 7-gon jittered within its cell (no two overlap). */
function writeZones(size: number, file: string): void {
  const r = mulberry32(11);
  const cell = (size * PIXEL) / 10;
  const features = [];
  for (let k = 0; k < ZONES; k++) {
    const cx = ORIGIN[0] + ((k % 10) + 0.5) * cell;
    const cy = ORIGIN[1] - (Math.floor(k / 10) + 0.5) * cell;
    const ring: [number, number][] = [];
    for (let j = 0; j < 7; j++) {
      const a = (j / 7) * 2 * Math.PI;
      const rad = cell * (0.3 + 0.18 * r());
      ring.push([cx + rad * Math.cos(a), cy + rad * Math.sin(a)]);
    }
    ring.push(ring[0] as [number, number]);
    features.push({ type: "Feature", properties: { id: k + 1 }, geometry: { type: "Polygon", coordinates: [ring] } });
  }
  writeFileSync(file, JSON.stringify({ type: "FeatureCollection", crs: { type: "name", properties: { name: "EPSG:32633" } }, features }));
}

/** The suite's COG and zones for `size`, made on first use. */
export function rasterData(size: number, log: (line: string) => void): RasterData {
  const dir = join(dataDir(), "raster");
  mkdirSync(dir, { recursive: true });
  const cog = join(dir, `float32-${size}.tif`);
  const zones = join(dir, `zones-${size}.geojson`);
  if (!existsSync(cog)) {
    log(`generating ${cog} (${size}² Float32 COG) with gdal_translate ...`);
    writeCog(size, cog);
  }
  if (!existsSync(zones)) writeZones(size, zones);
  return { size, cog, zones, bytes: statSync(cog).size };
}
