// Scanning Parquet on S3 (s3rver): a projected, filtered scan fetches a small part of the bytes and matches DuckDB.
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlList, sqlString } from "../support/duck.js";
import { collectRows } from "../support/engine.js";
import { listFiles, tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";
import { rawClient, upload } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

let server: S3rverHandle;
let cluster: LocalCluster;
let restoreEnv = (): void => undefined;
let local: string[] = [];
let datasetBytes = 0;
/** The reader's speculative footer read (the last 8 KiB of a file); files here are larger than that. */
const FOOTER_READ = 8 * 1024;

beforeAll(async () => {
  server = await startS3rver({ buckets: ["data"] });
  restoreEnv = useS3Env(server);  // before the cluster starts: its worker threads copy the environment
  cluster = await LocalCluster.start({ workers: 1, threads: 2 });
  const g1 = await g1Parquet({ n: 300_000, k: 100 });
  const dir = tempDir("s3-scan");
  // Four files of about 75,000 rows, each in row groups of 20,000, clustered by id4 as a dataset partitioned by time would be.
  for (let i = 0; i < 4; i++) {
    await duckRun(`COPY (SELECT * FROM read_parquet(${sqlString(g1)}) WHERE id4 > ${i * 25} AND id4 <= ${(i + 1) * 25} ORDER BY id4)
      TO ${sqlString(`${dir}/g1-${i}.parquet`)} (FORMAT parquet, ROW_GROUP_SIZE 20000)`);
  }
  local = listFiles(dir, ".parquet");
  await upload(rawClient(server), local, "data", "g1");
  datasetBytes = local.reduce((s, f) => s + statSync(f).size, 0);
});
afterAll(async () => {
  await cluster?.close();
  await closeDuck();
  restoreEnv();
  await server?.close();
});

describe("Parquet on S3", () => {
  it("a scan selecting 1 of 9 columns with a selective filter fetches under 25% of the bytes and equals DuckDB", async () => {
    await server.reset();
    const frame = scanParquet("s3://data/g1/").filter(col("id4").eq(7)).select(col("v3"));
    const actual = await collectRows(frame, { client: cluster.client });
    const expected = await duckRows(`SELECT v3 FROM read_parquet(${sqlList(local)}) WHERE id4 = 7`);
    expect(expected.length).toBeGreaterThan(1000);
    expectSameRows(actual, expected, { exact: true });

    const log = await server.requests();
    const served = log.filter((r) => r.method === "GET").reduce((s, r) => s + r.bytes, 0);
    expect(served).toBeLessThan(0.25 * datasetBytes);
    // One listing for the scan; everything else is HEADs and ranged GETs (no whole-object reads).
    expect(log.filter((r) => r.url.includes("list-type=2")).length).toBe(1);
    const objectGets = log.filter((r) => r.method === "GET" && /\.parquet\?/.test(r.url));
    expect(objectGets.every((r) => r.range !== null)).toBe(true);
    // Row-group statistics leave only g1-0.parquet (id4 in 1..25) to read beyond the footers.
    const dataGets = objectGets.filter((r) => r.bytes !== FOOTER_READ);
    expect(new Set(dataGets.map((r) => r.url.split("?")[0]))).toEqual(new Set(["/data/g1/g1-0.parquet"]));
  });
});
