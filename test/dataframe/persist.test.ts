// persist(): partitions held in the workers' memory; later queries read no files; release() frees them.
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromColumns, len, scanParquet } from "tessera";
import { duckRows, duckRun } from "../support/duck.js";
import { expectSameRows, tableRows } from "../support/compare.js";
import { tempDir } from "../support/files.js";

let cluster: LocalCluster;
let path: string;

beforeAll(async () => {
  path = `${tempDir("persist")}/data.parquet`;
  await duckRun(`COPY (SELECT i % 7 AS k, CAST(i * 0.5 AS DOUBLE) AS v FROM range(50000) t(i)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 5000)`);
  cluster = await LocalCluster.start({ workers: 2, threads: 1 });
});
afterAll(async () => { await cluster?.close(); });

describe("persist", () => {
  it("keeps partitions in memory: queries still answer after the file is gone, until release()", async () => {
    const expected = await duckRows(`SELECT k, sum(v) AS s, count(*) AS n FROM '${path}' WHERE v > 100 GROUP BY k`);
    const persisted = await scanParquet(path, { partitions: 4 }).filter(col("v").gt(100)).persist({ client: cluster.client });
    rmSync(path);
    const q = persisted.groupBy("k").agg(col("v").sum().alias("s"), len().alias("n"));
    expectSameRows(tableRows(await q.collect({ client: cluster.client })), expected, { keys: ["k"] });
    // A second query over the same persisted partitions.
    const total = await persisted.select(len().alias("n")).collect({ client: cluster.client });
    expect(Number(total.getChild("n")?.get(0))).toBe(expected.reduce((a, r) => a + Number(r.n), 0));
    expect(await persisted.explain()).toMatch(/Scan persisted partitions=4/);
    await persisted.release();
    await expect(q.collect({ client: cluster.client })).rejects.toMatchObject({ name: "PlanError", code: "PERSIST_RELEASED" });
  });

  it("persisting the same plan again after a release gives a frame that runs", async () => {
    const plan = () => fromColumns({ k: [1, 2, 2], v: [1.5, 2.5, 3.5] }, { partitions: 2 }).filter(col("v").gt(2));
    const source = plan();
    const first = await source.persist({ client: cluster.client });
    await first.release();
    const second = await source.persist({ client: cluster.client });
    const t = await second.select(len().alias("n")).collect({ client: cluster.client });
    expect(Number(t.getChild("n")?.get(0))).toBe(2);
    await second.release();
  });
});
