// The storage each op's contract declares is complete: every production op runs, on args built by real lowering,
// against recording object stores, and every URL its handler reads or writes lies under a URL its storage(args) lists.
// (The scope check trusts these declarations: an op touching an undeclared URL would slip past it.)
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { col, fromColumns, scanCsv, scanParquet } from "tessera";
import type { Client } from "tessera";
import type { TaskGraph, TaskSpec } from "@tessera/graph";
import { topoOrder } from "@tessera/graph";
import { FileStore, MemoryStore, StorageScope, registerObjectStore } from "@tessera/io";
import type { ByteRange, ObjectStore } from "@tessera/io";
import { OP_NAMES, storageOf } from "@tessera/ops";
import { PRODUCTION_OPS } from "@tessera/worker";
import { tableRows } from "../support/compare.js";
import { tempDir } from "../support/files.js";

type Access = "read" | "write";
interface Touch { readonly task: TaskSpec; readonly access: Access; readonly method: string; readonly url: string }

/** The task whose handler is running now (the client below runs one at a time), and what handlers touched. */
let running: TaskSpec | null = null;
const touches: Touch[] = [];
const ran: TaskSpec[] = [];

/** Records every call a handler makes, with the task making it; calls outside a task (client planning, publishing) are the client's. */
function recording(inner: ObjectStore): ObjectStore {
  const note = (access: Access, method: string, url: string): void => {
    if (running !== null) touches.push({ task: running, access, method, url });
  };
  return {
    list: (prefix) => { note("read", "list", prefix); return inner.list(prefix); },
    head: (url) => { note("read", "head", url); return inner.head(url); },
    get: (url, range?: ByteRange) => { note("read", "get", url); return inner.get(url, range); },
    put: (url, bytes) => { note("write", "put", url); return inner.put(url, bytes); },
    delete: (url) => { note("write", "delete", url); return inner.delete(url); },
  };
}

/** Runs a graph task by task, in this process, through the production op table (args checked as on a worker). */
const sequential: Client = {
  async run(graph: TaskGraph) {
    const values = new Map<string, unknown>();
    for (const task of topoOrder(graph)) {
      const op = PRODUCTION_OPS[task.op];
      if (op === undefined) throw new Error(`not a production op: ${task.op}`);
      running = task;
      try {
        values.set(task.key, await op.run(task.args, task.deps.map((d) => values.get(d))));
      } finally {
        running = null;
      }
      ran.push(task);
    }
    return new Map(graph.outputs.map((k) => [k, values.get(k)]));
  },
  close: async () => undefined,
};

/** Whether `url` lies under one of `declared` (by whole path segments, after normalization, as the scope decides). */
const covered = (url: string, declared: readonly string[]): boolean => declared.length > 0 && StorageScope.of(declared).allows(url);

let dir = "";
beforeAll(async () => {
  registerObjectStore("file", recording(new FileStore()));
  registerObjectStore("memory", recording(new MemoryStore()));
  dir = tempDir("op-storage");
  mkdirSync(join(dir, "csv"));
  const lines = ["k,v"];
  for (let i = 0; i < 400; i++) lines.push(`${["a", "b/../c", "d"][i % 3]},${i}`);
  writeFileSync(join(dir, "csv", "in.csv"), `${lines.join("\n")}\n`);
});
afterAll(() => {
  registerObjectStore("file", new FileStore());
  registerObjectStore("memory", new MemoryStore());
});

/**
 * Plans whose lowering, between them, uses every production op, each checking its own answer. A new op adds a plan
 * here that lowers to it (its scope check is only as good as its storage(args)).
 */
const PLANS: readonly (readonly [string, () => Promise<void>])[] = [
  ["sinks with partition directories: Parquet and CSV, to files and memory://", async () => {
    const data = fromColumns({ k: ["x", "y", "x", "z", "y", "x"], v: [5, 3, 1, 4, 2, 6], w: [1.5, 2.5, 3.5, 4.5, 5.5, 6.5] }, { partitions: 3 });
    await data.sinkParquet(join(dir, "pq"), { partitionBy: "k", client: sequential });
    await data.sinkCsv(`file://${join(dir, "csv-out")}`, { partitionBy: ["k"], client: sequential });
    await data.sinkParquet("memory://bucket/pq", { client: sequential });
  }],
  ["a Parquet scan with Hive columns, filtered and aggregated", async () => {
    const agg = await scanParquet(join(dir, "pq")).filter(col("v").gt(1)).groupBy("k").agg(col("v").sum().alias("s")).sort("k").collect({ client: sequential });
    expect(tableRows(agg)).toEqual([{ k: "x", s: 11 }, { k: "y", s: 5 }, { k: "z", s: 4 }]);
  }],
  ["CSV byte ranges joined with a Parquet scan", async () => {
    const csv = scanCsv(join(dir, "csv", "in.csv"), { partitions: 4 });
    const joined = await csv.join(scanParquet(join(dir, "pq")).select(col("k"), col("w")), { on: "k", how: "inner" }).collect({ client: sequential });
    expect(joined.numRows).toBe(0);
  }],
  ["a range sort of CSV byte ranges (bounds, picks, sorted merges)", async () => {
    const sorted = await scanCsv(join(dir, "csv", "in.csv"), { partitions: 4 }).sort("v", { descending: true }).limit(3).collect({ client: sequential });
    expect(tableRows(sorted).map((r) => Number(r["v"]))).toEqual([399, 398, 397]);
  }],
  ["a memory:// dataset, repartitioned and sorted", async () => {
    const memory = await scanParquet("memory://bucket/pq").repartition(2).sort(["k", "v"]).collect({ client: sequential });
    expect(memory.numRows).toBe(6);
  }],
];

describe("every production op's declared storage", () => {
  it("covers every URL its handler touches, over plans that use every op", async () => {
    for (const [what, plan] of PLANS) {
      try {
        await plan();
      } catch (e) {
        throw new Error(`${what}: ${(e as Error).message}`, { cause: e });
      }
    }

    // Every op of the contract ran at least once: a new op fails here until a plan above lowers to it.
    expect([...new Set(ran.map((t) => t.op))].sort()).toEqual([...OP_NAMES].sort());
    // Handlers did touch storage (the recording works), and every touch lies under what the task declared.
    expect(touches.some((t) => t.access === "read" && t.task.op === "pipeline")).toBe(true);
    expect(touches.some((t) => t.access === "write" && t.task.op === "sink-part")).toBe(true);
    expect(touches.some((t) => t.task.op === "sink-commit")).toBe(true);
    const undeclared = touches.filter((t) => {
      const declared = storageOf(t.task.op, t.task.args);
      return !covered(t.url, t.access === "read" ? declared.reads : declared.writes);
    }).map((t) => `${t.task.op} ${t.method} ${t.url}`);
    expect(undeclared).toEqual([]);
    // Tasks that declare nothing touched nothing.
    const quiet = ran.filter((t) => { const d = storageOf(t.op, t.args); return d.reads.length + d.writes.length === 0; });
    expect(quiet.length).toBeGreaterThan(0);
    expect(touches.filter((t) => quiet.includes(t.task))).toEqual([]);
  });
});
