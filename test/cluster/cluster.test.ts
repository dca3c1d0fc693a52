// A real cluster on 127.0.0.1 (scheduler + 3 worker processes via the CLI): answers equal DuckDB's, survive a SIGKILLed worker, late workers get tasks.
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, connect, scanParquet } from "tessera";
import type { RemoteClient } from "tessera";
import { expectSameRows, tableRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { tempDir } from "../support/files.js";
import { killAll, startScheduler, startWorker } from "./support/processes.js";
import type { Proc } from "./support/processes.js";

const FILES = 12;
const ROWS_PER_FILE = 40_000;
let dir = "";
let glob = "";
let dimPath = "";
let scheduler: Proc;
let url = "";
const workers = new Map<string, Proc>();
let client: RemoteClient;

beforeAll(async () => {
  dir = tempDir("cluster");
  mkdirSync(`${dir}/facts`);
  for (let f = 0; f < FILES; f++) {
    await duckRun(`COPY (SELECT (${f * ROWS_PER_FILE} + i)::INTEGER AS id, 'g' || ((i * 7 + ${f}) % 40) AS g, ((i * 13 + ${f}) % 500)::INTEGER AS k,
      ((i * 37 + ${f}) % 1000) / 10.0 AS v FROM range(${ROWS_PER_FILE}) t(i)) TO ${sqlString(`${dir}/facts/part-${String(f).padStart(2, "0")}.parquet`)} (FORMAT parquet)`);
  }
  dimPath = `${dir}/dim.parquet`;
  await duckRun(`COPY (SELECT i::INTEGER AS k, 'name-' || (i % 23) AS name, (i % 5)::INTEGER AS w FROM range(500) t(i)) TO ${sqlString(dimPath)} (FORMAT parquet)`);
  glob = `${dir}/facts/*.parquet`;
  await duckRun(`CREATE TABLE facts AS SELECT * FROM read_parquet(${sqlString(glob)})`);
  await duckRun(`CREATE TABLE dim AS SELECT * FROM read_parquet(${sqlString(dimPath)})`);
  // The workers may load the test's user functions (mapBatches) from the fixtures directory.
  process.env.TESSERA_FUNCTIONS_DIR = dirname(SLOW.split("#")[0] as string);
  ({ proc: scheduler, url } = await startScheduler());
  for (const name of ["w1", "w2", "w3"]) workers.set(name, (await startWorker(scheduler, url, name)).proc);
  client = await connect(url, { token: null });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await killAll();
  await closeDuck();
});

const groupBy = () => scanParquet(glob).groupBy("g").agg(col("v").sum().alias("s"), col("v").mean().alias("m"), col("id").count().alias("n"));
const GROUP_BY_SQL = "SELECT g, sum(v) AS s, avg(v) AS m, count(id) AS n FROM facts GROUP BY g";
const join = () => scanParquet(glob).join(scanParquet(dimPath), { on: "k", how: "inner" })
  .groupBy("name").agg(col("v").mul(col("w")).sum().alias("vw"), col("id").count().alias("n"));
const JOIN_SQL = "SELECT name, sum(v * w) AS vw, count(id) AS n FROM facts JOIN dim USING (k) GROUP BY name";
/** The same join, with every facts partition passing through a 250 ms user function: the job surely runs while a worker dies. */
const SLOW = `${fileURLToPath(new URL("../fixtures/batch-fns.mjs", import.meta.url))}#slowIdentity`;
const FACTS_FIELDS = [
  { name: "id", type: "int32" as const, nullable: true }, { name: "g", type: "utf8" as const, nullable: true },
  { name: "k", type: "int32" as const, nullable: true }, { name: "v", type: "float64" as const, nullable: true },
];
const slowJoin = () => scanParquet(glob, { partitions: FILES }).mapBatches(SLOW, { schema: FACTS_FIELDS })
  .join(scanParquet(dimPath), { on: "k", how: "inner" })
  .groupBy("name").agg(col("v").mul(col("w")).sum().alias("vw"), col("id").count().alias("n"));

describe("scheduler + 3 workers as processes", () => {
  it("a group-by over a multi-file Parquet dataset equals DuckDB's answer", async () => {
    const got = await groupBy().collect({ client });
    expectSameRows(tableRows(got), await duckRows(GROUP_BY_SQL), { keys: ["g"] });
    await scheduler.waitFor(/job client-\d+\/job-1 done/);
  });

  it("a join then group-by equals DuckDB's answer", async () => {
    const got = await join().collect({ client });
    expectSameRows(tableRows(got), await duckRows(JOIN_SQL), { keys: ["name"] });
  });

  it("with a worker SIGKILLed while tasks run, the answer is still equal", async () => {
    const victim = workers.get("w2") as Proc;
    let killed = false;
    const got = await slowJoin().collect({
      client,
      progress: (p) => {
        if (!killed && p.done > 0 && p.done < p.total) {
          killed = true;
          victim.child.kill("SIGKILL");
        }
      },
    });
    expect(killed).toBe(true);
    expectSameRows(tableRows(got), await duckRows(JOIN_SQL), { keys: ["name"] });
    await scheduler.waitFor(/worker w2 lost/);
    // The loss was seen before this job finished: the job really ran through the recovery.
    const out = scheduler.output();
    const lost = out.indexOf("worker w2 lost");
    const done = out.indexOf("job client-1/job-3 done");
    expect(lost).toBeGreaterThan(0);
    expect(done).toBeGreaterThan(lost);
    workers.delete("w2");
  });

  it("a worker started during a job receives tasks", async () => {
    // 400 tasks of 30 ms on 2 single-thread workers: ~6 s, so the late worker joins while tasks wait in the queue.
    const tasks = Array.from({ length: 400 }, (_, i) => ({ key: `sleep-${i}`, op: "sleep", args: { ms: 30, value: i }, deps: [] }));
    const graph = { tasks: [...tasks, { key: "total", op: "sum-inputs", args: 0, deps: tasks.map((t) => t.key) }], outputs: ["total"] };
    let late: Promise<unknown> | null = null;
    const values = await client.run(graph, {
      onProgress: (p) => {
        if (late === null && p.done > 0) late = startWorker(scheduler, url, "w4").then((w) => workers.set("w4", w.proc));
      },
    });
    expect(values.get("total")).toBe((399 * 400) / 2);
    expect(late).not.toBeNull();
    await late;
    const m = await scheduler.waitFor(/job client-1\/job-4 done: .* w4=(\d+)/);
    expect(Number(m[1])).toBeGreaterThan(0);
    await (workers.get("w4") as Proc).waitFor(/received its first task/);
  });

  it("a sink whose worker is SIGKILLed mid-write publishes a manifest listing each part once, all present", async () => {
    const out = `${dir}/sunk`;
    const victim = workers.get("w4") as Proc;
    let killed = false;
    const res = await scanParquet(glob, { partitions: FILES }).mapBatches(SLOW, { schema: FACTS_FIELDS }).sinkParquet(out, {
      client,
      progress: (p) => {
        if (!killed && p.done > 0 && p.done < p.total) {
          killed = true;
          victim.child.kill("SIGKILL");
        }
      },
    });
    expect(killed).toBe(true);
    await scheduler.waitFor(/worker w4 lost/);
    workers.delete("w4");
    const manifest = JSON.parse(readFileSync(`${out}/_SUCCESS`, "utf8")) as { files: { path: string; rows: number }[]; rows: number };
    const parts = manifest.files.map((f) => /part-(\d+)-/.exec(f.path)?.[1]);
    expect(new Set(parts).size).toBe(parts.length);
    expect(parts).toHaveLength(FILES);
    for (const f of manifest.files) expect(existsSync(`${out}/${f.path}`)).toBe(true);
    expect(manifest.rows).toBe(FILES * ROWS_PER_FILE);
    expect(res.rows).toBe(FILES * ROWS_PER_FILE);
    const list = manifest.files.map((f) => sqlString(`${out}/${f.path}`)).join(", ");
    expectSameRows(await duckRows(`SELECT count(*) AS n, sum(v) AS s, count(DISTINCT id) AS ids FROM read_parquet([${list}])`),
      await duckRows("SELECT count(*) AS n, sum(v) AS s, count(DISTINCT id) AS ids FROM facts"));
  });

  it("the same script gives the same answer plainly and with TESSERA_SCHEDULER", async () => {
    const script = fileURLToPath(new URL("./fixtures/same-script.mjs", import.meta.url));
    const run = promisify(execFile);
    const env = { ...process.env, TESSERA_SCHEDULER: "", TESSERA_TOKEN: "" };
    const plain = await run(process.execPath, [script, glob], { env, timeout: 60_000 });
    const remote = await run(process.execPath, [script, glob], { env: { ...env, TESSERA_SCHEDULER: url }, timeout: 60_000 });
    expect(plain.stdout.length).toBeGreaterThan(10);
    expect(remote.stdout).toBe(plain.stdout);
    await scheduler.waitFor(/client client-2 connected/);
  });

  it("a hung worker (SIGSTOP: socket open, no answers) is removed within seconds by the pings", async () => {
    const w3 = workers.get("w3") as Proc;
    const t0 = Date.now();
    w3.child.kill("SIGSTOP");
    await scheduler.waitFor(/worker w3 lost/, 20_000);
    expect(Date.now() - t0).toBeLessThan(15_000);
    w3.child.kill("SIGKILL");
    workers.delete("w3");
    // The cluster still answers with the workers left.
    const got = await groupBy().collect({ client });
    expectSameRows(tableRows(got), await duckRows(GROUP_BY_SQL), { keys: ["g"] });
  });

  it("SIGTERM drains a worker and then the scheduler, each exiting 0", async () => {
    const w1 = workers.get("w1") as Proc;
    w1.child.kill("SIGTERM");
    expect(await w1.exited()).toBe(0);
    await scheduler.waitFor(/worker w1 lost/);
    await client.close();
    scheduler.child.kill("SIGTERM");
    expect(await scheduler.exited()).toBe(0);
    expect(scheduler.output()).toMatch(/SIGTERM: draining/);
  });
});
