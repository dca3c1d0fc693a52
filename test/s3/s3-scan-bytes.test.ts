// Bytes a projected, filtered scan fetches from S3 (s3rver), against the bytes of the column chunks it needs.
import { statSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, scanParquet } from "tessera";
import { expectSameRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, duckValue, sqlList, sqlString } from "../support/duck.js";
import { collectRows } from "../support/engine.js";
import { listFiles, tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";
import { rawClient, upload } from "./s3-client.js";
import { startS3rver, useS3Env, type S3rverHandle } from "./s3rver-fixture.js";

let server: S3rverHandle;
let cluster: LocalCluster;
let restoreEnv = (): void => undefined;
let local: string[] = [];

beforeAll(async () => {
  server = await startS3rver({ buckets: ["data"] });
  restoreEnv = useS3Env(server);  // before the cluster starts: its worker threads copy the environment
  cluster = await LocalCluster.start({ workers: 1, threads: 2 });
  const g1 = await g1Parquet({ n: 600_000, k: 100 });
  const dir = tempDir("s3-scan-bytes");
  // Four files clustered by id4 (as a dataset partitioned by time would be), in row groups of 25,000 rows.
  for (let i = 0; i < 4; i++) {
    await duckRun(`COPY (SELECT * FROM read_parquet(${sqlString(g1)}) WHERE id4 > ${i * 25} AND id4 <= ${(i + 1) * 25} ORDER BY id4)
      TO ${sqlString(`${dir}/g1-${i}.parquet`)} (FORMAT parquet, ROW_GROUP_SIZE 25000)`);
  }
  local = listFiles(dir, ".parquet");
  await upload(rawClient(server), local, "data", "g1");
});
afterAll(async () => {
  await cluster?.close();
  await closeDuck();
  restoreEnv();
  await server?.close();
});

/**
 * Bytes of the column chunks of `columns` in the row groups whose `column` statistics admit `value` (what a reader
 * pruning by statistics must fetch), and the footers' exact sizes; from DuckDB's parquet_metadata, not Tessera.
 */
async function neededBytes(columns: readonly string[], column: string, value: number): Promise<{ chunks: number; footers: number; files: Set<string> }> {
  const rows = await duckRows(`
    WITH m AS (SELECT file_name, row_group_id, path_in_schema, stats_min_value, stats_max_value, total_compressed_size
      FROM parquet_metadata(${sqlList(local)})),
    kept AS (SELECT file_name, row_group_id FROM m WHERE path_in_schema = ${sqlString(column)}
      AND CAST(stats_min_value AS INT) <= ${value} AND CAST(stats_max_value AS INT) >= ${value})
    SELECT m.file_name AS file, sum(total_compressed_size)::BIGINT AS bytes FROM m JOIN kept USING (file_name, row_group_id)
    WHERE path_in_schema IN (${columns.map(sqlString).join(", ")}) GROUP BY m.file_name`);
  const footers = Number(await duckValue(`SELECT sum(footer_size)::BIGINT FROM parquet_file_metadata(${sqlList(local)})`));
  return {
    chunks: rows.reduce((s, r) => s + Number(r["bytes"]), 0),
    footers: footers + 8 * local.length,
    files: new Set(rows.map((r) => String(r["file"]).split("/").pop() as string)),
  };
}

describe("S3 scan bytes", () => {
  it("a projected, filtered scan fetches at most 1.15x the bytes of the column chunks it needs, each footer once", async () => {
    await server.reset();
    const frame = scanParquet("s3://data/g1/").filter(col("id4").eq(7)).select(col("v3"), col("id1"));
    const actual = await collectRows(frame, { client: cluster.client });
    expectSameRows(actual, await duckRows(`SELECT v3, id1 FROM read_parquet(${sqlList(local)}) WHERE id4 = 7`), { exact: true });

    const need = await neededBytes(["v3", "id1", "id4"], "id4", 7);
    expect(need.files).toEqual(new Set(["g1-0.parquet"]));
    const log = await server.requests();
    const gets = log.filter((r) => r.method === "GET" && /\.parquet\?/.test(r.url));
    expect(gets.every((r) => r.range !== null)).toBe(true);
    const fetched = gets.reduce((s, r) => s + r.bytes, 0);
    // Each file's footer is read while planning, once: a tail read reaching the end of the object.
    const sizes = new Map(local.map((f) => [f.split("/").pop() as string, statSync(f).size]));
    const tails = gets.filter((r) => {
      const file = r.url.split("?")[0]?.split("/").pop() as string;
      const end = Number(/-(\d+)$/.exec(r.range ?? "")?.[1]);
      return end === (sizes.get(file) as number) - 1;
    });
    expect(tails.length).toBe(local.length);
    console.log(`s3 scan: fetched ${fetched} bytes; column chunks needed ${need.chunks} (ratio ${(fetched / need.chunks).toFixed(3)}); ` +
      `footers ${need.footers}; ${gets.length} GETs, ${log.filter((r) => r.method === "HEAD").length} HEADs`);
    expect(fetched).toBeLessThanOrEqual(1.15 * need.chunks);
  });
});
