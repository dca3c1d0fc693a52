// The simulation suite: the scheduler state machine driving 1,000 simulated workers through a 1,000,000-task shuffle.
import { describeMachine } from "../machine.js";
import { markdownTable } from "../report/format.js";
import { DEFAULT_MODEL } from "../simulate/sim-model.js";
import type { SimModel } from "../simulate/sim-model.js";
import { simulate } from "../simulate/simulation.js";
import { squareSide } from "../simulate/shuffle-graph.js";
import { tesseraVersion } from "../systems/tessera.js";
import type { SuiteOptions, SuiteReport } from "./suite.js";

/** What `npm run bench -- simulate` runs unless told otherwise (--tasks, --workers). */
export const SIMULATE_TASKS = 1_000_000;
export const SIMULATE_WORKERS = 1000;
/** The target rate of scheduler transitions. */
export const TARGET_TRANSITIONS_PER_SECOND = 100_000;

const gib = (b: number): string => `${(b / 2 ** 30).toFixed(2)} GiB`;
const count = (n: number): string => Math.round(n).toLocaleString("en-US");

export async function runSimulate(opts: SuiteOptions, tasks = SIMULATE_TASKS, workers = SIMULATE_WORKERS, seed = 1): Promise<SuiteReport> {
  const side = squareSide(tasks);
  const model: SimModel = { ...DEFAULT_MODEL, workers, seed };
  opts.log(`simulate: ${side} maps × ${side} reducers on ${workers} simulated workers (seed ${seed})`);
  const r = simulate(model, side, side, opts.log);
  const rate = r.transitionsPerSecond;
  opts.log(`  ${count(r.transitions)} transitions in ${(r.schedulerCpuMs / 1000).toFixed(1)} s of scheduler CPU time: ${count(rate)}/s`);
  const rows: string[][] = [
    ["tasks", `${count(r.tasks)} (${r.maps} maps that split, ${count(r.maps * r.reducers)} picks, ${r.reducers} reducers)`],
    ["workers", `${count(r.workers)} × ${r.threadsPerWorker} threads`],
    ["scheduler transitions", count(r.transitions)],
    ["stimuli handled", count(r.stimuli)],
    ["scheduler CPU time (inside handle)", `${(r.schedulerCpuMs / 1000).toFixed(1)} s (${(r.schedulerCpuMs * 1000 / r.transitions).toFixed(2)} µs per transition)`],
    ["**transitions per CPU second**", `**${count(rate)}/s** (target ≥ ${count(TARGET_TRANSITIONS_PER_SECOND)}/s)`],
    ["scheduler wall time (inside handle)", `${(r.schedulerMs / 1000).toFixed(1)} s: ${count(r.transitionsPerWallSecond)} transitions per wall second on this shared machine`],
    ["simulated makespan", `${(r.makespanMs / 1000).toFixed(1)} s`],
    ["bytes moved between workers", gib(r.movedBytes)],
    ["locality-optimal lower bound", gib(r.lowerBoundBytes)],
    ["**placement: moved / lower bound**", `**${(r.movedBytes / Math.max(1, r.lowerBoundBytes)).toFixed(3)}×**`],
    ["scheduler memory after taking in the graph", `${gib(r.intakeHeapBytes)} (${count(r.intakeHeapBytes / r.tasks)} bytes per task)`],
    ["peak heap during the run", gib(r.peakHeapBytes)],
    ["simulation wall time", `${(r.wallMs / 1000).toFixed(1)} s`],
  ];
  const markdown = [
    "**Scale past this machine, in simulation**: the scheduler state machine (`SchedulerState`, the same object the scheduler " +
      "process runs) is driven in this process by simulated workers on simulated time. Each worker has 4 threads and 16 GiB; " +
      "it fetches the inputs it lacks from a holder (0.5 ms + bytes at 1.25 GB/s, no contention), runs tasks for durations " +
      "drawn from a seeded log-normal model (maps: median 2 s, 256 MiB out; picks: 0.05 ms; reducers: median 1 s, 64 MiB out; " +
      "σ 0.3), answers steal-requests and frees, and reports results with their run times. The graph is shuffle-shaped as " +
      "Tessera's planner builds one: maps that split, a pick per (map, reducer), reducers over their picks. The scheduler is " +
      "told the model's network rate (`transferBytesPerMs`).",
    "",
    "Transitions per second are the scheduler's task state changes over the CPU time spent inside its `handle()` " +
      "(getrusage around every call, so other work on a shared machine does not count; simulated workers excluded); the wall " +
      "time inside `handle()` is shown too. Placement: the bytes workers actually fetched against a lower bound that, for every task, fetches " +
      "only what the worker holding most of its inputs (when it was placed) lacks. Memory: heap after taking the graph in " +
      "minus heap before (both after a full GC), and the most heap used during the run.",
    "",
    `Machine: ${describeMachine(opts.machine)}. Version: ${tesseraVersion()}.`,
    "",
    `Reproduce: \`${opts.command}\``,
    "",
    markdownTable(["measure", "value"], rows),
  ].join("\n");
  return {
    suite: "simulate",
    result: { model, ...r, placementRatio: r.movedBytes / Math.max(1, r.lowerBoundBytes) },
    markdown,
    svg: null,
    ok: true,
  };
}
