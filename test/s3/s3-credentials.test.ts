// Credentials the server refuses: scans and sinks fail with IO_ACCESS_DENIED naming the URL, and nothing is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, fromColumns, scanParquet } from "tessera";
import { failure } from "../support/engine.js";
import { listKeys, rawClient } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

let server: S3rverHandle;
let cluster: LocalCluster;
let restoreEnv = (): void => undefined;

beforeAll(async () => {
  server = await startS3rver({ buckets: ["locked"] });
  restoreEnv = useS3Env(server);
  // s3rver refuses access key ids it does not know (InvalidAccessKeyId); it does not verify SigV4 signatures,
  // so a wrong secret for its own key would pass there: this tests the refused-key case only.
  process.env["AWS_ACCESS_KEY_ID"] = "AKIA-NOT-A-KEY";
  process.env["AWS_SECRET_ACCESS_KEY"] = "wrong";
  cluster = await LocalCluster.start({ workers: 1, threads: 1 });
});
afterAll(async () => {
  await cluster?.close();
  restoreEnv();
  await server?.close();
});

describe("refused credentials", () => {
  it("fail a scan with IO_ACCESS_DENIED naming the URL and the cause", async () => {
    const e = await failure(() => scanParquet("s3://locked/data/x.parquet").collect({ client: cluster.client }));
    expect(e.code).toBe("IO_ACCESS_DENIED");
    expect(e.message).toContain("s3://locked/data/x.parquet");
    expect(e.message).toMatch(/credentials were refused|permission denied/);
  });

  it("fail a sink with IO_ACCESS_DENIED and leave nothing behind", async () => {
    const e = await failure(() => fromColumns({ x: [1, 2, 3] }, { partitions: 2 }).sinkParquet("s3://locked/out", { client: cluster.client }));
    expect(e.code).toBe("IO_ACCESS_DENIED");
    expect(e.message).toContain("s3://locked/out/");
    expect(e.message).toContain("InvalidAccessKeyId");
    expect(await listKeys(rawClient(server), "locked", "")).toEqual([]);
  });
});
