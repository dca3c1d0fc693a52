// Reading GeoTIFFs: georeferencing (PixelIsPoint, rotation), nodata masks, overviews on request, merged ranged reads,
// memory:// and counted stores, and coded errors naming the file for unsupported codecs and corrupt or cut files.
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FileStore, registerObjectStore, storeFor } from "@tessera/io";
import type { ByteRange, ObjectInfo, ObjectStore } from "@tessera/io";
import { readRasterChunk, readRasterMeta } from "../src/index.js";
import { gdal, gdalInfo, gdalPixels, pattern, sameBytes, tempDir, writeEnvi } from "./gdal.js";

const tmp = tempDir("read");
afterAll(() => tmp.cleanup());

/** A file store under the "counted" scheme that records every request, so tests see exactly what a read fetched. */
class CountedStore implements ObjectStore {
  readonly log: { op: string; range?: ByteRange }[] = [];
  private readonly files = new FileStore();
  private path(url: string): string { return url.replace(/^counted:\/\//, ""); }
  list(prefix: string): Promise<ObjectInfo[]> { this.log.push({ op: "list" }); return this.files.list(this.path(prefix)); }
  head(url: string): Promise<ObjectInfo> { this.log.push({ op: "head" }); return this.files.head(this.path(url)); }
  get(url: string, range?: ByteRange): Promise<Uint8Array> { this.log.push({ op: "get", range }); return this.files.get(this.path(url), range); }
  put(url: string, bytes: Uint8Array): Promise<void> { return this.files.put(this.path(url), bytes); }
  delete(url: string): Promise<void> { return this.files.delete(this.path(url)); }
}

/** A 1024² Float32 COG, DEFLATE + predictor 3, 256-pixel tiles, nodata -9999 in a few holes, with overviews. */
function makeCog(name: string): string {
  const n = 1024 * 1024;
  const v = pattern("float32", n, 5) as Float32Array;
  for (let i = 0; i < n; i++) if (((i >> 10) - 300) ** 2 + ((i & 1023) - 700) ** 2 < 80 ** 2 || i % 1013 === 0) v[i] = -9999;
  const raw = tmp.file(`${name}.bin`);
  writeEnvi(raw, 1024, 1024, [v], "float32");
  const out = tmp.file(`${name}.tif`);
  gdal("gdal_translate", ["-q", "-of", "COG", "-a_srs", "EPSG:4326", "-a_ullr", "10", "50", "12", "48", "-a_nodata", "-9999",
    "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", "-co", "OVERVIEWS=AUTO", "-co", "RESAMPLING=NEAREST", raw, out]);
  return out;
}

describe("georeferencing", () => {
  it("a PixelIsPoint file gets GDAL's corner geotransform, half a pixel from its raw tie point", async () => {
    const raw = tmp.file("point.bin");
    writeEnvi(raw, 40, 30, [pattern("int16", 1200, 3)], "int16");
    const file = tmp.file("point.tif");
    gdal("gdal_translate", ["-q", "-a_srs", "EPSG:32633", "-a_ullr", "500000", "4600000", "500400", "4599700", "-mo", "AREA_OR_POINT=Point", raw, file]);
    const meta = await readRasterMeta(file);
    expect(meta.pixelIsPoint).toBe(true);
    expect([...meta.grid.transform]).toEqual(gdalInfo(file).geoTransform);
    const ignored = JSON.parse(gdal("gdalinfo", ["-json", "--config", "GTIFF_POINT_GEO_IGNORE", "TRUE", file])) as { geoTransform: number[] };
    expect(meta.grid.transform[0]).toBe((ignored.geoTransform[0] as number) - 5);
    expect(meta.grid.transform[3]).toBe((ignored.geoTransform[3] as number) + 5);
  });

  it("a rotated file keeps its rotation terms", async () => {
    const raw = tmp.file("rot.bin");
    writeEnvi(raw, 20, 10, [pattern("float32", 200, 4)], "float32");
    const file = tmp.file("rot.tif");
    gdal("gdal_translate", ["-q", "-a_srs", "EPSG:32633", raw, file]);
    gdal("/usr/bin/python3", ["-c", `from osgeo import gdal; d = gdal.Open(${JSON.stringify(file)}, 1); d.SetGeoTransform([500000, 8, 6, 4600000, 6, -8]); d = None`]);
    const meta = await readRasterMeta(file);
    expect([...meta.grid.transform]).toEqual(gdalInfo(file).geoTransform);
    expect([...meta.grid.transform]).toEqual([500000, 8, 6, 4600000, 6, -8]);
  });
});

describe("nodata and overviews", () => {
  let cog = "";
  beforeAll(() => { cog = makeCog("cog"); });

  it("nodata becomes a mask that matches GDAL's nodata pixels, values kept as read", async () => {
    const meta = await readRasterMeta(cog);
    expect(meta.nodata).toBe(-9999);
    const want = gdalPixels(cog, "float32", tmp.file("cog.dump"))[0] as Float32Array;
    const c = await readRasterChunk(cog, { window: { x: 512, y: 256, width: 512, height: 256 } });
    const mask = c.valid[0] as Uint8Array;
    let invalid = 0;
    for (let y = 0; y < 256; y++) {
      for (let x = 0; x < 512; x++) {
        const g = want[(256 + y) * 1024 + 512 + x] as number;
        expect(mask[y * 512 + x]).toBe(g === -9999 ? 0 : 1);
        invalid += g === -9999 ? 1 : 0;
      }
    }
    expect(invalid).toBeGreaterThan(1000);
    expect(c.nodata).toEqual([-9999]);
  });

  it("integer nodata stays an integer mask; LERC with nodata decodes like GDAL", async () => {
    const v = pattern("int16", 64 * 64, 9) as Int16Array;
    for (let i = 0; i < v.length; i += 7) v[i] = -32768;
    const raw = tmp.file("i16nd.bin");
    writeEnvi(raw, 64, 64, [v], "int16");
    for (const co of [["COMPRESS=DEFLATE"], ["COMPRESS=LERC", "MAX_Z_ERROR=0"]]) {
      const file = tmp.file(`i16nd-${co[0]}.tif`);
      gdal("gdal_translate", ["-q", "-a_nodata", "-32768", ...co.flatMap((o) => ["-co", o]), raw, file]);
      const c = await readRasterChunk(file, { window: { x: 0, y: 0, width: 64, height: 64 } });
      const want = gdalPixels(file, "int16", tmp.file(`i16nd-${co[0]}.dump`))[0] as Int16Array;
      expect(c.data[0]).toBeInstanceOf(Int16Array);
      expect(sameBytes(c.data[0]!, want), co[0]).toBe(true);
      expect([...c.valid[0]!].filter((m) => m === 0)).toHaveLength(Math.ceil(4096 / 7));
    }
  });

  it("lists overviews without reading them, and reads one only when asked, equal to GDAL's overview", async () => {
    const meta = await readRasterMeta(cog);
    expect(meta.overviews.map((o) => o.grid.width)).toEqual([512, 256]);
    expect(meta.overviews[0]!.grid.transform).toEqual([10, 2 / 512, 0, 50, 0, -2 / 512]);
    const ov = tmp.file("ov.tif");
    gdal("gdal_translate", ["-q", "-oo", "OVERVIEW_LEVEL=0", cog, ov]);
    const want = gdalPixels(ov, "float32", tmp.file("ov.dump"))[0] as Float32Array;
    const c = await readRasterChunk(cog, { window: { x: 0, y: 0, width: 512, height: 512 }, overview: 1 });
    expect(sameBytes(c.data[0]!, want)).toBe(true);
    expect(c.grid.transform).toEqual(meta.overviews[0]!.grid.transform);
    await expect(readRasterChunk(cog, { window: { x: 0, y: 0, width: 8, height: 8 }, overview: 3 })).rejects.toMatchObject({ code: "RASTER_NO_OVERVIEW" });
  });

  it("fetches only the tiles a window touches, merging adjacent tiles into one request, and never lists", async () => {
    const counted = new CountedStore();
    registerObjectStore("counted", counted);
    const url = `counted://${cog}`;
    const size = readFileSync(cog).length;
    await readRasterMeta(url);
    expect(counted.log.map((l) => l.op)).toEqual(["head", "get"]);
    counted.log.length = 0;
    const c = await readRasterChunk(url, { window: { x: 256, y: 512, width: 512, height: 256 } });
    expect(c.grid.width).toBe(512);
    const gets = counted.log.filter((l) => l.op === "get");
    expect(counted.log.filter((l) => l.op === "list")).toHaveLength(0);
    expect(gets).toHaveLength(1); // two horizontally adjacent tiles lie next to each other in a COG
    const fetched = gets.reduce((s, g) => s + (g.range?.length ?? size), 0);
    expect(fetched).toBeLessThan(size / 6);
  });

  it("reads the same pixels through memory://", async () => {
    const url = "memory://raster-read/cog.tif";
    await storeFor(url).put(url, new Uint8Array(readFileSync(cog)));
    const a = await readRasterChunk(url, { window: { x: 100, y: 900, width: 300, height: 124 } });
    const b = await readRasterChunk(cog, { window: { x: 100, y: 900, width: 300, height: 124 } });
    expect(sameBytes(a.data[0]!, b.data[0]!)).toBe(true);
    expect(sameBytes(a.valid[0]!, b.valid[0]!)).toBe(true);
  });
});

describe("errors name the file", () => {
  it("JPEG, WebP and LZMA files fail with IO_UNSUPPORTED_CODEC", async () => {
    const raw = tmp.file("rgb.bin");
    writeEnvi(raw, 64, 64, [0, 1, 2].map((b) => pattern("uint8", 4096, b)), "uint8");
    for (const codec of ["JPEG", "WEBP", "LZMA"]) {
      const file = tmp.file(`lossy-${codec}.tif`);
      gdal("gdal_translate", ["-q", "-co", `COMPRESS=${codec}`, raw, file]);
      await expect(readRasterMeta(file)).rejects.toMatchObject({ code: "IO_UNSUPPORTED_CODEC", category: "io", message: expect.stringContaining(file) });
    }
  });

  it("random bytes and a truncated COG fail with IO_BAD_TIFF naming the file", async () => {
    const junk = tmp.file("junk.tif");
    writeFileSync(junk, Buffer.from("this is not a tiff at all, not even close".repeat(40)));
    await expect(readRasterMeta(junk)).rejects.toMatchObject({ code: "IO_BAD_TIFF", message: expect.stringContaining(junk) });
    const whole = readFileSync(makeCog("cut-src"));
    const cut = tmp.file("cut.tif");
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)));
    await expect(readRasterChunk(cut, { window: { x: 0, y: 768, width: 256, height: 256 } }))
      .rejects.toMatchObject({ code: "IO_BAD_TIFF", message: expect.stringMatching(/cut\.tif.*truncated/) });
    const headerOnly = tmp.file("header-only.tif");
    writeFileSync(headerOnly, whole.subarray(0, 600));
    await expect(readRasterMeta(headerOnly)).rejects.toMatchObject({ code: "IO_BAD_TIFF", message: expect.stringContaining(headerOnly) });
  });

  it("a corrupt tile fails with IO_BAD_TIFF, other tiles still read", async () => {
    const src = makeCog("corrupt-src");
    const bytes = new Uint8Array(readFileSync(src));
    const file = tmp.file("corrupt.tif");
    const last = bytes.length - 4000;
    for (let i = last; i < last + 2000; i++) bytes[i] = (bytes[i]! * 31 + 7) & 255;
    writeFileSync(file, bytes);
    await expect(readRasterChunk(file, { window: { x: 768, y: 768, width: 256, height: 256 } }))
      .rejects.toMatchObject({ code: "IO_BAD_TIFF", message: expect.stringContaining(file) });
    const ok = await readRasterChunk(file, { window: { x: 0, y: 0, width: 256, height: 256 } });
    expect(ok.data[0]!.length).toBe(65536);
  });
});
