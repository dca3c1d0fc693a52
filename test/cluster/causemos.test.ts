// The Causemos pipeline on real clusters: the same object tree on 1, 2 and 4 worker processes as on the embedded
// default, and with a worker SIGKILLed while the month outputs are being written.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, connect } from "tessera";
import type { RemoteClient } from "tessera";
import { compareTrees, formatDifferences, generateModelOutput, runCausemos } from "@tessera/causemos";
import type { CausemosParams } from "@tessera/causemos";
import { tempDir } from "../support/files.js";
import { killAll, startScheduler, startWorker } from "./support/processes.js";

let dir = "";
let params: Partial<CausemosParams>;

/** Objects under a run tree (a recursive walk of the directory). */
function count(root: string): number {
  if (!existsSync(root)) return 0;
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

beforeAll(async () => {
  dir = tempDir("causemos-cluster");
  const input = join(dir, "input");
  await generateModelOutput({ points: 120, features: 2, months: 3, perMonth: 2, seed: 3, partitions: 3, censusFeature: "population" }).sinkParquet(input, { progress: false });
  params = { model_id: "m", run_id: "r", data_paths: [input], qualifier_map: { feature1: ["scenario"], feature2: ["scenario"] } };
  await runCausemos(params, { out: join(dir, "reference") });
}, 180_000);

afterAll(async () => { await killAll(); });

describe("Causemos on real clusters", () => {
  it.each([1, 2, 4])("writes the embedded default's tree on %i worker process(es)", async (workers) => {
    const cluster = await LocalCluster.start({ workers, threads: 1 });
    try {
      const out = join(dir, `workers-${workers}`);
      const r = await runCausemos(params, { out, client: cluster.client, partitions: 4 });
      expect(r.written.objects).toBe(count(join(dir, "reference")));
      expect(formatDifferences(await compareTrees(join(dir, "reference"), out))).toBe("no differences");
    } finally {
      await cluster.close();
    }
  });

  it("writes the same tree when a worker is SIGKILLed mid-run; the scheduler's map lists the finished run", async () => {
    const out = join(dir, "killed");
    const { proc: scheduler, url } = await startScheduler({}, ["--outputs", out]);
    const victim = await startWorker(scheduler, url, "victim");
    await startWorker(scheduler, url, "survivor");
    const client: RemoteClient = await connect(url, { token: null });
    try {
      const month = join(out, "m", "r", "month");
      let killed = false;
      // Kill the first worker as soon as month objects start to appear: the month outputs job is running then.
      const watch = setInterval(() => {
        if (!killed && count(month) > 0) {
          killed = true;
          victim.proc.child.kill("SIGKILL");
        }
      }, 5);
      const r = await runCausemos(params, { out, client, partitions: 4 }).finally(() => clearInterval(watch));
      expect(killed).toBe(true);
      await scheduler.waitFor(/worker victim lost/);
      expect(r.written.objects).toBe(count(join(dir, "reference")));
      expect(formatDifferences(await compareTrees(join(dir, "reference"), out))).toBe("no differences");
      const dashboard = /dashboard at (http\S+)/.exec(scheduler.output())?.[1] as string;
      const runs = (await (await fetch(new URL("/api/map/runs", dashboard))).json()) as { runs: { id: string; finished: boolean; hasTiles: boolean }[] };
      expect(runs.runs).toEqual([expect.objectContaining({ id: "m/r", finished: true, hasTiles: true })]);
    } finally {
      await client.close();
    }
  });
});
