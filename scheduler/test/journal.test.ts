// The scheduler's journal: a restarted server resumes running jobs from it, a replay decides as the live run did, idle compaction.
import { appendFileSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SchedulerJournal, SchedulerServer, readJournal, replayJournal } from "@tessera/scheduler";
import type { ComputeTask, SchedulerToClient, SchedulerToWorker } from "@tessera/protocol";
import type { StoryEntry } from "@tessera/protocol";
import { task } from "./driver.js";

const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true }); });

/** A server on a journal with a link that records what it routes; the clock moves 1 ms per stimulus. */
function server(dir: string): { s: SchedulerServer; toWorkers: SchedulerToWorker[]; toClient: SchedulerToClient[]; journal: SchedulerJournal; advance: (ms: number) => void } {
  let clock = 1_000_000;
  const toWorkers: SchedulerToWorker[] = [];
  const toClient: SchedulerToClient[] = [];
  const journal = SchedulerJournal.open({ dir });
  const s = new SchedulerServer({
    toWorker: (_id, m) => toWorkers.push(m),
    toClient: (_id, m) => toClient.push(m),
  }, { now: () => ++clock, tickMs: 0, validate: true, journal });
  return { s, toWorkers, toClient, journal, advance: (ms) => { clock += ms; } };
}

const GRAPH = {
  tasks: [task("a0"), task("a1"), task("a2"), task("b", ["a0", "a1", "a2"]), task("c", ["b"])],
  outputs: ["c"],
};

/** Finishes the latest compute-task of `key`, as its worker would. */
function finish(s: SchedulerServer, toWorkers: readonly SchedulerToWorker[], key: string): void {
  const c = [...toWorkers].reverse().find((m): m is ComputeTask => m.op === "compute-task" && m.key === key);
  if (c === undefined) throw new Error(`no compute-task for ${key}`);
  s.receive({ op: "task-finished", stimulusId: `done-${key}-${c.runId}`, workerId: c.workerId, key, runId: c.runId, nbytes: 10 });
}

function byKey(entries: readonly StoryEntry[]): Map<string, StoryEntry[]> {
  const m = new Map<string, StoryEntry[]>();
  for (const e of entries) m.set(e[0], [...(m.get(e[0]) ?? []), e]);
  return m;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe("scheduler journal", () => {
  it("a server restarted on the journal resumes the running job: rejoining workers' results are adopted, the rest recomputed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-journal-"));
    dirs.push(dir);
    const first = server(dir);
    first.s.event({ op: "client-connected", clientId: "client-1" });
    first.s.event({ op: "worker-added", workerId: "w1", nthreads: 2, memoryLimit: 1 << 30 });
    first.s.event({ op: "worker-added", workerId: "w2", nthreads: 2, memoryLimit: 1 << 30 });
    let journaledFirst = false;
    first.toWorkers.length = 0;
    first.s.receive({ op: "graph-submitted", stimulusId: "submit", clientId: "client-1", jobId: "job-1", graph: GRAPH });
    // The graph was on disk before any of its tasks was sent.
    journaledFirst = readJournal(dir).stimuli.some((r) => r.s.op === "graph-submitted");
    expect(journaledFirst).toBe(true);
    for (const k of ["a0", "a1", "a2"]) finish(first.s, first.toWorkers, k);
    const holders = Object.fromEntries(["a0", "a1", "a2"].map((k) => [k, first.s.state.whoHas(k)[0]]));
    expect(first.s.state.taskState("b")).toBe("processing");
    // The process dies: nothing is closed; the records of this turn were written at its end.
    await turn();
    const live = first.s.state.transitions();

    const second = server(dir);
    expect(second.s.restart).toMatchObject({ jobs: ["client-1/job-1"], clients: ["client-1"] });
    // The replayed history is the first process's, then the restart.
    expect(second.s.state.transitions().slice(0, live.length)).toEqual(live);
    expect(second.s.state.workers()).toEqual([]);
    // w1 rejoins with what it held; w2 does not come back.
    const held = Object.entries(holders).filter(([, w]) => w === "w1").map(([key]) => ({ key, nbytes: 10 }));
    second.s.event({ op: "worker-added", workerId: "w1", nthreads: 2, memoryLimit: 1 << 30, held });
    // w2 is waited for until the grace period ends (its results would otherwise be computed twice).
    expect(second.toWorkers).toEqual([]);
    second.advance(10_000);
    second.s.receive({ op: "worker-heartbeat", stimulusId: "hb", workerId: "w1", memory: 0, executing: 0, ready: 0 });
    second.s.event({ op: "tick" });
    second.s.event({ op: "client-connected", clientId: "client-1" });
    second.s.receive({ op: "resubscribe", stimulusId: "resub", clientId: "client-1", jobIds: ["job-1"] });
    expect(second.toClient.at(-1)).toMatchObject({ op: "job-progress", jobId: "job-1" });
    const lost = Object.entries(holders).filter(([, w]) => w !== "w1").map(([k]) => k);
    for (const k of lost) finish(second.s, second.toWorkers, k);
    finish(second.s, second.toWorkers, "b");
    finish(second.s, second.toWorkers, "c");
    expect(second.toClient.at(-1)).toMatchObject({ op: "job-done", jobId: "job-1", outputs: [{ key: "c", workerIds: ["w1"] }] });
    expect(second.s.state.recomputed).toBe(lost.length);
    await turn();

    // Offline, the journal replays to the same story for every task, every stimulus deciding as recorded.
    const report = replayJournal(dir);
    expect(report.mismatches).toBe(0);
    expect(report.restarts).toBe(1);
    expect(report.stories).toEqual(byKey(second.s.state.transitions()));
    expect(report.stories.get("b")?.map(([, from, to]) => `${from}->${to}`)).toEqual([
      "released->waiting", "waiting->processing", "processing->waiting", "waiting->processing", "processing->memory", "memory->released",
    ]);

    // The client releases the job: the scheduler is idle and the journal shrinks to a checkpoint.
    const before = statSync(join(dir, "journal.log")).size;
    second.s.receive({ op: "release-keys", stimulusId: "rel", clientId: "client-1", jobId: "job-1" });
    expect(second.journal.compactions).toBe(1);
    expect(statSync(join(dir, "journal.log")).size).toBeLessThan(before / 4);
    const compacted = readJournal(dir);
    expect(compacted.checkpoint?.checkpoint.workers.map((w) => w.id)).toEqual(["w1"]);
    expect(compacted.stimuli).toHaveLength(0);
    second.s.close();

    // A torn record at the tail (a crash in the middle of a write) is cut off; the rest replays.
    appendFileSync(join(dir, "journal.log"), Buffer.from([200, 0, 0, 0, 1, 2, 3]));
    const torn = replayJournal(dir);
    expect(torn.tornBytes).toBe(7);
    expect(torn.mismatches).toBe(0);
    const third = server(dir);
    expect(third.s.restart).toMatchObject({ jobs: [], clients: ["client-1"], replayed: 0 });
    expect(third.s.state.workers()).toEqual([]);
    third.s.close();
  });

  it("refuses a journal another live process holds", () => {
    const dir = mkdtempSync(join(tmpdir(), "tessera-journal-"));
    dirs.push(dir);
    appendFileSync(join(dir, "journal.lock"), `${process.ppid}\n`);
    expect(() => SchedulerJournal.open({ dir })).toThrow(/in use by process/);
  });
});
