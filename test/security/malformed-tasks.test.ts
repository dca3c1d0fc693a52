// Attack: test and benchmark ops in the production registry (make-array of any size), and args that make a handler
// allocate without bound. A production cluster refuses unknown ops and out-of-bound args at intake, naming the op
// and the field, with no task run; and a worker fed malformed tasks directly (behind a scheduler without that check)
// ends each in a coded error, stays in the cluster within bounded memory, and then answers a real job as DuckDB does.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, connect, fromColumns, len, scanCsv, scanParquet } from "tessera";
import type { Client, RemoteClient } from "tessera";
import { isTesseraError, mulberry32 } from "@tessera/common";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import { MAX_SPLIT } from "@tessera/ops";
import { SchedulerWsServer } from "@tessera/scheduler";
import { makeGraphAdmission } from "@tessera/worker";
import { diffRows, tableRows } from "../support/compare.js";
import { closeDuck, duckRows, duckRun, sqlString } from "../support/duck.js";
import { failure } from "../support/engine.js";
import { tempDir } from "../support/files.js";
import { killAll, tessera } from "../cluster/support/processes.js";
import type { Proc } from "../cluster/support/processes.js";
import { mutateTask } from "./support/task-mutations.js";
import { replaceStrings } from "./support/tamper.js";

const CASES = 1000;
const IN_FLIGHT = 8;
/** A case still running after this is a finding (a hang), not a wait. */
const CASE_TIMEOUT_MS = 20_000;
const WORKER_PEAK_BYTES = 1.5 * 2 ** 30;

let dir = "";
let parquetFile = "";
/** A production cluster: `tessera scheduler` and `tessera worker`, no op modules. */
let scheduler: Proc;
let worker: Proc;
let client: RemoteClient;
let dashboard = "";
/** A scheduler without an intake check (this process), and a real worker process behind it. */
let bare: SchedulerWsServer;
let bareWorker: Proc;
let bareClient: RemoteClient;
/** Graphs as lowering builds them, captured from real plans. */
const templates: TaskGraph[] = [];

/** Records the graph it is given and refuses to run it. */
const capture: Client = {
  run: (graph) => { templates.push(graph); return Promise.reject(new Error("captured")); },
  close: async () => undefined,
};

async function taskRuns(): Promise<number> {
  const s = (await (await fetch(new URL("/api/status", dashboard))).json()) as { tasksFinishedTotal: number; tasksErredTotal: number };
  return s.tasksFinishedTotal + s.tasksErredTotal;
}

const oneTask = (op: string, args: unknown, key = `${op}-task`): TaskGraph => ({ tasks: [{ key, op, args, deps: [] }], outputs: [key] });

function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m?.[1] ?? Number.NaN) * 1024;
}

beforeAll(async () => {
  dir = tempDir("malformed");
  parquetFile = join(dir, "t.parquet");
  await duckRun(`COPY (SELECT 'g' || (i % 7) AS g, (i * 0.5)::DOUBLE AS v, i::BIGINT AS n FROM range(2000) r(i)) TO ${sqlString(parquetFile)} (FORMAT parquet, ROW_GROUP_SIZE 500)`);
  const csvFile = join(dir, "t.csv");
  await duckRun(`COPY (SELECT 'g' || (i % 5) AS g, i AS v FROM range(600) r(i)) TO ${sqlString(csvFile)} (FORMAT csv, HEADER)`);
  const mem = fromColumns({ k: ["a", "b", "a", null, "c", "b"], v: [1, 2, 3, 4, 5, 6] }, { partitions: 2 });
  const other = fromColumns({ k: ["a", "b", "d"], w: [10, 20, 30] });
  const plans: (() => Promise<unknown>)[] = [
    () => scanParquet(parquetFile).filter(col("v").gt(3)).groupBy("g").agg(col("v").sum(), col("n").nUnique(), col("v").median().alias("m")).collect({ client: capture }),
    () => scanCsv(csvFile, { partitions: 3 }).sort("v", { descending: true }).collect({ client: capture }),
    () => mem.join(other, { on: "k", how: "left" }).unique().limit(3).collect({ client: capture }),
    () => mem.groupBy("k").head(1).withColumns(col("v").mul(2).alias("v2"), col("k").str.contains("a").alias("has")).collect({ client: capture }),
    () => mem.sinkParquet(join(dir, "sink"), { partitionBy: "k", client: capture }),
  ];
  for (const p of plans) await p().catch(() => undefined);

  ({ scheduler, dashboard } = await (async () => {
    const s = tessera(["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-port", "0"]);
    await s.waitFor(/listening on ws:/);
    return { scheduler: s, dashboard: (await s.waitFor(/dashboard at (http\S+)/))[1] as string };
  })());
  const url = (await scheduler.waitFor(/listening on (ws:\/\/\S+)/))[1] as string;
  worker = tessera(["worker", url, "--threads", "1", "--name", "prod1", "--memory-limit", "2GB"]);
  await scheduler.waitFor(/worker prod1 joined/);
  client = await connect(url, { token: null });

  bare = await SchedulerWsServer.start({ port: 0 });
  // Scoped to the test's directory: a mutated URL (a relative path, another task's token) cannot write anywhere else.
  bareWorker = tessera(["worker", bare.url, "--threads", "1", "--name", "bare1", "--memory-limit", "2GB"], { TESSERA_STORAGE_SCOPE: dir });
  await bareWorker.waitFor(/serving peers at/);
  bareClient = await connect(bare.url, { token: null });
}, 120_000);

afterAll(async () => {
  await client?.close();
  await bareClient?.close();
  await killAll();
  await bare?.close();
  await closeDuck();
});

describe("a production cluster (no op modules)", () => {
  it("refuses the test and benchmark ops at intake, naming each; no task runs", async () => {
    expect(templates.length).toBe(5);
    const before = await taskRuns();
    for (const [op, args] of [["make-array", { n: 2 ** 40 }], ["make-array", { n: 4 }], ["noop", null], ["sleep", { ms: 10 }], ["fail", null], ["sum-inputs", 1], ["thread-id", null]] as const) {
      const e = await failure(() => client.run(oneTask(op, args)));
      expect(e).toMatchObject({ code: "UNKNOWN_OP" });
      expect(e.message).toContain(`no op named ${op} is offered by this cluster`);
    }
    expect(await taskRuns()).toBe(before);
    expect(worker.output()).not.toMatch(/received its first task/);
  });

  it("refuses args past the bounds on what a handler allocates, at intake, naming the op and the field", async () => {
    const fields = [{ name: "x", type: "float64", nullable: false }];
    const pipeline = (steps: unknown[], data: unknown = { fields, columns: [{ kind: "num", type: "float64", length: 1, values: new Float64Array(1), valid: null }], length: 1 }) =>
      ({ source: { type: "memory", ref: "m", data }, steps, fields });
    const sort = { by: ["x"], descending: [false], nullsLast: [true] };
    const cases: [string, unknown, RegExp][] = [
      ["pipeline", pipeline([{ t: "evenSplit", n: 2 ** 30 }]), /\.n: 1073741824 is outside \[1, 65536\]/],
      ["pipeline", pipeline([{ t: "hashSplit", keys: ["x"], n: MAX_SPLIT + 1 }]), /\.n: 65537 is outside/],
      ["pipeline", pipeline([{ t: "sample", spec: sort, k: 2 ** 40 }]), /\.k: 1099511627776 is outside/],
      ["pipeline", pipeline([], { fields: [], columns: [], length: 2 ** 40 }), /\.length/],
      ["pipeline", pipeline([], { fields, columns: [{ kind: "num", type: "float64", length: 2 ** 31 - 1, values: new Float64Array(1), valid: null }], length: 2 ** 31 - 1 }), /\.values: expected a Float64Array of 2147483647/],
      ["range-bounds", { spec: sort, n: 2 ** 30 }, /\.n: 1073741824 is outside/],
      ["pick", { index: 2 ** 40 }, /\.index: 1099511627776 is outside/],
      ["sink-part", { url: join(dir, "x"), format: "parquet", index: 0, token: "t", partitionBy: [], fields, compression: "zstd", rowGroupSize: 2 ** 40 }, /\.rowGroupSize/],
      ["pipeline", pipeline([{ t: "filter", predicate: { op: "js", code: "process.exit(1)" } }]), /unknown op "js"/],
    ];
    const before = await taskRuns();
    for (const [op, args, field] of cases) {
      const e = await failure(() => client.run(oneTask(op, args)));
      expect(e, `${op} ${field}`).toMatchObject({ code: "BAD_OP_ARGS", details: { op } });
      expect(e.message).toMatch(field);
    }
    expect(await taskRuns()).toBe(before);
    expect(worker.output()).not.toMatch(/received its first task/);
  });
});

describe(`${CASES} malformed tasks sent straight to a worker (a scheduler without the intake check)`, () => {
  it("each end in a coded error or a result; intake would have refused every one the worker's contract check refused", async () => {
    const admit = makeGraphAdmission();
    const rand = mulberry32(8008);
    const outcomes = new Map<string, number>();
    const examples = new Map<string, string>();
    const findings: string[] = [];
    const cases = Array.from({ length: CASES }, (_, i) => {
      const g = templates[Math.floor(rand() * templates.length)] as TaskGraph;
      const target = Math.floor(rand() * g.tasks.length);
      // Keys made unique per case: equal keys are the same work to a scheduler, shared between jobs.
      const rekey = (k: string): string => `c${i}/${k}`;
      // Sink jobs get a token of their own: the captured one was abandoned (its abort marker is in the directory).
      const token = (g.tasks.find((t) => t.op === "sink-part")?.args as { token?: string } | undefined)?.token;
      const fresh = (args: unknown): unknown => (token === undefined ? args : replaceStrings(args, token, `${token.slice(0, 6)}${i.toString(16).padStart(6, "0")}`));
      // Some cases wire the task to other inputs instead (a split where a batch belongs, too few, too many).
      const rewire = rand() < 0.15 ? g.tasks.filter(() => rand() < 0.3).map((t) => rekey(t.key)).filter((k) => k !== rekey(g.tasks[target]?.key ?? "")) : null;
      const tasks = g.tasks.map((t, j) => {
        const renamed = { ...t, key: rekey(t.key), deps: t.deps.map(rekey), args: fresh(t.args) } as TaskSpec & { deps: string[] };
        if (j !== target) return { task: renamed, what: "" };
        return rewire !== null ? { task: { ...renamed, deps: rewire }, what: `inputs rewired (${rewire.length})` } : mutateTask(renamed, rand);
      });
      return { graph: { tasks: tasks.map((t) => t.task), outputs: g.outputs.map(rekey) } as TaskGraph, what: tasks[target]?.what ?? "", op: g.tasks[target]?.op };
    });
    let next = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: IN_FLIGHT }, async () => {
      while (next < cases.length) {
        const c = cases[next++] as (typeof cases)[number];
        let intake: string | null = null;
        try { admit(c.graph); } catch (e) { intake = (e as { code: string }).code; }
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error("no answer")), CASE_TIMEOUT_MS); });
        let outcome: string;
        try {
          await Promise.race([bareClient.run(c.graph), timeout]);
          outcome = "result";
        } catch (e) {
          if (!isTesseraError(e) || typeof e.code !== "string") {
            findings.push(`${c.op} ${c.what}: not a coded error: ${String(e).slice(0, 300)}`);
            continue;
          }
          outcome = `${e.category} ${e.code}`;
          // A throw nobody coded (a TypeError in a handler): a malformed task reached code that did not expect it.
          if (e.code === "INTERNAL") findings.push(`${c.op} ${c.what}: an uncoded error: ${e.message.slice(0, 300)}`);
          if (intake !== null && e.code !== intake) {
            findings.push(`${c.op} ${c.what}: intake says ${intake}, the worker ${e.code}`);
          }
        } finally {
          clearTimeout(timer);
        }
        if (intake !== null && outcome === "result") findings.push(`${c.op} ${c.what}: intake refuses (${intake}) what the worker ran`);
        const key = `${outcome}${intake !== null ? ` (intake: ${intake})` : ""}`;
        outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
        if (!examples.has(key)) examples.set(key, c.what);
      }
    }));
    const lines = [...outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `  ${v}  ${k}  (e.g. ${examples.get(k)?.slice(0, 120)})`);
    process.stdout.write(`malformed tasks: ${CASES} cases in ${((performance.now() - started) / 1000).toFixed(1)} s\n${lines.join("\n")}\n`);
    expect(findings).toEqual([]);
    expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(CASES);
    // The cases reach the handlers, not only the checks: some run, some fail past the contract.
    expect(outcomes.get("result") ?? 0).toBeGreaterThan(0);
    expect([...outcomes.keys()].some((k) => !k.includes("BAD_OP_ARGS") && !k.includes("UNKNOWN_OP") && k !== "result")).toBe(true);
  });

  it("leave the worker in the cluster, within bounded memory, answering a real job as DuckDB does", async () => {
    expect(bareWorker.child.exitCode).toBeNull();
    expect(bare.workers.size).toBe(1);
    const peak = peakRss(bareWorker.child.pid as number);
    process.stdout.write(`the worker's peak resident memory: ${(peak / 2 ** 20).toFixed(0)} MiB\n`);
    expect(peak).toBeLessThan(WORKER_PEAK_BYTES);
    const got = await scanParquet(parquetFile).filter(col("n").gt(10)).groupBy("g").agg(col("v").sum().alias("s"), len().alias("c")).collect({ client: bareClient });
    const expected = await duckRows(`SELECT g, sum(v) AS s, count(*) AS c FROM read_parquet(${sqlString(parquetFile)}) WHERE n > 10 GROUP BY g`);
    expect(diffRows(tableRows(got), expected, { keys: ["g"] })).toBeNull();
  });
});
