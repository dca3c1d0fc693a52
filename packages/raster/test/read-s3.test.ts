// A COG on s3:// (s3rver on loopback): a small window fetches its tiles in one ranged GET after the header read.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerS3, storeFor } from "@tessera/io";
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from "../../../test/s3/s3rver-fixture.js";
import { chunkWindows, chunksUnderZones, readRasterChunk, readRasterMeta, zonalFinalize, zonalMerge, zonalPartial, zonesToPixels } from "../src/index.js";
import { gdal, pattern, sameBytes, tempDir, writeEnvi } from "./gdal.js";

describe("COG over s3://", () => {
  let server: S3rverHandle;
  const tmp = tempDir("s3");
  let local = "";
  const url = "s3://rasters/cog.tif";

  beforeAll(async () => {
    server = await startS3rver({ buckets: ["rasters"] });
    registerS3({ endpoint: server.endpoint, credentials: S3RVER_CREDENTIALS });
    const raw = tmp.file("src.bin");
    writeEnvi(raw, 1024, 1024, [pattern("float32", 1 << 20, 8)], "float32");
    local = tmp.file("cog.tif");
    gdal("gdal_translate", ["-q", "-of", "COG", "-a_srs", "EPSG:3857", "-a_ullr", "0", "1024", "1024", "0",
      "-co", "COMPRESS=DEFLATE", "-co", "PREDICTOR=YES", "-co", "BLOCKSIZE=256", raw, local]);
    await storeFor(url).put(url, new Uint8Array(readFileSync(local)));
  });
  afterAll(async () => {
    tmp.cleanup();
    await server?.close();
  });

  it("reads a one-tile window with HEAD, a header GET and one tile GET, a small fraction of the file", async () => {
    await server.reset();
    const c = await readRasterChunk(url, { window: { x: 512, y: 256, width: 256, height: 256 } });
    const log = await server.requests();
    expect(log.map((r) => r.method)).toEqual(["HEAD", "GET", "GET"]);
    expect(log.every((r) => r.method === "HEAD" || /^bytes=\d+-\d+$/.test(r.range ?? ""))).toBe(true);
    const size = readFileSync(local).length;
    expect(await server.bytesServed()).toBeLessThan(size / 8);
    const same = await readRasterChunk(local, { window: { x: 512, y: 256, width: 256, height: 256 } });
    expect(sameBytes(c.data[0]!, same.data[0]!)).toBe(true);
  });

  it("zonal statistics of a small zone read only the chunks under it: a small fraction of the file's bytes", async () => {
    const meta = await readRasterMeta(url);
    const zones = zonesToPixels([{ id: 7, polygons: [[[[300.5, 700.2], [420.7, 690.1], [380.3, 610.9], [300.5, 700.2]]]] }], meta.grid, "EPSG:3857");
    const windows = chunksUnderZones(zones, chunkWindows(meta.grid, meta.block, 256));
    expect(windows.length).toBeLessThanOrEqual(2);
    await server.reset();
    const parts = await Promise.all(windows.map(async (w) => zonalPartial(await readRasterChunk(url, { window: w }), { zones, rule: "center" })));
    const rows = zonalFinalize(zonalMerge(parts), zones, meta.bands, ["count"]);
    expect(rows.length).toBe(1);
    const size = readFileSync(local).length;
    const served = await server.bytesServed();
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(size / 6);
    expect((await server.requests()).some((r) => r.method === "GET" && r.range === null)).toBe(false);
  });
});
