// An S3 endpoint nobody listens on: scans and sinks fail fast with IO_UNREACHABLE naming the endpoint and the URL.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, fromColumns, scanParquet } from "tessera";
import { failure } from "../support/engine.js";

let cluster: LocalCluster;
let endpoint = "";
const saved = { ...process.env };

/** A loopback port that was free a moment ago and is closed now: connections to it are refused at once. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, "127.0.0.1", resolve));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  endpoint = `http://127.0.0.1:${await closedPort()}`;
  Object.assign(process.env, {
    AWS_ENDPOINT_URL: endpoint, AWS_ACCESS_KEY_ID: "S3RVER", AWS_SECRET_ACCESS_KEY: "S3RVER", AWS_REGION: "us-east-1",
    AWS_EC2_METADATA_DISABLED: "true", AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  cluster = await LocalCluster.start({ workers: 1, threads: 1 });
});
afterAll(async () => {
  await cluster?.close();
  process.env = saved;
});

describe("an unreachable S3 endpoint", () => {
  it("fails a scan within seconds, naming the endpoint, the URL and the cause", async () => {
    const t0 = Date.now();
    const e = await failure(() => scanParquet("s3://bucket/data/*.parquet").collect({ client: cluster.client }));
    expect(Date.now() - t0).toBeLessThan(8_000);
    expect(e.code).toBe("IO_UNREACHABLE");
    expect(e.message).toContain(endpoint);
    expect(e.message).toContain("s3://bucket/data/");
    expect(e.message).toContain("ECONNREFUSED");
  });

  it("fails a sink within seconds the same way", async () => {
    const t0 = Date.now();
    const e = await failure(() => fromColumns({ x: [1, 2, 3] }).sinkParquet("s3://bucket/out", { client: cluster.client }));
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(e.code).toBe("IO_UNREACHABLE");
    expect(e.message).toContain("s3://bucket/out/");
  });
});
