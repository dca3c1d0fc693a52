// Raster sinks through the public API: sinkGeoTiff writes a COG that GDAL's validator accepts and gdal_translate reads
// back equal to the input; sinkTiles writes z/x/y tiles equal to gdalwarp of each tile's extent, with no seams, and a
// manifest listing them, written last.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { execFileSync } from "node:child_process";
import { decode } from "fast-png";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDefaultClient, makeGrid, mercatorTileBounds, openRaster } from "tessera";
import type { TileId } from "tessera";
import { NODATA, gdal, gdalFloat32, gdalInfo, gdalwarpFloat32, makeWarpSource, maxRelError, sameArray, tempDir } from "./support.js";

const tmp = tempDir("e2e-sinks");
const utm = tmp.file("utm.tif");
const geo = tmp.file("geo.tif");

beforeAll(() => {
  makeWarpSource(utm, tmp.file("utm.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
  makeWarpSource(geo, tmp.file("geo.bin"), "EPSG:4326", ["10", "50", "12", "48"]);
});
afterAll(async () => {
  await closeDefaultClient();
  tmp.cleanup();
});

/** GDAL's COG validator (Debian's python3-gdal): its output and exit status. */
function validateCog(file: string): { ok: boolean; output: string } {
  const script = "/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_cloud_optimized_geotiff.py";
  try {
    return { ok: true, output: execFileSync("/usr/bin/python3", [script, file], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ""}${err.stderr ?? ""}` };
  }
}

describe("sinkGeoTiff", () => {
  it("writes a COG the validator accepts, which gdal_translate reads back equal to the input", async () => {
    const out = tmp.file("copy.tif");
    const written = await openRaster(utm, { chunkSize: 256 }).sinkGeoTiff(out, { progress: false });
    expect(written.bytes).toBe(statSync(out).size);
    const v = validateCog(out);
    expect(v.ok, v.output).toBe(true);
    expect(v.output).toMatch(/is a valid cloud optimized GeoTIFF/);
    const back = gdalFloat32(out, tmp.file("copy.bin"));
    const input = gdalFloat32(utm, tmp.file("input.bin"));
    expect(sameArray(back.values, input.values)).toBe(true);
    const info = gdalInfo(out);
    expect(info.geoTransform).toEqual(gdalInfo(utm).geoTransform);
    expect(Number(info.bands[0]!.noDataValue)).toBe(NODATA);
    expect(info.coordinateSystem?.wkt).toMatch(/UTM zone 33N/);
    // gdal_translate's own round trip of the written file changes nothing either.
    gdal("gdal_translate", ["-q", out, tmp.file("again.tif")]);
    expect(sameArray(gdalFloat32(tmp.file("again.tif"), tmp.file("again.bin")).values, input.values)).toBe(true);
  });

  it("writes a regridded, band-mathed raster equal to what collect returns, for chunk sizes 256 and 1024 alike", async () => {
    const dst = makeGrid("EPSG:32633", [500000, 40, 0, 4600000, 0, -40], 256, 256);
    const job = (chunkSize: number) => {
      const r = openRaster(utm, { chunkSize });
      return r.select(r.band("b1").mul(2).cast("float32").alias("twice")).regrid(dst, { method: "average" });
    };
    const a = tmp.file("avg-256.tif");
    const b = tmp.file("avg-1024.tif");
    await job(256).sinkGeoTiff(a, { progress: false });
    await job(1024).sinkGeoTiff(b, { progress: false, overviews: [] });
    expect(validateCog(a).ok).toBe(true);
    const got = gdalFloat32(a, tmp.file("avg-256.bin")).values;
    expect(sameArray(got, gdalFloat32(b, tmp.file("avg-1024.bin")).values)).toBe(true);
    const collected = await job(512).collect({ progress: false });
    const want = collected.band("twice") as Float32Array;
    const valid = collected.valid("twice");
    for (let i = 0; i < want.length; i++) if (valid === null || valid[i] === 1) expect(got[i]).toBe(want[i]);
    expect(gdalInfo(a).bands[0]!.description).toBe("twice");
  });

  it("refuses at plan time what a GeoTIFF cannot hold: a time dimension, mixed pixel types, a CRS it cannot write", async () => {
    const r = openRaster(utm);
    await expect(r.select("b1", r.band("b1").cast("int16").alias("i")).sinkGeoTiff(tmp.file("mixed.tif"))).rejects.toMatchObject({ code: "RASTER_MIXED_TYPES", category: "plan" });
    expect(existsSync(tmp.file("mixed.tif"))).toBe(false);
  });
});

describe("sinkTiles", () => {
  const tileExtent = (t: TileId): string[] => {
    const b = mercatorTileBounds(t);
    return ["-te", String(b.minX), String(b.minY), String(b.maxX), String(b.maxY)];
  };
  const f32 = (file: string): Float32Array => {
    const raw = readFileSync(file);
    const out = new Float32Array(raw.byteLength / 4);
    new Uint8Array(out.buffer).set(raw);
    return out;
  };
  const listTiles = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((p) => /^\d+\/\d+\/\d+\.(f32|png)$/.test(p)).sort();

  for (const [method, zooms] of [["nearest", [8, 9]], ["average", [8, 8]]] as const) {
    it(`f32 tiles (${method}, zooms ${zooms[0]}..${zooms[1]}) equal gdalwarp of each tile's extent, and a manifest lists them`, async () => {
      const dir = tmp.file(`tiles-${method}`);
      const res = await openRaster(geo, { chunkSize: 256 }).sinkTiles(dir, { minZoom: zooms[0], maxZoom: zooms[1], format: "f32", resampling: method, progress: false });
      const files = listTiles(dir);
      expect(files.length).toBe(res.tiles);
      expect(files.length).toBeGreaterThan(zooms[1] === 9 ? 20 : 4);
      const manifest = JSON.parse(readFileSync(join(dir, "_SUCCESS"), "utf8")) as { kind: string; tiles: { path: string; bytes: number }[] };
      expect(manifest.kind).toBe("tiles");
      expect(manifest.tiles.map((t) => t.path)).toEqual(files);
      // The commit point is written last: no tile is newer than the manifest.
      const committed = statSync(join(dir, "_SUCCESS")).mtimeMs;
      expect(files.every((f) => statSync(join(dir, f)).mtimeMs <= committed)).toBe(true);
      for (const path of files) {
        const [z, x, y] = path.replace(/\.f32$/, "").split("/").map(Number) as [number, number, number];
        const want = gdalwarpFloat32(geo, tmp.file(`want-${method}-${z}-${x}-${y}.tif`), ["-r", method === "nearest" ? "near" : "average", "-t_srs", "EPSG:3857", ...tileExtent({ z, x, y }), "-ts", "256", "256", "-dstnodata", "nan"]);
        const got = f32(join(dir, path));
        expect(got.length).toBe(256 * 256);
        if (method === "nearest") expect(sameArray(got, want.values), path).toBe(true);
        else {
          for (let i = 0; i < got.length; i++) if (Number.isNaN(got[i]!) !== Number.isNaN(want.values[i]!)) throw new Error(`${path}: nodata differs at ${i}`);
          const a = got.map((v) => (Number.isNaN(v) ? 0 : v));
          const b = want.values.map((v) => (Number.isNaN(v) ? 0 : v));
          expect(maxRelError(a, b), path).toBeLessThanOrEqual(1e-5);
        }
      }
    });
  }

  it("neighbouring tiles agree on their shared edge: together they equal one gdalwarp of both extents", async () => {
    const dir = tmp.file("tiles-nearest");
    const files = listTiles(dir).filter((p) => p.startsWith("9/"));
    const pairs = files.flatMap((p) => {
      const [z, x, y] = p.replace(/\.f32$/, "").split("/").map(Number) as [number, number, number];
      return files.includes(`${z}/${x + 1}/${y}.f32`) ? [[{ z, x, y }, { z, x: x + 1, y }]] : [];
    });
    expect(pairs.length).toBeGreaterThan(2);
    for (const [a, b] of pairs.slice(0, 4) as [TileId, TileId][]) {
      const ea = mercatorTileBounds(a);
      const eb = mercatorTileBounds(b);
      const both = gdalwarpFloat32(geo, tmp.file(`pair-${a.x}-${a.y}.tif`), ["-r", "near", "-t_srs", "EPSG:3857", "-te", String(ea.minX), String(ea.minY), String(eb.maxX), String(eb.maxY), "-ts", "512", "256", "-dstnodata", "nan"]);
      const left = f32(join(dir, `${a.z}/${a.x}/${a.y}.f32`));
      const right = f32(join(dir, `${b.z}/${b.x}/${b.y}.f32`));
      for (let row = 0; row < 256; row++) {
        expect(sameArray(left.subarray(row * 256, row * 256 + 256), both.values.subarray(row * 512, row * 512 + 256))).toBe(true);
        expect(sameArray(right.subarray(row * 256, row * 256 + 256), both.values.subarray(row * 512 + 256, row * 512 + 512))).toBe(true);
      }
    }
  });

  it("PNG tiles draw through a colormap with nodata transparent; a rewrite retracts the old manifest and removes tiles no longer listed", async () => {
    const dir = tmp.file("png");
    mkdirSync(join(dir, "3/0"), { recursive: true });
    writeFileSync(join(dir, "3/0/0.png"), "old");
    writeFileSync(join(dir, "_SUCCESS"), JSON.stringify({ version: 1, kind: "tiles", format: "png", token: "old", minZoom: 3, maxZoom: 3, tiles: [{ path: "3/0/0.png", bytes: 3 }], bytes: 3 }));
    const colormap = { stops: [[-20, [0, 0, 255]], [0, [255, 255, 255]], [20, [255, 0, 0, 200]]] as [number, number[]][] };
    const res = await openRaster(geo).sinkTiles(dir, { minZoom: 8, maxZoom: 8, format: "png", colormap, progress: false });
    expect(existsSync(join(dir, "3/0/0.png"))).toBe(false);
    const files = listTiles(dir);
    expect(files.length).toBe(res.tiles);
    const f32dir = tmp.file("tiles-nearest");
    let transparent = 0;
    let wrong = 0;
    for (const path of files) {
      const png = decode(readFileSync(join(dir, path)));
      expect([png.width, png.height, png.channels]).toEqual([256, 256, 4]);
      const values = f32(join(f32dir, path.replace(/\.png$/, ".f32")));
      const rgba = png.data as Uint8Array;
      for (let i = 0; i < values.length; i++) {
        const alpha = rgba[i * 4 + 3] as number;
        if (Number.isNaN(values[i]!)) { transparent++; if (alpha !== 0) wrong++; }
        else if (alpha === 0 || (values[i]! <= -20 && (rgba[i * 4] !== 0 || rgba[i * 4 + 2] !== 255))) wrong++;
      }
    }
    expect(transparent).toBeGreaterThan(0);
    expect(wrong).toBe(0);
  });

  it("refuses at plan time: PNG of a float band without a colormap, an unknown band, a zoom range past 24", async () => {
    const r = openRaster(geo);
    const dir = tmp.file("refused");
    await expect(r.sinkTiles(dir, { minZoom: 1, maxZoom: 2, format: "png" })).rejects.toMatchObject({ code: "RASTER_NEEDS_COLORMAP" });
    await expect(r.sinkTiles(dir, { minZoom: 1, maxZoom: 2, format: "f32", band: "nir" })).rejects.toMatchObject({ code: "RASTER_UNKNOWN_BAND", message: expect.stringContaining("geo.tif") });
    await expect(r.sinkTiles(dir, { minZoom: 1, maxZoom: 30, format: "f32" })).rejects.toMatchObject({ code: "RASTER_BAD_ZOOM" });
    expect(existsSync(dir)).toBe(false);
  });
});
