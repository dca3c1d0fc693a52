// LocalCluster.start runs a scheduler and worker processes via the CLI: a client, a dashboard URL, a clean close.
import { afterAll, describe, expect, it } from "vitest";
import { LocalCluster, col, fromColumns } from "tessera";
import { tableRows } from "../support/compare.js";

let cluster: LocalCluster | undefined;
afterAll(async () => { await cluster?.close(); });

describe("LocalCluster with processes", () => {
  it("runs a job on 2 worker processes, shows them on its dashboard, and stops them on close", async () => {
    cluster = await LocalCluster.start({ workers: 2, threads: 1, memoryLimit: "1GB", dashboardPort: 0 });
    const frame = fromColumns({ k: [1, 2, 1, 2, 3], v: [10, 20, 30, 40, 50] }, { partitions: 3 });
    const got = tableRows(await frame.groupBy("k").agg(col("v").sum().alias("s")).sort("k").collect({ client: cluster.client }));
    expect(got.map((r) => [r["k"], r["s"]])).toEqual([[1, 40], [2, 60], [3, 50]]);
    expect(cluster.dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    const status = (await (await fetch(new URL("/api/status", cluster.dashboardUrl as string))).json()) as { workers: unknown[] };
    expect(status.workers.length).toBe(2);
    const url = cluster.dashboardUrl as string;
    await cluster.close();
    cluster = undefined;
    // The scheduler process is gone, and its dashboard with it.
    await expect(fetch(new URL("/api/status", url))).rejects.toThrow();
  });
});
