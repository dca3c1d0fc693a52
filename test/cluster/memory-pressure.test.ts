// Memory pressure for real: a group-by whose data is about twice the workers' combined memory limits finishes by
// spilling, equals DuckDB's answer, and keeps each worker process's peak RSS within its limit plus a stated margin.
// CI: G1 1e6 q10 on 2 workers at 55 MB. TESSERA_SPILL=long: G1 1e7 q10 on 2 workers at 512 MB (run once for figures).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, connect, len, parseBytes, scanParquet } from "tessera";
import type { RemoteClient } from "tessera";
import { closeDuck, duckRows, sqlString } from "../support/duck.js";
import { tempDir } from "../support/files.js";
import { g1Parquet } from "../support/g1.js";
import { dashboardUrl, killAll, startScheduler, tessera } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

const LONG = process.env["TESSERA_SPILL"] === "long";
const ROWS = LONG ? 10_000_000 : 1_000_000;
const LIMIT = LONG ? "512MB" : "55MB";
/**
 * The stated margin: a worker process's peak RSS stays within its memory limit, plus its idle RSS (Node, V8, the
 * pool thread, the modules: measured before the job), plus this allowance per pool thread for the working set of
 * the task it runs (a Parquet row group decoded, a partition's aggregation, its output) and allocator slack.
 */
const WORKING_SET_PER_THREAD = 256 * 1024 * 1024;
/** glibc settings the README recommends for workers (LocalCluster sets them): freed memory goes back to the system. */
const MALLOC_ENV = { MALLOC_ARENA_MAX: "2", MALLOC_MMAP_THRESHOLD_: "131072" };
const ARTIFACTS = fileURLToPath(new URL("../../test-artifacts/", import.meta.url));
const IDS = ["id1", "id2", "id3", "id4", "id5", "id6"];

let dir = "";
let g1 = "";
let scheduler: Proc;
let url = "";
const workers: Proc[] = [];
let client: RemoteClient;

/** A Linux process's memory figure from /proc (VmRSS now, VmHWM its peak), in bytes. */
function procMemory(p: Proc, field: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(readFileSync(`/proc/${p.child.pid}/status`, "utf8"));
  if (m === null) throw new Error(`no ${field} for process ${p.child.pid}`);
  return Number(m[1]) * 1024;
}

beforeAll(async () => {
  dir = tempDir("memory-pressure");
  g1 = await g1Parquet({ n: ROWS });
  ({ proc: scheduler, url } = await startScheduler());
  for (const name of ["m1", "m2"]) {
    const p = tessera(["worker", url, "--threads", "1", "--name", name, "--memory-limit", LIMIT, "--spill-dir", dir], MALLOC_ENV);
    await p.waitFor(/serving peers at/);
    await scheduler.waitFor(new RegExp(`worker ${name} joined`));
    workers.push(p);
  }
  client = await connect(url, { token: null });
}, 600_000);

afterAll(async () => {
  await client?.close();
  await killAll();
  await closeDuck();
});

describe(`memory pressure: G1 ${ROWS.toExponential(0)} q10 on 2 workers at ${LIMIT}`, () => {
  it("finishes by spilling, with DuckDB's answer, each worker's peak RSS within its limit plus the stated margin", async () => {
    const limit = parseBytes(LIMIT);
    const idle = workers.map((w) => procMemory(w, "VmRSS"));
    const spilled = [0, 0];
    const dash = dashboardUrl(scheduler);
    let polling = true;
    const poll = (async () => {
      while (polling) {
        const s = (await (await fetch(new URL("/api/status", dash))).json()) as { workers: { id: string; spilled: number | null }[] };
        s.workers.forEach((w) => { const i = w.id === "m1" ? 0 : 1; spilled[i] = Math.max(spilled[i] as number, w.spilled ?? 0); });
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    })();
    const out = `${dir}/q10`;
    const t0 = performance.now();
    // A sink, not a collect: the answer (as many rows as groups) stays on the workers and DuckDB reads it from disk.
    const written = await scanParquet(g1).groupBy(...IDS).agg(col("v3").sum().alias("v3"), len().alias("count")).sinkParquet(out, { client, progress: false });
    const seconds = (performance.now() - t0) / 1000;
    polling = false;
    await poll;
    const peaks = workers.map((w) => procMemory(w, "VmHWM"));

    // The data the job made (every task's result), against the workers' combined limits.
    const status = (await (await fetch(new URL("/api/status", dash))).json()) as { jobs: { clientId: string; jobId: string }[] };
    const job = status.jobs[0] as { clientId: string; jobId: string };
    const graph = (await (await fetch(new URL(`/api/graph?job=${job.clientId}/${job.jobId}`, dash))).json()) as { stages: { name: string; nbytes: number }[] };
    const data = graph.stages.reduce((n, s) => n + s.nbytes, 0);
    const figures = {
      rows: ROWS, limitPerWorker: limit, workers: 2, dataBytes: data, dataOverCombinedLimits: data / (2 * limit), seconds,
      idleRss: idle, peakRss: peaks, maxSpilled: spilled, marginPerWorker: peaks.map((p, i) => p - limit - (idle[i] as number)),
      allowed: idle.map((i) => limit + i + WORKING_SET_PER_THREAD),
    };
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, `spill-${LONG ? "long" : "ci"}.json`), `${JSON.stringify(figures, null, 2)}\n`);
    process.stdout.write(`memory pressure: ${JSON.stringify(figures)}\n`);
    expect(data).toBeGreaterThan(1.5 * 2 * limit);
    // The cluster spilled (heartbeats report the bytes on disk at that moment: a worker whose share of the data
    // spilled only briefly may show none, so the sum is what is checked).
    expect(spilled.reduce((n, b) => n + b, 0)).toBeGreaterThan(0);

    // DuckDB's answer, group by group.
    const manifest = JSON.parse(readFileSync(`${out}/_SUCCESS`, "utf8")) as { files: { path: string }[]; rows: number };
    const parts = `[${manifest.files.map((f) => sqlString(`${out}/${f.path}`)).join(", ")}]`;
    const keys = IDS.join(", ");
    const [diff] = await duckRows(`
      WITH d AS (SELECT ${keys}, sum(v3) AS v3, count(*) AS count FROM read_parquet(${sqlString(g1)}) GROUP BY ${keys}),
           t AS (SELECT * FROM read_parquet(${parts}))
      SELECT (SELECT count(*) FROM d) AS groups, (SELECT count(*) FROM t) AS rows,
             (SELECT count(*) FROM d FULL JOIN t USING (${keys})
               WHERE t.count IS DISTINCT FROM d.count OR abs(t.v3 - d.v3) > 1e-9 * greatest(1, abs(d.v3))) AS differing`);
    expect(Number(diff?.["differing"])).toBe(0);
    expect(Number(diff?.["rows"])).toBe(Number(diff?.["groups"]));
    expect(written.rows).toBe(Number(diff?.["groups"]));

    peaks.forEach((peak, i) => expect(peak).toBeLessThanOrEqual(limit + (idle[i] as number) + WORKING_SET_PER_THREAD));
  }, LONG ? 1_800_000 : 240_000);
});
