// Runs scripts/dask-noop.py with Debian's /usr/bin/python3 (the only python that imports python3-distributed).
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { BENCH_ROOT } from "../data/data-dir.js";

export const DASK_PYTHON = "/usr/bin/python3";
export const DASK_SCRIPT = join(BENCH_ROOT, "scripts", "dask-noop.py");

export interface DaskRun {
  readonly tasks: number;
  readonly processes: boolean;
  readonly seconds: readonly number[] | null;
  /** Why there are no times (timeout, crash). */
  readonly error: string | null;
  readonly version: string | null;
}

function run(args: string[], timeoutMs: number): Promise<{ stdout: string; error: string | null }> {
  return new Promise((resolve) => {
    execFile(DASK_PYTHON, args, { timeout: timeoutMs, killSignal: "SIGKILL", maxBuffer: 1 << 24 }, (e, stdout, stderr) => {
      if (e === null) { resolve({ stdout, error: null }); return; }
      const killed = (e as { killed?: boolean }).killed === true;
      resolve({ stdout, error: killed ? `timeout after ${Math.round(timeoutMs / 1000)} s` : `${e.message.split("\n")[0]}; ${stderr.trim().split("\n").slice(-2).join(" ")}` });
    });
  });
}

/** null when Dask is usable; else why the Dask comparison is skipped. */
export async function daskUnavailable(): Promise<string | null> {
  if (!existsSync(DASK_PYTHON)) return `${DASK_PYTHON} not found`;
  const r = await run(["-c", "import distributed"], 60_000);
  return r.error === null ? null : "Debian's python3-distributed is not installed (run benchmarks/scripts/install-dask.sh as root)";
}

/** One Dask LocalCluster per (size, processes); a timeout or crash is reported for that cell only. */
export async function daskNoop(tasks: number, processes: boolean, runs: number, timeoutMs: number): Promise<DaskRun> {
  const r = await run([DASK_SCRIPT, "--tasks", String(tasks), "--processes", processes ? "1" : "0", "--runs", String(runs)], timeoutMs);
  if (r.error !== null) return { tasks, processes, seconds: null, error: r.error, version: null };
  try {
    const j = JSON.parse(r.stdout.trim().split("\n").at(-1) ?? "") as { available: boolean; error?: string; seconds?: number[]; dask?: string; distributed?: string; python?: string };
    if (!j.available) return { tasks, processes, seconds: null, error: j.error ?? "dask unavailable", version: null };
    return { tasks, processes, seconds: j.seconds ?? null, error: null, version: `dask ${j.dask}, distributed ${j.distributed}, Python ${j.python}` };
  } catch {
    return { tasks, processes, seconds: null, error: `unreadable output: ${r.stdout.slice(0, 200)}`, version: null };
  }
}
