// A COG on s3:// (s3rver on loopback): a small window fetches its tiles in one ranged GET after the header read.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registerS3, storeFor } from "@tessera/io";
import { S3RVER_CREDENTIALS, startS3rver, type S3rverHandle } from "../../../test/s3/s3rver-fixture.js";
import { readRasterChunk } from "../src/index.js";
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
});
