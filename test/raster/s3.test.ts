// A COG on s3:// (s3rver on loopback) through the engine on a worker process: zonal statistics of a small zone fetch
// a small fraction of the file (counted at s3rver), with ranged GETs only and no listing, and equal the local answer.
import { readFileSync, statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, openRaster } from "tessera";
import { tableRows } from "../support/compare.js";
import { rawClient, upload } from "../s3/s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "../s3/s3rver-fixture.js";
import { makeWarpSource, sameArray, tempDir } from "./support.js";

let server: S3rverHandle;
let cluster: LocalCluster;
let restoreEnv = (): void => undefined;
const tmp = tempDir("e2e-s3");
const local = tmp.file("cog.tif");
const url = "s3://rasters/scenes/cog.tif";

beforeAll(async () => {
  server = await startS3rver({ buckets: ["rasters"] });
  restoreEnv = useS3Env(server);  // before the cluster starts: its workers take the environment
  cluster = await LocalCluster.start({ workers: 1, threads: 2 });
  makeWarpSource(local, tmp.file("cog.bin"), "EPSG:32633", ["500000", "4600000", "510240", "4589760"]);
  await upload(rawClient(server), [local], "rasters", "scenes");
});
afterAll(async () => {
  await cluster?.close();
  restoreEnv();
  await server?.close();
  tmp.cleanup();
});

describe("a COG on s3://", () => {
  it("zonal statistics of a small zone fetch under an eighth of the file, with ranged GETs and no listing", async () => {
    // About 25 × 20 pixels inside one 256-pixel tile of a 1024² file (its pixels 300..325 × 300..320).
    const zone = { type: "Polygon", coordinates: [[[503000, 4597000], [503250, 4597000], [503130, 4596800], [503000, 4597000]]] };
    const frame = (u: string) => openRaster(u, { chunkSize: 512 }).zonalStats(zone, { crs: "EPSG:32633", stats: ["count", "sum", "mean"] });
    await server.reset();
    const got = tableRows(await frame(url).collect({ client: cluster.client, progress: false }));
    const log = await server.requests();
    const served = log.filter((r) => r.method === "GET").reduce((s, r) => s + r.bytes, 0);
    const size = statSync(local).size;
    expect(served).toBeGreaterThan(0);
    expect(served).toBeLessThan(size / 8);
    expect(log.some((r) => r.url.includes("list-type=2"))).toBe(false);
    expect(log.filter((r) => r.method === "GET").every((r) => r.range !== null)).toBe(true);
    expect(got[0]!["count"]).toBeGreaterThan(100);
    expect(got).toEqual(tableRows(await frame(local).collect({ client: cluster.client, progress: false })));
  });

  it("a regrid of the s3:// COG equals the same regrid of the local file", async () => {
    const a = await openRaster(url, { chunkSize: 256 }).reproject("EPSG:4326", { method: "bilinear" }).collect({ client: cluster.client, progress: false });
    const b = await openRaster(local, { chunkSize: 512 }).reproject("EPSG:4326", { method: "bilinear" }).collect({ client: cluster.client, progress: false });
    expect(a.grid).toEqual(b.grid);
    expect(sameArray(a.band("b1"), b.band("b1"))).toBe(true);
    expect(readFileSync(local).length).toBe(statSync(local).size);
  });
});
