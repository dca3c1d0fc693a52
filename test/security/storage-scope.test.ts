// Attack: a client reads or writes storage outside the operator's scope (a file, a sink, .., percent-encoding, a
// symlink, another bucket). A scoped cluster of real processes refuses each at intake naming the URL and the scope;
// no task runs (the scheduler's counters), nothing is read (access times, a canary that would be copied, the S3
// server's log) and nothing is written (checked on disk and in the bucket). The workers check again on their own.
import { existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LocalCluster, connect, fromColumns, scanCsv, scanParquet } from "tessera";
import type { Client, RemoteClient } from "tessera";
import { tableRows } from "../support/compare.js";
import { closeDuck, duckRun, sqlString } from "../support/duck.js";
import { failure } from "../support/engine.js";
import { listFiles, tempDir } from "../support/files.js";
import { killAll, startScheduler, startWorker } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";
import { listKeys, rawClient, upload } from "../s3/s3-client.js";
import { startS3rver, useS3Env } from "../s3/s3rver-fixture.js";
import type { S3rverHandle } from "../s3/s3rver-fixture.js";
import { tamperingClient } from "./support/tamper.js";

const CANARY = "CANARY-7f3a91";
const SCHEMA = [{ name: "s", type: "utf8", nullable: true }, { name: "v", type: "int64", nullable: true }] as const;
let root = "";
let allowed = "";
let outside = "";
let s3: S3rverHandle;
let restoreEnv = (): void => undefined;
let scheduler: Proc;
let worker: Proc;
let dashboard = "";
let client: RemoteClient;
/** An unscoped scheduler whose one worker is scoped: what the worker's own check refuses. */
let looseScheduler: Proc;
let scopedWorker: Proc;
let looseClient: RemoteClient;
/** The files a read would touch, with their access times as set in beforeAll. */
const secrets: { path: string; atimeMs: number }[] = [];

const secret = (ext: "parquet" | "csv"): string => join(outside, `secret.${ext}`);
const decoy = (ext: "parquet" | "csv"): string => join(allowed, `in.${ext}`);
/** Task runs (finished or failed) the scheduler has counted since it started. */
async function taskRuns(): Promise<number> {
  const s = (await (await fetch(new URL("/api/status", dashboard))).json()) as { tasksFinishedTotal: number; tasksErredTotal: number };
  return s.tasksFinishedTotal + s.tasksErredTotal;
}
/** Every file under the test's root, relative to it. */
const tree = (): string[] => listFiles(root).map((f) => relative(root, f));
const untouched = (): void => {
  for (const s of secrets) expect(statSync(s.path).atimeMs, `${s.path} was read`).toBe(s.atimeMs);
};

/** Runs `attack` (which must fail) and checks the refusal: the code, the URL and the scope named, no task run. */
async function refused(attack: () => unknown, url: string, access: "read" | "write"): Promise<void> {
  const before = await taskRuns();
  const e = await failure(attack) as Error & { code?: string; details?: Record<string, unknown> };
  expect(e.code, e.message).toBe("STORAGE_OUT_OF_SCOPE");
  expect(e.message).toContain(`${access} of ${url} refused`);
  expect(e.message).toContain(`storage scope (${allowed}, s3://inside)`);
  expect(e.details).toMatchObject({ url, access, refused: "intake" });
  expect(await taskRuns()).toBe(before);
}

beforeAll(async () => {
  root = realpathSync(tempDir("scope"));
  allowed = join(root, "allowed");
  outside = join(root, "outside");
  mkdirSync(allowed);
  mkdirSync(outside);
  const rows = (s: string): string => `SELECT '${s}' || i AS s, i::BIGINT AS v FROM range(5) r(i)`;
  await duckRun(`COPY (${rows(CANARY)}) TO ${sqlString(secret("parquet"))} (FORMAT parquet)`);
  await duckRun(`COPY (${rows("inside-")}) TO ${sqlString(decoy("parquet"))} (FORMAT parquet)`);
  writeFileSync(secret("csv"), `s,v\n${CANARY},1\n`);
  writeFileSync(decoy("csv"), "s,v\ninside,1\n");
  symlinkSync(outside, join(allowed, "link"));                                 // a directory link leaving the scope
  symlinkSync(secret("parquet"), join(allowed, "secret-link.parquet"));        // a file link leaving it
  s3 = await startS3rver({ buckets: ["inside", "other-bucket"] });
  restoreEnv = useS3Env(s3);
  await upload(rawClient(s3), [decoy("parquet")], "inside", "data");
  await upload(rawClient(s3), [secret("parquet")], "other-bucket", "data");
  // Old access times (before the files' modification): any read moves them forward (relatime updates such an atime).
  for (const path of [secret("parquet"), secret("csv")]) {
    utimesSync(path, new Date("2001-01-01T00:00:00Z"), statSync(path).mtime);
    secrets.push({ path, atimeMs: statSync(path).atimeMs });
  }
  const env = { ...s3.env };
  let url: string;
  ({ proc: scheduler, url } = await startScheduler(env, ["--storage-scope", allowed, "--storage-scope", "s3://inside"]));
  dashboard = (await scheduler.waitFor(/dashboard at (http\S+)/))[1] as string;
  await scheduler.waitFor(/storage scope: /);
  ({ proc: worker } = await startWorker(scheduler, url, "sw1", { ...env, TESSERA_STORAGE_SCOPE: `${allowed},s3://inside` }));
  client = await connect(url, { token: null });
  let loose: string;
  ({ proc: looseScheduler, url: loose } = await startScheduler(env));
  ({ proc: scopedWorker } = await startWorker(looseScheduler, loose, "sw2", { ...env, TESSERA_STORAGE_SCOPE: `${allowed},s3://inside` }));
  looseClient = await connect(loose, { token: null });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await looseClient?.close();
  await killAll();
  await closeDuck();
  restoreEnv();
  await s3?.close();
});

describe("a scoped cluster (tessera scheduler --storage-scope DIR --storage-scope s3://inside)", () => {
  it("runs on a filesystem that records reads in access times (the proofs below rely on it)", () => {
    const probe = join(root, "probe");
    writeFileSync(probe, "x");
    utimesSync(probe, new Date("2001-01-01T00:00:00Z"), statSync(probe).mtime);
    const before = statSync(probe).atimeMs;
    readFileSync(probe);
    expect(statSync(probe).atimeMs).toBeGreaterThan(before);
    expect(scheduler.output()).toContain(`storage scope: ${allowed}, s3://inside`);
  });

  it("refuses a scan of a file outside the scope, as Parquet and as CSV", async () => {
    await refused(() => scanParquet(decoy("parquet")).collect({ client: tamperingClient(client, decoy("parquet"), secret("parquet")) }), secret("parquet"), "read");
    const csv = scanCsv(decoy("csv"), { schema: [...SCHEMA] });
    await refused(() => csv.collect({ client: tamperingClient(client, decoy("csv"), secret("csv")) }), secret("csv"), "read");
    untouched();
  });

  it("refuses a scan outside the scope whose rows would be copied inside it: no copy, no canary anywhere", async () => {
    const copy = join(allowed, "copy");
    const attack = tamperingClient(client, decoy("parquet"), secret("parquet"));
    await refused(() => scanParquet(decoy("parquet")).sinkCsv(copy, { client: attack }), secret("parquet"), "read");
    expect(existsSync(copy)).toBe(false);
    const leaked = tree().filter((f) => !f.startsWith("outside/") && readFileSync(join(root, f)).includes(CANARY));
    expect(leaked).toEqual([]);
    untouched();
  });

  it("refuses .., percent-encoded and symlink escapes from an allowed directory", async () => {
    const escapes = [
      `${allowed}/../outside/secret.parquet`,
      `file://${allowed}/%2e%2e/outside/secret.parquet`,
      `file://${allowed}/%2E%2E/outside/secret.parquet`,
      `${allowed}/link/secret.parquet`,
      `${allowed}/secret-link.parquet`,
    ];
    for (const url of escapes) {
      await refused(() => scanParquet(decoy("parquet")).collect({ client: tamperingClient(client, decoy("parquet"), url) }), url, "read");
    }
    untouched();
  });

  it("refuses a read of another bucket (and of a key climbing into it); the S3 server serves nothing of it", async () => {
    await s3.reset();
    const inside = "s3://inside/data/in.parquet";
    for (const url of ["s3://other-bucket/data/secret.parquet", "s3://inside/../other-bucket/data/secret.parquet", "s3://inside-other/x.parquet"]) {
      await refused(() => scanParquet(inside).collect({ client: tamperingClient(client, inside, url) }), url, "read");
    }
    const served = (await s3.requests()).map((r) => `${r.method} ${r.url}`);
    expect(served.length).toBeGreaterThan(0);  // the client planned on the decoy: the log is live
    expect(served.filter((r) => /other/.test(r))).toEqual([]);
  });

  it("refuses sinks outside the scope, through .., percent-encoding, a symlink or into another bucket; nothing is written", async () => {
    const frame = fromColumns({ s: [CANARY, "b"], v: [1, 2] });
    const before = tree();
    await refused(() => frame.sinkParquet(join(outside, "out"), { client }), join(outside, "out"), "write");
    const target = join(allowed, "decoy-out");
    for (const url of [`${allowed}/../outside/out`, `file://${allowed}/%2e%2e/outside/out`, `${allowed}/link/out`, "s3://other-bucket/out"]) {
      await refused(() => frame.sinkParquet(target, { client: tamperingClient(client, target, url), partitionBy: "s" }), url, "write");
    }
    expect(tree()).toEqual(before);
    expect(await listKeys(rawClient(s3), "other-bucket", "")).toEqual(["data/secret.parquet"]);
    expect(worker.output()).not.toMatch(/received its first task/);
  });
});

describe("the scoped worker behind an unscoped scheduler", () => {
  it("refuses the same reads and writes itself, before its op runs: nothing read or written", async () => {
    const before = tree();
    const read = await failure(() => scanParquet(decoy("parquet")).collect({ client: tamperingClient(looseClient, decoy("parquet"), `${allowed}/link/secret.parquet`) }));
    expect(read).toMatchObject({ code: "STORAGE_OUT_OF_SCOPE" });
    expect(read.message).toMatch(/^op pipeline \(scan-parquet\)/);
    expect(read.message).toContain(`read of ${allowed}/link/secret.parquet refused`);
    const target = join(allowed, "decoy-out");
    const write = await failure(() => fromColumns({ s: [CANARY], v: [1] }).sinkParquet(target, { client: tamperingClient(looseClient, target, join(outside, "out")) }));
    expect(write).toMatchObject({ code: "STORAGE_OUT_OF_SCOPE" });
    expect(write.message).toContain(`write of ${join(outside, "out")} refused`);
    expect(scopedWorker.output()).toMatch(/received its first task/);  // the tasks reached the worker, which refused them
    untouched();
    expect(tree().filter((f) => !before.includes(f) && !f.startsWith("allowed/decoy-out/"))).toEqual([]);
    expect(tree().some((f) => f.startsWith("outside/out"))).toBe(false);
  });
});

describe("work inside the scope", () => {
  it("runs: files and the bucket are read and written, and the tasks are counted", async () => {
    const before = await taskRuns();
    const local = tableRows(await scanParquet(decoy("parquet")).sort("v").collect({ client }));
    expect(local.map((r) => r["s"])).toEqual(["inside-0", "inside-1", "inside-2", "inside-3", "inside-4"]);
    await scanParquet("s3://inside/data/in.parquet").sinkParquet("s3://inside/out", { client });
    expect((await listKeys(rawClient(s3), "inside", "out/")).some((k) => k.endsWith("_SUCCESS"))).toBe(true);
    await scanParquet("s3://inside/data/in.parquet").sinkCsv(join(allowed, "kept"), { client, partitionBy: "v" });
    expect(listFiles(join(allowed, "kept"), ".csv")).toHaveLength(5);
    expect(await taskRuns()).toBeGreaterThan(before);
    expect(worker.output()).toMatch(/received its first task/);
    untouched();
  });
});

describe("without a scope (the embedded default)", () => {
  let cluster: LocalCluster;
  beforeAll(async () => { cluster = await LocalCluster.start({ processes: false, workers: 1, threads: 0 }); });
  afterAll(async () => { await cluster?.close(); });

  it("the same tampered graphs do read the canary and write outside: the refusals above are the scope's doing", async () => {
    const attack: Client = tamperingClient(cluster.client, decoy("parquet"), `file://${allowed}/%2e%2e/outside/secret.parquet`);
    const rows = tableRows(await scanParquet(decoy("parquet")).collect({ client: attack }));
    expect(rows.map((r) => r["s"])).toContain(`${CANARY}0`);
    expect(statSync(secret("parquet")).atimeMs).toBeGreaterThan(secrets[0]?.atimeMs ?? 0);
    const target = join(allowed, "decoy-out");
    await fromColumns({ s: [CANARY], v: [1] }).sinkParquet(target, { client: tamperingClient(cluster.client, target, `${allowed}/link/escaped`) });
    expect(listFiles(join(outside, "escaped")).length).toBeGreaterThan(0);
  });
});
