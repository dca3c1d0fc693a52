// The embedded cluster returns dead results to the system: a GC on the main thread after a job that grew the process.
import { afterAll, describe, expect, it } from "vitest";
import type { TaskGraph } from "@tessera/graph";
import { InProcessCluster } from "@tessera/cluster";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

/** `count` arrays of `n` doubles each, all outputs. */
function arrays(prefix: string, count: number, n: number): TaskGraph {
  const tasks = Array.from({ length: count }, (_, i) => ({ key: `${prefix}-${i}`, op: "make-array", args: { n }, deps: [] }));
  return { tasks, outputs: tasks.map((t) => t.key) };
}

/** Waits (a turn of the event loop at a time, at most `ms`) until `ok()`; returns whether it held. */
async function until(ok: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 5));
  }
  return true;
}

const MiB = 1 << 20;

describe("InProcessCluster garbage collection after jobs", () => {
  const clusters: InProcessCluster[] = [];
  afterAll(async () => { await Promise.all(clusters.map((c) => c.close())); });

  // First in the file, so the process has not grown or shrunk before (the guard measures growth from its start).
  it("leaves growth of the JavaScript heap to V8: a large graph's task records cause no collection", async () => {
    const cluster = await InProcessCluster.start({ workers: 2, threads: 0, opModules: [TEST_OPS_MODULE], collectGarbage: 32 * MiB, heartbeatMs: 0 });
    clusters.push(cluster);
    // 50,000 no-op tasks in groups of 100: their records on the client, scheduler and workers take far more than 32 MiB.
    const tasks = [];
    for (let g = 0; g < 500; g++) {
      const leaves = Array.from({ length: 99 }, (_, i) => ({ key: `leaf-${g}-${i}`, op: "noop", args: null, deps: [] as string[] }));
      tasks.push(...leaves, { key: `sink-${g}`, op: "noop", args: null, deps: leaves.map((t) => t.key) });
    }
    const heapBefore = process.memoryUsage().heapTotal;
    let heapPeak = heapBefore;
    const sampler = setInterval(() => { heapPeak = Math.max(heapPeak, process.memoryUsage().heapTotal); }, 5);
    const results = await cluster.run({ tasks, outputs: tasks.filter((t) => t.key.startsWith("sink")).map((t) => t.key) });
    clearInterval(sampler);
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapTotal);
    expect(results.size).toBe(500);
    expect(heapPeak - heapBefore).toBeGreaterThan(32 * MiB);
    // The check after the job ran and asked for nothing.
    expect(await until(() => (cluster.garbage?.checks ?? 0) >= 1, 10_000)).toBe(true);
    expect(cluster.garbage?.collections).toBe(0);
  });

  it("collects after a job that grew the process past the threshold, and the dropped results leave", async () => {
    const cluster = await InProcessCluster.start({ threads: 1, opModules: [TEST_OPS_MODULE], collectGarbage: 64 * MiB, heartbeatMs: 0 });
    clusters.push(cluster);
    const before = process.memoryUsage.rss();
    let results: Map<string, unknown> | null = await cluster.run(arrays("big", 3, 1 << 24));
    expect([...results.values()].every((v) => v instanceof Float64Array && v.length === 1 << 24)).toBe(true);
    const grown = process.memoryUsage.rss();
    expect(grown - before).toBeGreaterThan(256 * MiB);
    results = null;
    expect(await until(() => cluster.garbage?.collections === 1, 10_000)).toBe(true);
    // The arrays were the only large memory: resident memory falls back by most of what they took.
    expect(await until(() => process.memoryUsage.rss() < grown - 200 * MiB, 10_000)).toBe(true);
    // A small job grows nothing: its check (waited for) asks for no further collection.
    const checks = cluster.garbage?.checks ?? 0;
    await cluster.run(arrays("small", 2, 1000));
    expect(await until(() => (cluster.garbage?.checks ?? 0) > checks, 10_000)).toBe(true);
    expect(cluster.garbage?.collections).toBe(1);
  });

  it("never collects with collectGarbage: false", async () => {
    const cluster = await InProcessCluster.start({ threads: 1, opModules: [TEST_OPS_MODULE], collectGarbage: false, heartbeatMs: 0 });
    clusters.push(cluster);
    expect(cluster.garbage).toBeNull();
    expect((await cluster.run(arrays("x", 1, 1 << 20))).size).toBe(1);
  });
});
