// Scheduler state machine under random events (validate mode): every job settles and nothing leaks.
import { mulberry32 } from "@tessera/common";
import { describe, expect, it } from "vitest";
import type { AcquireReplicas, ComputeTask, SchedulerMessage, StealRequest } from "@tessera/protocol";
import type { TaskSpec } from "@tessera/graph";
import { SchedulerState } from "@tessera/scheduler";
import { Driver } from "./driver.js";

/** A small deterministic PRNG, so a failing seed can be replayed. */
const rng = mulberry32;

/** A model of the workers: what each holds and runs, fed by the scheduler's messages. */
class Cluster {
  readonly held = new Map<string, Set<string>>();
  readonly running = new Map<string, Map<string, ComputeTask>>();
  readonly settled = new Map<string, "done" | "erred">();
  /** Steal-requests not answered yet. */
  readonly steals: StealRequest[] = [];
  /** Copies asked of workers (a peer draining), not answered yet. */
  readonly copies: AcquireReplicas[] = [];

  add(id: string): void {
    this.held.set(id, new Set());
    this.running.set(id, new Map());
  }

  remove(id: string): void {
    this.held.delete(id);
    this.running.delete(id);
  }

  apply(out: readonly SchedulerMessage[]): void {
    for (const m of out) {
      switch (m.op) {
        case "compute-task": this.running.get(m.workerId)?.set(m.key, m); break;
        case "free-keys":
          for (const k of m.keys) {
            this.held.get(m.workerId)?.delete(k);
            this.running.get(m.workerId)?.delete(k);
          }
          break;
        case "job-done": this.settled.set(m.jobId, "done"); break;
        case "job-erred": this.settled.set(m.jobId, "erred"); break;
        case "job-progress": break;
        case "steal-request": this.steals.push(m); break;
        case "acquire-replicas": this.copies.push(m); break;
        case "close-worker": this.remove(m.workerId); break;
        case "rejoin": this.remove(m.workerId); break;
        case "job-unknown": case "worker-retired": break;
      }
    }
  }

  /** A dep is reachable when a live worker the scheduler named as holder still holds it. */
  available(c: ComputeTask, dep: string): boolean {
    const loc = c.deps.find((d) => d.key === dep);
    return loc !== undefined && loc.whoHas.some((w) => this.held.get(w)?.has(dep) === true);
  }
}

function randomGraph(r: () => number, job: number): { tasks: TaskSpec[]; outputs: string[] } {
  const n = 2 + Math.floor(r() * 8);
  const tasks: TaskSpec[] = [];
  for (let i = 0; i < n; i++) {
    // Keys shared across jobs now and then, to exercise shared tasks.
    const key = r() < 0.2 ? `shared-${i}` : `j${job}-t${i}`;
    if (tasks.some((t) => t.key === key)) continue;
    const deps = tasks.filter(() => r() < 0.3).map((t) => t.key).filter((k) => !k.startsWith("shared-") || key.startsWith("shared-"));
    const op = r() < 0.05 ? "fail" : "noop";
    tasks.push({ key, op: key.startsWith("shared-") ? "noop" : op, args: null, deps: key.startsWith("shared-") ? [] : deps });
  }
  const outputs = tasks.filter(() => r() < 0.4).map((t) => t.key);
  return { tasks, outputs: outputs.length > 0 ? outputs : [tasks[tasks.length - 1]?.key as string] };
}

function runSeed(seed: number): void {
  const d = new Driver({ maxWorkerDeaths: 3, rejoinGraceMs: 1000 });
  try {
    drive(seed, d);
  } catch (e) {
    const key = (e as { details?: { key?: string } }).details?.key;
    const sid = (e as { details?: { stimulusId?: string } }).details?.stimulusId ?? "";
    const story = [...(key === undefined ? [] : d.state.story(key)), ...d.state.storyOfStimulus(sid)];
    throw new Error(`seed ${seed}: ${e instanceof Error ? e.message : String(e)}\n${JSON.stringify(d.last)}\n${story.map((x) => x.join(" ")).join("\n")}`, { cause: e });
  }
}

/** Random events on `d`; `fresh`: connect the client and add two workers first (false: they exist already). */
function drive(seed: number, d: Driver, fresh = true): void {
  const r = rng(seed);
  const c = new Cluster();
  let workers = fresh ? 0 : 100;
  const addWorker = (): void => {
    const id = `w${++workers}`;
    c.add(id);
    c.apply(d.addWorker(id, 1 + Math.floor(r() * 2)));
  };
  if (fresh) {
    d.connect();
    addWorker();
    addWorker();
  } else {
    for (const w of d.state.workers()) c.add(w.id);
  }
  const submitted: string[] = [];
  const jobBase = fresh ? 0 : 100;
  for (let step = 0; step < 300; step++) {
    const x = r();
    const live = [...c.running.keys()];
    if (x < 0.08 && submitted.length < 12) {
      const jobId = `job${jobBase + submitted.length}`;
      submitted.push(jobId);
      c.apply(d.submit(randomGraph(r, jobBase + submitted.length), jobId));
    } else if (x < 0.1 && live.length > 0) {
      const id = live[Math.floor(r() * live.length)] as string;
      c.remove(id);
      c.apply(d.send({ op: "worker-removed", workerId: id, reason: "fuzz" }));
    } else if ((x < 0.12 && live.length < 4) || (x < 0.2 && live.length === 0)) {
      addWorker();
    } else if (x < 0.13) {
      const id = live[Math.floor(r() * live.length)];
      if (id !== undefined) c.apply(d.send({ op: "worker-heartbeat", workerId: id, memory: 0, executing: 0, ready: 0, paused: r() < 0.3 }));
    } else if (x < 0.15 && c.steals.length > 0) {
      answerSteal(r, d, c);
    } else if (x < 0.15) {
      const done = [...c.settled.keys()].filter((j) => c.settled.get(j) === "done");
      const jobId = done[Math.floor(r() * done.length)];
      if (jobId !== undefined) c.apply(d.send({ op: "release-keys", clientId: "c1", jobId }));
    } else if (x < 0.16 && live.length > 1) {
      const id = live[Math.floor(r() * live.length)] as string;
      c.apply(d.send({ op: "retire-worker", clientId: "c1", workerId: id }));
    } else if (x < 0.19 && c.copies.length > 0) {
      answerCopy(r, d, c);
    } else if (x < 0.195) {
      restart(r, d, c);
    } else {
      finishOne(r, d, c);
    }
  }
  // Drain: every worker resumes; finish everything still running, adding a worker if all are gone.
  for (const id of c.running.keys()) c.apply(d.send({ op: "worker-heartbeat", workerId: id, memory: 0, executing: 0, ready: 0 }));
  for (let guard = 0; guard < 10_000; guard++) {
    if (c.running.size === 0) addWorker();
    if (![...c.running.values()].some((m) => m.size > 0)) break;
    if (c.steals.length > 0 && r() < 0.3) answerSteal(r, d, c);
    else if (c.copies.length > 0 && r() < 0.3) answerCopy(r, d, c);
    else finishOne(r, d, c);
  }
  expect(submitted.filter((j) => !c.settled.has(j))).toEqual([]);
  for (const jobId of submitted) c.apply(d.send({ op: "release-keys", clientId: "c1", jobId }));
  while (c.copies.length > 0) answerCopy(r, d, c);
  expect(d.state.taskCount).toBe(0);
  expect([...c.held.values()].every((s) => s.size === 0)).toBe(true);
}

/** A victim answers one pending steal-request: it gives the task up if it holds that run and has not "started" it. */
function answerSteal(r: () => number, d: Driver, c: Cluster): void {
  const m = c.steals.splice(Math.floor(r() * c.steals.length), 1)[0] as StealRequest;
  const tasks = c.running.get(m.workerId);
  if (tasks === undefined) return;
  const running = tasks.get(m.key);
  if (running?.runId === m.runId && r() < 0.7) {
    tasks.delete(m.key);
    c.apply(d.send({ op: "steal-response", workerId: m.workerId, key: m.key, runId: m.runId, state: "ready" }));
  } else {
    const state = running === undefined ? (c.held.get(m.workerId)?.has(m.key) === true ? "memory" : "forgotten") : "executing";
    c.apply(d.send({ op: "steal-response", workerId: m.workerId, key: m.key, runId: m.runId, state }));
  }
}

/** A worker answers one acquire-replicas: it copies each key a live listed holder has, and reports the others failed. */
function answerCopy(r: () => number, d: Driver, c: Cluster): void {
  const m = c.copies.splice(Math.floor(r() * c.copies.length), 1)[0] as AcquireReplicas;
  const mine = c.held.get(m.workerId);
  if (mine === undefined) return;
  const keys: { key: string; nbytes: number }[] = [];
  const failed: string[] = [];
  for (const loc of m.keys) {
    if (r() < 0.9 && loc.whoHas.some((w) => c.held.get(w)?.has(loc.key) === true)) {
      mine.add(loc.key);
      keys.push({ key: loc.key, nbytes: loc.nbytes });
    } else failed.push(loc.key);
  }
  c.apply(d.send({ op: "add-keys", workerId: m.workerId, keys, failed }));
}

/**
 * The scheduler restarts (its state kept, as a journal replay would give it back): every worker's assignments end,
 * then each rejoins reporting what it holds, or (now and then) comes back empty under a new name.
 */
function restart(r: () => number, d: Driver, c: Cluster): void {
  const before = [...c.held.entries()];
  for (const id of [...c.running.keys()]) c.remove(id);
  c.steals.length = 0;
  c.copies.length = 0;
  c.apply(d.send({ op: "scheduler-restarted" }));
  for (const [id, held] of before) {
    if (r() < 0.2) continue;
    c.add(id);
    (c.held.get(id) as Set<string>).clear();
    for (const k of held) c.held.get(id)?.add(k);
    c.apply(d.send({ op: "worker-added", workerId: id, nthreads: 1, memoryLimit: 1 << 30, held: [...held].map((key) => ({ key, nbytes: 8 })) }));
  }
  // Workers that did not come back are waited for until the grace period ends.
  d.time += 1000;
  c.apply(d.send({ op: "tick" }));
}

/** One worker finishes (or fails, or reports missing data for) one of its running tasks. */
function finishOne(r: () => number, d: Driver, c: Cluster): void {
  const busy = [...c.running.entries()].filter(([, m]) => m.size > 0);
  if (busy.length === 0) return;
  const [workerId, tasks] = busy[Math.floor(r() * busy.length)] as [string, Map<string, ComputeTask>];
  const m = [...tasks.values()][Math.floor(r() * tasks.size)] as ComputeTask;
  tasks.delete(m.key);
  const missing = m.deps.find((dep) => !c.held.get(workerId)?.has(dep.key) && !c.available(m, dep.key));
  if (missing !== undefined) {
    c.apply(d.send({ op: "missing-data", workerId, key: m.key, runId: m.runId, dep: missing.key, holders: [...missing.whoHas] }));
  } else if (m.spec.op === "fail") {
    const error = { name: "ExecutionError", code: "FUZZ", category: "execution" as const, message: "fuzz failure" };
    c.apply(d.send({ op: "task-erred", workerId, key: m.key, runId: m.runId, error }));
  } else {
    c.held.get(workerId)?.add(m.key);
    c.apply(d.send({ op: "task-finished", workerId, key: m.key, runId: m.runId, nbytes: Math.floor(r() * 100) }));
  }
}

describe("SchedulerState under random events", () => {
  it("keeps its invariants, settles every job, and frees everything once released (100 seeds; drains and restarts included)", () => {
    for (let seed = 1; seed <= 100; seed++) runSeed(seed);
  });

  it("is pure: the same stimuli fed to a new state machine give the same messages (20 seeds)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = new Driver({ maxWorkerDeaths: 3, rejoinGraceMs: 1000 }, true);
      drive(seed, d);
      const replay = new Driver({ maxWorkerDeaths: 3, rejoinGraceMs: 1000 }).state;
      for (const { stimulus, out } of d.log) expect(replay.handle(stimulus)).toEqual(out);
      expect(replay.transitions()).toEqual(d.state.transitions());
    }
  });

  it("restored from an idle checkpoint, decides as the original does from there on (20 seeds)", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const d = new Driver({ maxWorkerDeaths: 3, rejoinGraceMs: 1000 });
      drive(seed, d);
      const checkpoint = d.state.checkpoint();
      expect(checkpoint).not.toBeNull();
      d.mirror = SchedulerState.restore(JSON.parse(JSON.stringify(checkpoint)), { validate: true, progressIntervalMs: Infinity, maxWorkerDeaths: 3, rejoinGraceMs: 1000 });
      drive(seed + 1000, d, false);
    }
  });
});
