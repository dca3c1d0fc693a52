// A cluster whose workers' memory limit is below the job's data spills to disk and still gets the right answer.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { fromColumns } from "@tessera/dataframe";
import type { LazyFrame } from "@tessera/dataframe";
import { col, len } from "@tessera/expr";
import { InProcessCluster } from "@tessera/cluster";
import { SpillingStore } from "@tessera/worker";

const N = 30_000;
const k = Array.from({ length: N }, (_, i) => (i * 7919) % 3001);
const v = Array.from({ length: N }, (_, i) => ((i * 31) % 1000) / 10);
const s = Array.from({ length: N }, (_, i) => `name-${(i * 13) % 211}`);
const frame = (): LazyFrame => fromColumns({ k, v, s }, { partitions: 12 });

const parent = mkdtempSync(join(tmpdir(), "tessera-spill-cluster-"));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

async function runBoth(q: (f: LazyFrame) => LazyFrame): Promise<{ small: unknown[]; big: unknown[]; spilled: number; dirs: string[] }> {
  // 32 KiB per worker, against ~0.7 MB of input columns: most partitions must spill.
  const limited = await InProcessCluster.start({ workers: 2, threads: 0, memoryLimit: 32 * 1024, spillDir: parent, validate: true });
  const free = await InProcessCluster.start({ workers: 2, threads: 0, memoryLimit: 1 << 30 });
  try {
    const small = (await q(frame()).collect({ client: limited, progress: false })).toArray().map((r) => r.toJSON());
    const big = (await q(frame()).collect({ client: free, progress: false })).toArray().map((r) => r.toJSON());
    const stores = limited.workers.map((w) => w.store as SpillingStore);
    expect(stores.every((st) => st instanceof SpillingStore)).toBe(true);
    return { small, big, spilled: stores.reduce((a, st) => a + st.spilledTotal, 0), dirs: readdirSync(parent) };
  } finally {
    await limited.close();
    await free.close();
  }
}

describe("InProcessCluster with a memory limit below the job's data", () => {
  it("spills while aggregating by group and returns the same answer as without the limit", async () => {
    const r = await runBoth((f) => f.groupBy("k").agg(col("v").sum().alias("v"), len().alias("n")).sort("k"));
    expect(r.spilled).toBeGreaterThan(0);
    expect(r.small).toHaveLength(3001);
    expect(r.small).toEqual(r.big);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("spills the splits of a sort (arrays of batches) and reads them back exactly", async () => {
    const r = await runBoth((f) => f.sort(["s", "v"]));
    expect(r.spilled).toBeGreaterThan(0);
    expect(r.small).toHaveLength(N);
    expect(r.small).toEqual(r.big);
  });
});
