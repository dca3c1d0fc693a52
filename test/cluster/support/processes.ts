// Real tessera processes for cluster tests: spawn the CLI, collect its output, wait on log lines, kill in afterAll.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { TEST_OPS_MODULE } from "../../support/test-ops.js";

export const CLI = fileURLToPath(new URL("../../../packages/tessera/dist/cli.js", import.meta.url));

export interface Proc {
  readonly child: ChildProcess;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  /** Resolves with the first match of `re` in the output (now or later); rejects on timeout or exit. */
  waitFor(re: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  exited(): Promise<number | null>;
}

const all: ChildProcess[] = [];

/** Starts `node cli.js ...args`. */
export function tessera(args: readonly string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, TESSERA_SCHEDULER: "", ...env }, stdio: ["ignore", "pipe", "pipe"] });
  all.push(child);
  let out = "";
  const waiters = new Set<() => void>();
  const onData = (d: Buffer): void => {
    out += d.toString();
    for (const w of [...waiters]) w();
  };
  child.stdout?.on("data", onData);
  child.stderr?.on("data", onData);
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => { for (const w of [...waiters]) w(); resolve(code); }));
  return {
    child,
    output: () => out,
    exited: () => exit,
    waitFor: (re, timeoutMs = 30_000) => new Promise((resolve, reject) => {
      const timer = setTimeout(() => { waiters.delete(check); reject(new Error(`timed out waiting for ${re} in:\n${out.slice(-3000)}`)); }, timeoutMs);
      const check = (): void => {
        const m = re.exec(out);
        if (m !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          resolve(m);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          clearTimeout(timer);
          waiters.delete(check);
          reject(new Error(`process exited (${child.exitCode ?? child.signalCode}) before ${re}:\n${out.slice(-3000)}`));
        }
      };
      waiters.add(check);
      check();
    }),
  };
}

/** A TCP port free now on 127.0.0.1 (for a scheduler that must come back on the same port after a restart). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The dashboard URL a scheduler printed. */
export function dashboardUrl(scheduler: Proc): string {
  const m = /dashboard at (http\S+)/.exec(scheduler.output());
  if (m === null) throw new Error("the scheduler printed no dashboard URL");
  return m[1] as string;
}

/** A scheduler on 127.0.0.1 with a free port, admitting the test ops the workers below offer; resolves with it and its URL. */
export async function startScheduler(env: NodeJS.ProcessEnv = {}, extra: readonly string[] = []): Promise<{ proc: Proc; url: string }> {
  const proc = tessera(["scheduler", "--host", "127.0.0.1", "--port", "0", "--dashboard-port", "0", "--op-module", TEST_OPS_MODULE, ...extra], env);
  const m = await proc.waitFor(/listening on (ws:\/\/\S+)/);
  return { proc, url: m[1] as string };
}

/**
 * A worker named `name`, offering the test ops besides the production ones; resolves once the scheduler logged it
 * joining and with the worker's peer address.
 */
export async function startWorker(
  scheduler: Proc, url: string, name: string, env: NodeJS.ProcessEnv = {}, threads = 1, extra: readonly string[] = [],
): Promise<{ proc: Proc; address: string }> {
  const proc = tessera(["worker", url, "--threads", String(threads), "--name", name, "--memory-limit", "2GB", "--op-module", TEST_OPS_MODULE, ...extra], env);
  const m = await proc.waitFor(/serving peers at (ws:\/\/\S+)/);
  await scheduler.waitFor(new RegExp(`worker ${name} joined`));
  return { proc, address: m[1] as string };
}

/** SIGKILLs every process these helpers started and waits for them to be gone (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all(all.splice(0).map((c) => c.exitCode !== null || c.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => {
    c.once("exit", () => resolve());
    c.kill("SIGKILL");
  })));
}
