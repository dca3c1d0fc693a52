// The terminal progress bar: the stage under way, tasks, bytes read and time; drawn only for jobs longer than a second.
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { fromColumns, formatProgress, terminalProgress } from "@tessera/dataframe";
import { col, len } from "@tessera/expr";
import { InProcessCluster } from "@tessera/cluster";
import type { Progress } from "@tessera/client";

const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => { for (const f of cleanup) await f(); });

describe("progress bar", () => {
  it("names the first unfinished stage, counts tasks and bytes read, and estimates the time left", () => {
    const p: Progress = {
      done: 30, total: 60, elapsedMs: 12_000,
      stages: [{ name: "scan-parquet", done: 20, total: 20, nbytes: 1_250_000 }, { name: "agg-final", done: 10, total: 40, nbytes: 800 }],
    };
    expect(formatProgress(p)).toBe("[############------------] stage 2/2 agg-final 10/40 · 30/60 tasks · read 1.3 MB · 12s eta 12s");
    expect(formatProgress({ done: 2, total: 2, elapsedMs: 61_000 })).toBe("[########################] 2/2 tasks · 1m01s");
  });

  it("draws on the stream given (a long job, with the stages a real cluster reports) and ends with a newline", async () => {
    const cluster = await InProcessCluster.start({ workers: 2, threads: 0, progressIntervalMs: 0 });
    cleanup.push(() => cluster.close());
    let out = "";
    const stream = new Writable({ write(chunk, _enc, cb) { out += String(chunk); cb(); } }) as unknown as NodeJS.WriteStream;
    const bar = terminalProgress(stream);
    const seen: Progress[] = [];
    const n = 20_000;
    const frame = fromColumns({ k: Array.from({ length: n }, (_, i) => i % 997), v: Array.from({ length: n }, (_, i) => i) }, { partitions: 8 });
    await frame.groupBy("k").strategy("shuffle").agg(col("v").sum().alias("s"), len().alias("n")).collect({
      client: cluster,
      // Every report is drawn as if the job were long (elapsed + 1 s): what a terminal shows.
      progress: (p) => { seen.push(p); bar({ ...p, elapsedMs: p.elapsedMs + 1000 }); },
    });
    const staged = seen.find((p) => (p.stages?.length ?? 0) > 1);
    expect(staged?.stages?.map((s) => s.name)).toEqual(expect.arrayContaining(["scan-memory", "agg-final"]));
    expect(out).toMatch(/\r\[#*-*\] stage \d\/\d [a-z-]+ \d+\/\d+ · \d+\/\d+ tasks · read [\d.]+ [kM]?B · \ds/);
    expect(out.endsWith("\n")).toBe(true);
  });
});
