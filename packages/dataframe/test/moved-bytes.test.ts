// Data moved between workers is counted: a shuffle on two workers reports fetched bytes in the cluster's status.
import { describe, expect, it } from "vitest";
import { fromColumns } from "@tessera/dataframe";
import { col, len } from "@tessera/expr";
import { InProcessCluster } from "@tessera/cluster";

describe("bytes moved between workers", () => {
  it("workers count the dependency bytes they fetch from peers and report them on heartbeats", async () => {
    const cluster = await InProcessCluster.start({ workers: 2, threads: 0, heartbeatMs: 20 });
    try {
      const n = 20_000;
      const frame = fromColumns({ k: Array.from({ length: n }, (_, i) => i % 997), v: Array.from({ length: n }, (_, i) => i) }, { partitions: 8 });
      const out = await frame.groupBy("k").strategy("shuffle").agg(col("v").sum().alias("s"), len().alias("n")).collect({ client: cluster, progress: false });
      expect(out.numRows).toBe(997);
      // Wait for heartbeats to carry the counters (state, not time: bounded by the test timeout).
      let moved = 0;
      for (let i = 0; i < 500 && moved === 0; i++) {
        await new Promise<void>((r) => setImmediate(r));
        await cluster.settled();
        moved = cluster.scheduler.status().workers.reduce((a, w) => a + w.fetchedBytes, 0);
        if (moved === 0) await new Promise<void>((r) => setTimeout(r, 10));
      }
      expect(moved).toBeGreaterThan(0);
    } finally {
      await cluster.close();
    }
  });
});
