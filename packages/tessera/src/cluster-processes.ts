// Starts `tessera scheduler` and `tessera worker` as child processes of this one and reads their addresses from stdout.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

/** dist/cli.js beside this file once built. */
const CLI = fileURLToPath(new URL("./cli.js", import.meta.url));

/**
 * glibc's allocator raises its mmap threshold after large frees (up to 32 MiB), after which the column buffers V8
 * allocates through it come from per-thread arenas and are never returned to the system: a worker's resident memory
 * stays at its high-water mark. A fixed threshold (glibc's default, 128 KiB) keeps large buffers mapped and unmapped
 * on free. Set only where the caller's environment does not already choose.
 */
export const MEMORY_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: "131072" };

export interface Spawned {
  readonly child: ChildProcess;
  /** The URL the process printed (scheduler: where to connect; worker: where it serves peers). */
  readonly url: string;
  /** Its output up to and including the ready line. */
  readonly output: string;
}

/**
 * Runs `node cli.js <args>` and resolves when a stdout line matches `ready` (its first group is the URL).
 * Rejects if the process exits first or nothing matches within `timeoutMs`. The child exits with this process
 * (TESSERA_EXIT_WITH_PARENT: it watches its stdin), so a crashed parent leaves no orphans.
 */
export function spawnCli(args: readonly string[], ready: RegExp, env: NodeJS.ProcessEnv, timeoutMs = 30_000): Promise<Spawned> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...MEMORY_ENV, ...env, TESSERA_EXIT_WITH_PARENT: "1" }, stdio: ["pipe", "pipe", "pipe"] });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => fail(`no "${ready.source}" line within ${timeoutMs} ms`), timeoutMs);
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill("SIGKILL");
      reject(new Error(`tessera ${args[0] ?? ""} did not start: ${why}\n${err.slice(-2000)}`));
    };
    // Only the tail is kept, for the start-up error message; the child's stderr is drained for its whole life.
    child.stderr?.on("data", (d: Buffer) => { err = (err + d.toString()).slice(-4000); });
    child.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const m = ready.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        child.stdout?.removeAllListeners("data");
        child.stdout?.resume();
        resolve({ child, url: m[1], output: out });
      }
    });
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal})`));
  });
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
export function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => { clearTimeout(timer); resolve(); });
    child.kill("SIGTERM");
  });
}
