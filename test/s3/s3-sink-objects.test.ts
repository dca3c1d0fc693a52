// Fan-out sinks to s3:// (s3rver): the same objects as file://, the commit object last, bounded PUTs, retries past the store's own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, fromColumns } from "tessera";
import { tempDir } from "../support/files.js";
import { startFaultProxy, slowDown, type FaultProxy } from "./fault-proxy.js";
import { getText, listKeys, rawClient } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

let server: S3rverHandle;
let proxy: FaultProxy;
let direct: LocalCluster;
let faulty: LocalCluster;
let s3: ReturnType<typeof rawClient>;
let restoreEnv = (): void => undefined;

const REGIONS = Array.from({ length: 40 }, (_, i) => `Region ${i % 7}/${i}`);
const frame = () => fromColumns({ region: REGIONS, v: REGIONS.map((_, i) => i / 4), n: REGIONS.map((_, i) => BigInt(i)) }, { partitions: 3 });

beforeAll(async () => {
  server = await startS3rver({ buckets: ["out"] });
  proxy = await startFaultProxy(server.endpoint);
  restoreEnv = useS3Env(server);
  // Workers read the endpoint when their threads start: one cluster straight to s3rver, one through the fault proxy.
  direct = await LocalCluster.start({ workers: 1, threads: 2, processes: false });
  process.env["AWS_ENDPOINT_URL"] = proxy.endpoint;
  faulty = await LocalCluster.start({ workers: 1, threads: 1, processes: false });
  process.env["AWS_ENDPOINT_URL"] = server.endpoint;
  s3 = rawClient(server);
});
afterAll(async () => {
  await direct?.close();
  await faulty?.close();
  restoreEnv();
  await proxy?.close();
  await server?.close();
});

describe("sinkObjects to s3://", () => {
  it("writes the same keys and bytes as to file://, and the commit object is the last PUT", async () => {
    const dir = tempDir("sink-objects-s3");
    const opts = { path: "{region:levels}/v.csv", orderBy: "n", numberFormat: "python" as const };
    await frame().sinkObjects(dir, { ...opts, client: direct.client });
    await server.reset();
    const r = await frame().sinkObjects("s3://out/run", { ...opts, client: direct.client });
    const keys = (await listKeys(s3, "out", "run/")).map((k) => k.slice(4));
    expect(keys.length).toBe(REGIONS.length + 1);
    for (const k of keys.filter((x) => x !== "_SUCCESS")) expect(await getText(s3, "out", `run/${k}`), k).toBe(readFileSync(join(dir, k), "utf8"));
    expect(r.objects).toBe(REGIONS.length);
    const puts = (await server.requests()).filter((q) => q.method === "PUT");
    expect(puts.length).toBe(REGIONS.length + 1);
    expect(decodeURIComponent(puts.at(-1)!.url)).toMatch(/\/out\/run\/_SUCCESS/);
    expect(JSON.parse(await getText(s3, "out", "run/_SUCCESS"))).toMatchObject({ objects: REGIONS.length });
  });

  it("keeps at most `concurrency` PUTs in flight per partition", async () => {
    const slow = await startFaultProxy(server.endpoint, { delayMs: 30 });
    process.env["AWS_ENDPOINT_URL"] = slow.endpoint;
    const one = await LocalCluster.start({ workers: 1, threads: 1, processes: false });
    process.env["AWS_ENDPOINT_URL"] = server.endpoint;
    try {
      await fromColumns({ region: REGIONS, v: REGIONS.map((_, i) => i) }).sinkObjects("s3://out/bounded", { path: "{region}.csv", concurrency: 3, client: one.client });
      expect(slow.received()).toBe(REGIONS.length + 1);
      expect(slow.maxInFlight()).toBeLessThanOrEqual(3);
      expect(slow.maxInFlight()).toBeGreaterThanOrEqual(2);
    } finally {
      await one.close();
      await slow.close();
    }
  });

  it("retries a PUT that still fails after the store's own tries, and writes every object once it succeeds", async () => {
    proxy.reset();
    // The store tries each request 4 times; six 503s in a row exhaust it once for the first object, then the sink retries.
    proxy.queue(slowDown, slowDown, slowDown, slowDown, slowDown, slowDown);
    const small = fromColumns({ region: ["a", "b", "c"], v: [1, 2, 3] });
    const r = await small.sinkObjects("s3://out/retried", { path: "{region}.csv", concurrency: 1, attempts: 3, client: faulty.client });
    expect(r.objects).toBe(3);
    expect((await listKeys(s3, "out", "retried/")).sort()).toEqual(["retried/_SUCCESS", "retried/a.csv", "retried/b.csv", "retried/c.csv"]);
    expect(proxy.received()).toBe(4 + 6);
  });

  it("gives up after `attempts` and names the object; the commit object is not written", async () => {
    proxy.reset();
    proxy.queue(...Array.from({ length: 8 }, () => slowDown));
    const small = fromColumns({ region: ["a"], v: [1] });
    await expect(small.sinkObjects("s3://out/failed", { path: "{region}.csv", concurrency: 1, attempts: 2, client: faulty.client }))
      .rejects.toMatchObject({ code: "IO_WRITE", message: expect.stringMatching(/s3:\/\/out\/failed\/a\.csv/) });
    expect(await listKeys(s3, "out", "failed/")).toEqual([]);
  });
});
