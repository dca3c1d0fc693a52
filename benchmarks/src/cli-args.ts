// Parses `npm run bench -- <suite> [--size 1e6] [--mode parquet|memory] [--runs 2] ...` into options.
import type { SourceMode } from "./systems/system.js";

export const SUITES = ["groupby", "join", "scheduler", "scaling", "load", "simulate"] as const;
export type SuiteName = (typeof SUITES)[number];

export interface CliArgs {
  readonly suite: SuiteName;
  readonly size: number;
  readonly mode: SourceMode;
  readonly runs: number;
  readonly timeoutMs: number;
  readonly only?: readonly string[];
  readonly questions?: readonly string[];
  /** Scheduler suite: graph sizes in tasks. */
  readonly tasks: readonly number[];
  /** Scheduler suite: runs per Dask graph (default: --runs). */
  readonly daskRuns?: number;
  /** Scheduler suite: rows copied from the latest results file instead of being run again. */
  readonly reuse?: readonly string[];
  /** Scaling suite: worker counts. */
  readonly workers: readonly number[];
  /** Load suite: the cases, "*" (every column) or a column name. */
  readonly columns: readonly string[];
  /** Simulation suite: the cost model's seed. */
  readonly seed: number;
  /** false: print only, write no results or README. */
  readonly write: boolean;
}

export const USAGE = `usage: npm run bench -- <${SUITES.join("|")}> [options]
  --size N          rows of the main table, e.g. 1e6 (default) or 1e7 (groupby, join, scaling)
  --mode M          parquet (default: each question reads the Parquet files) or memory (load once, like db-benchmark)
  --runs N          runs per question (default 2: first and second)
  --timeout S       seconds one question run (scheduler suite: one Dask cluster) may take before it is stopped (default 900)
  --systems a,b     only these systems (e.g. tessera,duckdb)
  --questions q1,q2 only these questions
  --tasks a,b       scheduler suite: graph sizes (default 1e4,1e5,1e6); simulate: the graph's size (default 1e6)
  --dask-runs N     scheduler suite: runs per size for Dask (default: --runs); a size whose estimate exceeds --timeout is skipped
  --reuse a,b       scheduler suite: copy these rows (e.g. dask-threads,dask-processes) from the latest results file, marked as reused
  --workers a,b     scaling suite: worker counts (default 1,2,4); simulate: simulated workers (default 1000)
  --columns a,b     load suite: what to load, "*" for every column or a column name (default *,v3,id1); --runs is the rounds (default 2)
  --seed N          simulate: the seed of the cost model (default 1)
  --no-write        print the tables only; do not write results/ or README.md`;

function parseNumber(flag: string, v: string | undefined): number {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n <= 0) throw new Error(`${flag} needs a positive number, got ${v ?? "nothing"}`);
  return n;
}

const list = (v: string | undefined): string[] => (v ?? "").split(",").map((s) => s.trim()).filter((s) => s !== "");

export function parseArgs(argv: readonly string[]): CliArgs {
  const [suite, ...rest] = argv;
  if (suite === undefined || !(SUITES as readonly string[]).includes(suite)) throw new Error(`unknown suite ${suite ?? "(none)"}\n${USAGE}`);
  let size = 1e6, runs = 2, timeoutMs = 900_000, write = true;
  let mode: SourceMode = "parquet";
  let only: string[] | undefined, questions: string[] | undefined;
  let tasks = [1e4, 1e5, 1e6], workers = [1, 2, 4];
  let columns = ["*", "v3", "id1"];
  let daskRuns: number | undefined;
  let seed = 1;
  let tasksGiven = false;
  let workersGiven = false;
  let reuse: string[] | undefined;
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i] as string;
    const value = (): string | undefined => rest[++i];
    switch (flag) {
      case "--size": size = Math.round(parseNumber(flag, value())); break;
      case "--runs": runs = Math.round(parseNumber(flag, value())); break;
      case "--timeout": timeoutMs = parseNumber(flag, value()) * 1000; break;
      case "--mode": {
        const m = value();
        if (m !== "parquet" && m !== "memory") throw new Error(`--mode is parquet or memory, got ${m ?? "nothing"}`);
        mode = m;
        break;
      }
      case "--systems": only = list(value()); break;
      case "--questions": questions = list(value()); break;
      case "--tasks": tasks = list(value()).map((t) => Math.round(parseNumber(flag, t))); tasksGiven = true; break;
      case "--workers": workers = list(value()).map((t) => Math.round(parseNumber(flag, t))); workersGiven = true; break;
      case "--seed": seed = Math.round(parseNumber(flag, value())); break;
      case "--reuse": reuse = list(value()); break;
      case "--columns": columns = list(value()); break;
      case "--dask-runs": daskRuns = Math.round(parseNumber(flag, value())); break;
      case "--no-write": write = false; break;
      default: throw new Error(`unknown option ${flag}\n${USAGE}`);
    }
  }
  if (suite === "simulate") {
    if (!tasksGiven) tasks = [1e6];
    if (!workersGiven) workers = [1000];
  }
  return {
    suite: suite as SuiteName, size, mode, runs, timeoutMs, tasks, workers, columns, seed, write,
    ...(only ? { only } : {}), ...(questions ? { questions } : {}), ...(daskRuns ? { daskRuns } : {}), ...(reuse ? { reuse } : {}),
  };
}
