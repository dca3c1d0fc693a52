// Drives the scheduler state machine in-process with simulated workers, on simulated time, and measures it.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { SchedulerState } from "@tessera/scheduler";
import type { SchedulerMessage, SchedulerStimulus, WorkerKeyState } from "@tessera/protocol";
import { EventQueue } from "./event-queue.js";
import type { TimedEvent } from "./event-queue.js";
import type { SimModel } from "./sim-model.js";
import { SimRandom, transferMs } from "./sim-model.js";
import { shuffleGraph } from "./shuffle-graph.js";
import { SimWorker } from "./sim-worker.js";
import type { WorkerEffects } from "./sim-worker.js";

type SimEvent = TimedEvent & (
  | { readonly kind: "fetched"; readonly worker: SimWorker; readonly key: string; readonly nbytes: number }
  | { readonly kind: "done"; readonly worker: SimWorker; readonly key: string; readonly runId: number; readonly startedAt: number }
  | { readonly kind: "message"; readonly stimulus: SchedulerStimulus }
);

export interface SimResult {
  readonly tasks: number;
  readonly maps: number;
  readonly reducers: number;
  readonly workers: number;
  readonly threadsPerWorker: number;
  /** Scheduler task transitions (each change of a task's state). */
  readonly transitions: number;
  readonly stimuli: number;
  /** Wall time spent inside the scheduler's handle(), ms. */
  readonly schedulerMs: number;
  /** CPU time of this process spent inside handle() (getrusage around each call; GC threads included), ms. */
  readonly schedulerCpuMs: number;
  /** Transitions per second of scheduler CPU time (what a quiet machine's wall clock would show). */
  readonly transitionsPerSecond: number;
  /** Transitions per second of scheduler wall time (inflated by other work on a shared machine). */
  readonly transitionsPerWallSecond: number;
  /** Simulated time from submitting the graph to the job's end, ms. */
  readonly makespanMs: number;
  /** Bytes workers fetched from each other. */
  readonly movedBytes: number;
  /** Σ over tasks of (input bytes − the most of them one worker held when the task was placed): no placement moves less. */
  readonly lowerBoundBytes: number;
  /** Heap after the graph was taken in, minus before (GC'd both times): the scheduler's memory for the graph. */
  readonly intakeHeapBytes: number;
  /** Most heap used during the run minus the heap before the graph (the simulated workers' few maps included). */
  readonly peakHeapBytes: number;
  /** Wall time of the whole simulation, ms. */
  readonly wallMs: number;
}

/** A forced full GC, for heap measurements (flags are set once; `gc` comes from a fresh context). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

/** Runs one shuffle of `maps` × `reducers` on `model.workers` simulated workers and returns the measurements. */
export function simulate(model: SimModel, maps: number, reducers: number, log: (line: string) => void = () => {}): SimResult {
  const gc = collector();
  const rnd = new SimRandom(model.seed);
  const queue = new EventQueue<SimEvent>();
  let seq = 0;
  let now = 0;
  let stimuli = 0;
  let schedulerMs = 0;
  let schedulerCpuMs = 0;
  let moved = 0;
  let done = false;
  const lowerBound = new Map<string, number>();
  const mapBytes = new Map<number, number>();
  const wall0 = performance.now();

  gc();
  const heap0 = process.memoryUsage().heapUsed;
  // The scheduler is told the network rate the model uses, as an operator would configure it.
  const state = new SchedulerState({ progressIntervalMs: 1000, transferBytesPerMs: model.bytesPerMs });
  const workers = new Map<string, SimWorker>();

  const resultBytes = (key: string): number => {
    if (key.startsWith("map-")) {
      const m = Number(key.slice(4));
      const b = Math.round(rnd.logNormal(model.mapBytes, model.spread));
      mapBytes.set(m, b);
      return b;
    }
    if (key.startsWith("pick-")) return Math.round((mapBytes.get(Number(key.slice(5, key.indexOf("-", 5)))) ?? model.mapBytes) / reducers);
    return Math.round(rnd.logNormal(model.reduceBytes, model.spread));
  };
  const runMs = (key: string): number =>
    key.startsWith("map-") ? rnd.logNormal(model.mapMs, model.spread) : key.startsWith("pick-") ? model.pickMs : rnd.logNormal(model.reduceMs, model.spread);

  const fx: WorkerEffects = {
    fetch: (worker, key, from, nbytes) => {
      moved += nbytes;
      queue.push({ kind: "fetched", worker, key, nbytes: workers.get(from)?.store.get(key) ?? nbytes, time: now + transferMs(model, nbytes), seq: seq++ });
    },
    run: (worker, key, runId) => queue.push({ kind: "done", worker, key, runId, startedAt: now, time: now + runMs(key), seq: seq++ }),
    stealResponse: (worker, key, runId, st: WorkerKeyState) => {
      queue.push({ kind: "message", stimulus: { op: "steal-response", stimulusId: `sr-${seq}`, workerId: worker.id, key, runId, state: st, time: now }, time: now, seq: seq++ });
    },
  };

  const route = (out: readonly SchedulerMessage[]): void => {
    for (const m of out) {
      switch (m.op) {
        case "compute-task": {
          const w = workers.get(m.workerId) as SimWorker;
          let total = 0;
          const held = new Map<string, number>();
          const seen = new Set<string>();
          for (const d of m.deps) {
            if (seen.has(d.key)) continue;
            seen.add(d.key);
            total += d.nbytes;
            for (const h of d.whoHas) held.set(h, (held.get(h) ?? 0) + d.nbytes);
          }
          let best = 0;
          for (const b of held.values()) best = Math.max(best, b);
          lowerBound.set(m.key, total - best);
          w.computeTask(m);
          break;
        }
        case "free-keys": workers.get(m.workerId)?.freeKeys(m); break;
        case "steal-request": workers.get(m.workerId)?.stealRequest(m); break;
        case "job-done": done = true; break;
        case "job-erred": throw new Error(`simulated job failed: ${m.error.message}`);
        case "job-progress": break;
        default: break;
      }
    }
  };
  const handle = (stimulus: SchedulerStimulus): void => {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const out = state.handle(stimulus);
    schedulerMs += performance.now() - t0;
    const c = process.cpuUsage(c0);
    schedulerCpuMs += (c.user + c.system) / 1000;
    stimuli++;
    route(out);
  };

  handle({ op: "client-connected", stimulusId: "c", clientId: "sim", time: 0 });
  for (let i = 0; i < model.workers; i++) {
    const id = `w${i}`;
    workers.set(id, new SimWorker(id, model.threadsPerWorker, fx));
    handle({ op: "worker-added", stimulusId: `wa-${i}`, workerId: id, nthreads: model.threadsPerWorker, memoryLimit: model.memoryLimit, time: 0 });
  }
  let tasks = 0;
  {
    const g = shuffleGraph(maps, reducers);
    tasks = g.graph.tasks.length;
    log(`  ${tasks.toLocaleString("en-US")} tasks (${maps} maps × ${reducers} reducers) on ${model.workers} workers × ${model.threadsPerWorker} threads`);
    handle({ op: "graph-submitted", stimulusId: "submit", clientId: "sim", jobId: "shuffle", graph: g.graph, time: 0 });
  }
  gc();
  const intakeHeap = process.memoryUsage().heapUsed - heap0;
  let peakHeap = intakeHeap;
  let nextReport = performance.now() + 10_000;
  while (!done) {
    const e = queue.pop();
    if (e === undefined) throw new Error(`the simulation stalled at ${now} ms with the job unfinished (scheduler: ${JSON.stringify(state.counts())})`);
    now = e.time;
    switch (e.kind) {
      case "fetched": e.worker.fetched(e.key, e.nbytes); break;
      case "done":
        if (e.worker.finished(e.key, e.runId, 0)) {
          const nbytes = resultBytes(e.key);
          e.worker.store.set(e.key, nbytes);
          handle({
            op: "task-finished", stimulusId: `tf-${seq}`, workerId: e.worker.id, key: e.key, runId: e.runId, nbytes,
            startedAt: e.startedAt, finishedAt: now, time: now,
          });
        }
        break;
      case "message": handle(e.stimulus); break;
    }
    if ((stimuli & 0xffff) === 0) {
      peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - heap0);
      if (performance.now() > nextReport) {
        nextReport = performance.now() + 10_000;
        log(`  simulated ${(now / 1000).toFixed(1)} s, ${stimuli.toLocaleString("en-US")} stimuli, scheduler ${(schedulerCpuMs / 1000).toFixed(1)} s CPU`);
      }
    }
  }
  const transitions = state.transitionCount;
  let lb = 0;
  for (const v of lowerBound.values()) lb += v;
  return {
    tasks, maps, reducers, workers: model.workers, threadsPerWorker: model.threadsPerWorker, transitions, stimuli, schedulerMs, schedulerCpuMs,
    transitionsPerSecond: transitions / (schedulerCpuMs / 1000), transitionsPerWallSecond: transitions / (schedulerMs / 1000), makespanMs: now, movedBytes: moved, lowerBoundBytes: lb,
    intakeHeapBytes: intakeHeap, peakHeapBytes: peakHeap, wallMs: performance.now() - wall0,
  };
}
