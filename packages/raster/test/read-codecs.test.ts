// Every lossless encoding GDAL writes decodes bit-exactly: each fixture is made by gdal_translate at test time and
// compared byte for byte with GDAL's own raw dump of it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readRasterChunk, readRasterMeta } from "../src/index.js";
import type { BandArray, RasterDType } from "../src/index.js";
import { gdal, gdalInfo, gdalPixels, pattern, sameBytes, tempDir, writeEnvi } from "./gdal.js";

const W = 300;
const H = 200;
const tmp = tempDir("codecs");

interface Case { readonly name: string; readonly dtype: RasterDType; readonly co: readonly string[]; readonly bands?: number }

const tiled = ["TILED=YES", "BLOCKXSIZE=64", "BLOCKYSIZE=64"];
const CASES: readonly Case[] = [
  { name: "deflate-pred3-tiled-f32", dtype: "float32", co: ["COMPRESS=DEFLATE", "PREDICTOR=3", ...tiled] },
  { name: "deflate-pred3-strips-f64", dtype: "float64", co: ["COMPRESS=DEFLATE", "PREDICTOR=3", "BLOCKYSIZE=7"] },
  { name: "deflate-pred2-tiled-u32", dtype: "uint32", co: ["COMPRESS=DEFLATE", "PREDICTOR=2", ...tiled] },
  { name: "lzw-tiled-band-f32", dtype: "float32", co: ["COMPRESS=LZW", "INTERLEAVE=BAND", ...tiled] },
  { name: "lzw-pred2-tiled-i16", dtype: "int16", co: ["COMPRESS=LZW", "PREDICTOR=2", ...tiled] },
  { name: "lzw-pred2-strips-u8", dtype: "uint8", co: ["COMPRESS=LZW", "PREDICTOR=2"] },
  { name: "zstd-pred2-bigtiff-u16", dtype: "uint16", co: ["COMPRESS=ZSTD", "PREDICTOR=2", "BIGTIFF=YES", ...tiled] },
  { name: "zstd-pred3-strips-band-f32", dtype: "float32", co: ["COMPRESS=ZSTD", "PREDICTOR=3", "INTERLEAVE=BAND", "BLOCKYSIZE=16"] },
  { name: "packbits-strips-u8", dtype: "uint8", co: ["COMPRESS=PACKBITS"] },
  { name: "packbits-tiled-band-i32", dtype: "int32", co: ["COMPRESS=PACKBITS", "INTERLEAVE=BAND", ...tiled] },
  { name: "lerc-tiled-f32", dtype: "float32", co: ["COMPRESS=LERC", "MAX_Z_ERROR=0", ...tiled] },
  { name: "lerc-zstd-tiled-f64", dtype: "float64", co: ["COMPRESS=LERC_ZSTD", "MAX_Z_ERROR=0", ...tiled] },
  { name: "lerc-deflate-band-u16", dtype: "uint16", co: ["COMPRESS=LERC_DEFLATE", "MAX_Z_ERROR=0", "INTERLEAVE=BAND", ...tiled] },
  { name: "none-strips-bigtiff-i16", dtype: "int16", co: ["BIGTIFF=YES"] },
  { name: "none-tiled-f64-1band", dtype: "float64", co: [...tiled], bands: 1 },
];

function make(c: Case): string {
  const bands = Array.from({ length: c.bands ?? 3 }, (_, b) => pattern(c.dtype, W * H, 11 + b));
  const raw = tmp.file(`${c.name}.bin`);
  writeEnvi(raw, W, H, bands, c.dtype);
  const out = tmp.file(`${c.name}.tif`);
  gdal("gdal_translate", ["-q", "-a_srs", "EPSG:32633", "-a_ullr", "500000", "4600000", "503000", "4598000",
    ...c.co.flatMap((o) => ["-co", o]), raw, out]);
  return out;
}

afterAll(() => tmp.cleanup());

describe("GeoTIFF codecs against GDAL", () => {
  const files = new Map<string, string>();
  beforeAll(() => { for (const c of CASES) files.set(c.name, make(c)); });

  for (const c of CASES) {
    it(`${c.name}: every band of the whole image and of an unaligned window equals GDAL's reading`, async () => {
      const file = files.get(c.name) as string;
      const want = gdalPixels(file, c.dtype, tmp.file(`${c.name}.dump`));
      const meta = await readRasterMeta(file);
      expect(meta.dtype).toBe(c.dtype);
      expect(meta.bands).toHaveLength(c.bands ?? 3);
      const info = gdalInfo(file);
      expect(meta.interleave.toUpperCase()).toBe(info.metadata?.["IMAGE_STRUCTURE"]?.["INTERLEAVE"]);
      expect(meta.bigTiff).toBe(c.co.includes("BIGTIFF=YES"));
      expect([...meta.grid.transform]).toEqual(info.geoTransform);
      expect(meta.grid.crs).toBe("EPSG:32633");
      const whole = await readRasterChunk(file, { window: { x: 0, y: 0, width: W, height: H } });
      whole.data.forEach((a, b) => expect(sameBytes(a, want[b] as BandArray), `band ${b}`).toBe(true));
      // A window crossing block edges, bands reordered.
      const win = { x: 37, y: 51, width: 150, height: 90 };
      const order = (c.bands ?? 3) === 3 ? [2, 0] : [0];
      const part = await readRasterChunk(file, { window: win, bands: order });
      order.forEach((b, i) => {
        const full = want[b] as BandArray;
        const rows: BandArray[] = [];
        for (let y = win.y; y < win.y + win.height; y++) rows.push(full.slice(y * W + win.x, y * W + win.x + win.width));
        const flat = new (full.constructor as new (n: number) => BandArray)(win.width * win.height);
        rows.forEach((r, k) => flat.set(r as never, k * win.width));
        expect(sameBytes(part.data[i] as BandArray, flat), `band ${b} window`).toBe(true);
      });
    });
  }
});
