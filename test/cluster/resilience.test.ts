// A cluster that stays up, with real processes: a scheduler restarted on its journal resumes the job, workers drain to peers, a timed-out worker rejoins.
import { execFile } from "node:child_process";
import { cpSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, connect, scanParquet } from "tessera";
import type { LazyFrame, RemoteClient } from "tessera";
import { expectSameRows, tableRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { tempDir } from "../support/files.js";
import { CLI, dashboardUrl, freePort, killAll, startScheduler, startWorker } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

const FILES = 12;
const ROWS_PER_FILE = 20_000;
const SLOW = `${fileURLToPath(new URL("../fixtures/batch-fns.mjs", import.meta.url))}#slowIdentity`;
const FIELDS = [
  { name: "id", type: "int32" as const, nullable: true }, { name: "g", type: "utf8" as const, nullable: true },
  { name: "v", type: "float64" as const, nullable: true },
];
const SQL = "SELECT g, sum(v) AS s, count(id) AS n FROM facts GROUP BY g";
let dir = "";
let glob = "";
let journal = "";
let port = 0;
let url = "";
let scheduler: Proc;
const workers = new Map<string, Proc>();
let client: RemoteClient;

interface Status { tasksRecomputedTotal: number; workers: { id: string; heldResults: number; heldBytes: number; fetchedBytes: number; lastSeen: number }[] }
const status = async (): Promise<Status> => (await (await fetch(new URL("/api/status", dashboardUrl(scheduler)))).json()) as Status;

/** Polls `read` (every 100 ms, for at most 20 s) until `ok` holds of what it returns, and returns that. */
async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > deadline) return v;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A group-by whose 12 partitions each pass a 250 ms user function: it runs long enough to be interrupted. */
const slowGroupBy = (): LazyFrame => scanParquet(glob, { partitions: FILES }).mapBatches(SLOW, { schema: FIELDS })
  .groupBy("g").agg(col("v").sum().alias("s"), col("id").count().alias("n"));

beforeAll(async () => {
  dir = tempDir("resilience");
  mkdirSync(`${dir}/facts`);
  for (let f = 0; f < FILES; f++) {
    await duckRun(`COPY (SELECT (${f * ROWS_PER_FILE} + i)::INTEGER AS id, 'g' || ((i * 7 + ${f}) % 30) AS g, ((i * 37 + ${f}) % 1000) / 10.0 AS v
      FROM range(${ROWS_PER_FILE}) t(i)) TO ${sqlString(`${dir}/facts/part-${String(f).padStart(2, "0")}.parquet`)} (FORMAT parquet)`);
  }
  glob = `${dir}/facts/*.parquet`;
  await duckRun(`CREATE TABLE facts AS SELECT * FROM read_parquet(${sqlString(glob)})`);
  process.env.TESSERA_FUNCTIONS_DIR = dirname(SLOW.split("#")[0] as string);
  journal = `${dir}/journal`;
  port = await freePort();
  ({ proc: scheduler, url } = await startScheduler({}, ["--port", String(port), "--journal", journal]));
  for (const name of ["w1", "w2", "w3"]) workers.set(name, (await startWorker(scheduler, url, name)).proc);
  client = await connect(url, { token: null });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await killAll();
  await closeDuck();
});

describe("a cluster that stays up (real processes)", () => {
  it("a scheduler SIGKILLed mid-job and restarted on its journal: DuckDB's answer, no client error, nothing held recomputed", async () => {
    let killed: Promise<void> | null = null;
    let restartedAt = 0;
    const crashCopy = `${dir}/journal-at-crash`;
    const got = slowGroupBy().collect({
      client,
      progress: (p) => {
        if (killed !== null || p.done < 4 || p.done >= p.total) return;
        scheduler.child.kill("SIGKILL");
        killed = scheduler.exited().then(async () => {
          cpSync(journal, crashCopy, { recursive: true });
          restartedAt = performance.now();
          ({ proc: scheduler } = await startScheduler({}, ["--port", String(port), "--journal", journal]));
        });
      },
    });
    const table = await got;
    expect(killed).not.toBeNull();
    await killed;
    expectSameRows(tableRows(table), await duckRows(SQL), { keys: ["g"] });
    await scheduler.waitFor(/resumed from the journal: 1 jobs of 1 clients/);
    await scheduler.waitFor(/job client-1\/job-1 done/);
    for (const w of workers.keys()) await scheduler.waitFor(new RegExp(`worker ${w} joined`));
    expect(scheduler.output()).toMatch(/worker w\d reports \d+ results it holds/);
    expect(performance.now() - restartedAt).toBeGreaterThan(0);
    // Every worker survived: what they held was adopted, nothing was computed twice.
    expect((await status()).tasksRecomputedTotal).toBe(0);

    // The journal as the crash left it replays offline through the state machine, deciding as recorded.
    const replay = await promisify(execFile)(process.execPath, [CLI, "replay", crashCopy], { timeout: 60_000 });
    expect(replay.stdout).toMatch(/every stimulus decided as recorded/);
    expect(replay.stdout).toMatch(/jobs kept at the end: client-1\/job-1/);
    expect(replay.stdout).toMatch(/\n {2}\d\d:\d\d:\d\d\.\d{3} {2}waiting -> processing +\S+/);
  });

  it("SIGTERM drains a worker: its results are fetched by its peers and nothing is recomputed", async () => {
    const persisted = await scanParquet(glob, { partitions: FILES }).persist({ client });
    // Fetch counts arrive with heartbeats: count from a heartbeat of every worker sent after the persist ended.
    const persistedAt = Date.now();
    const before = await until(status, (s) => s.workers.every((w) => w.lastSeen > persistedAt));
    expect(before.workers.every((w) => w.lastSeen > persistedAt)).toBe(true);
    const victim = before.workers.find((w) => w.heldResults > 0);
    expect(victim).toBeDefined();
    const { id, heldResults, heldBytes } = victim as Status["workers"][number];
    const fetchedBefore = before.workers.filter((w) => w.id !== id).reduce((n, w) => n + w.fetchedBytes, 0);
    const proc = workers.get(id) as Proc;
    proc.child.kill("SIGTERM");
    expect(await proc.exited()).toBe(0);
    workers.delete(id);
    const m = await scheduler.waitFor(new RegExp(`worker ${id} drained: (\\d+) results \\((\\d+) bytes\\) moved to peers`));
    expect(Number(m[1])).toBe(heldResults);
    const moved = Number(m[2]);
    // The bytes the peers received (as they measure what they decoded) are the bytes their heartbeats say they fetched.
    expect(moved).toBeGreaterThan(heldBytes / 2);
    const after = await until(status, (s) => s.workers.reduce((n, w) => n + w.fetchedBytes, 0) - fetchedBefore >= moved);
    expect(after.workers.map((w) => w.id)).not.toContain(id);
    expect(after.workers.reduce((n, w) => n + w.fetchedBytes, 0) - fetchedBefore).toBe(moved);
    expect(after.workers.reduce((n, w) => n + w.heldResults, 0)).toBe(FILES);
    expect(after.tasksRecomputedTotal).toBe(0);
    const q = persisted.groupBy("g").agg(col("v").sum().alias("s"), col("id").count().alias("n"));
    expectSameRows(tableRows(await q.collect({ client })), await duckRows(SQL), { keys: ["g"] });
    expect((await status()).tasksRecomputedTotal).toBe(0);

    // `tessera worker --drain NAME` drains another through the scheduler.
    workers.set("w4", (await startWorker(scheduler, url, "w4")).proc);
    const next = (await status()).workers.find((w) => w.heldResults > 0 && w.id !== "w4") as Status["workers"][number];
    const drained = await promisify(execFile)(process.execPath, [CLI, "worker", "--drain", next.id, url], { timeout: 60_000, env: { ...process.env, TESSERA_SCHEDULER: "" } });
    expect(drained.stdout).toMatch(new RegExp(`worker ${next.id} drained in [\\d.]+ s: ${next.heldResults} results \\(\\d+ bytes\\) moved to peers`));
    expect(await (workers.get(next.id) as Proc).exited()).toBe(0);
    workers.delete(next.id);
    expectSameRows(tableRows(await q.collect({ client })), await duckRows(SQL), { keys: ["g"] });
    expect((await status()).tasksRecomputedTotal).toBe(0);
    await persisted.release();
  });

  it("a worker dropped for silence is told to rejoin, drops what it held and joins again as new", async () => {
    const w5 = (await startWorker(scheduler, url, "w5")).proc;
    workers.set("w5", w5);
    w5.child.kill("SIGSTOP");
    await scheduler.waitFor(/worker w5 silent for 5 pings: dropping it and telling it to rejoin/, 20_000);
    w5.child.kill("SIGCONT");
    await w5.waitFor(/the scheduler removed this worker \(silent for 5 pings\); rejoining as new/);
    await scheduler.waitFor(/worker w5 joined[\s\S]*worker w5 joined/);
    expect(scheduler.output()).not.toMatch(/worker w5 reports/);
    const got = await scanParquet(glob).groupBy("g").agg(col("v").sum().alias("s"), col("id").count().alias("n")).collect({ client });
    expectSameRows(tableRows(got), await duckRows(SQL), { keys: ["g"] });
  });
});
