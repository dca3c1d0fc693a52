// Forks a system's child process, collects its messages, and stops it when a question runs past the time limit.
import { fork } from "node:child_process";
import { join } from "node:path";
import { BENCH_ROOT } from "../data/data-dir.js";
import type { ChildConfig, ChildMessage } from "./child-protocol.js";

export interface ChildOutcome {
  readonly messages: readonly ChildMessage[];
  /** Set when the child died, failed to start, or was stopped: the reason. */
  readonly failure: string | null;
  /** The question that was running when the child was stopped for the time limit. */
  readonly timedOutQuestion: string | null;
}

export interface RunChildOptions {
  /** Longest time without a message from the child (one question run, or the load) before it is stopped. */
  readonly timeoutMs: number;
  readonly log?: (line: string) => void;
}

/** The compiled child entry (tests run the sources, the child always runs from dist). */
export const CHILD_SCRIPT = join(BENCH_ROOT, "dist", "runner", "system-child.js");

export function runChild(config: ChildConfig, opts: RunChildOptions): Promise<ChildOutcome> {
  const messages: ChildMessage[] = [];
  const log = opts.log ?? (() => {});
  return new Promise((resolve) => {
    const child = fork(CHILD_SCRIPT, [], {
      execArgv: ["--max-old-space-size=16384"],
      // Tessera runs with glibc's mmap threshold fixed, as its own worker processes do (see cluster-processes.ts in
      // the tessera package): freed column buffers go back to the system instead of staying in malloc's arenas.
      env: config.system.engine === "tessera" ? { MALLOC_MMAP_THRESHOLD_: "131072", ...process.env } : process.env,
      serialization: "advanced",
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    let settled = false;
    let current = "load";
    let timedOut: string | null = null;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = current;
        log(`  ${config.system.name}: ${current} ran past ${Math.round(opts.timeoutMs / 1000)} s; stopping it`);
        child.kill("SIGKILL");
      }, opts.timeoutMs);
    };
    const finish = (failure: string | null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ messages, failure, timedOutQuestion: timedOut });
    };
    arm();
    child.on("message", (m: ChildMessage) => {
      messages.push(m);
      arm();
      switch (m.kind) {
        case "ready":
          log(`  ${config.system.name}: ${m.version}; load ${(m.loadMs / 1000).toFixed(2)} s`);
          break;
        case "run":
          log(`  ${config.system.name} ${m.question} run ${m.run}: ${(m.ms / 1000).toFixed(3)} s, peak RSS ${(m.peakRss / 2 ** 20).toFixed(0)} MiB`);
          break;
        case "start":
          current = `${m.question} run ${m.run}`;
          break;
        case "error":
          log(`  ${config.system.name} ${m.question} run ${m.run}: ERROR ${m.message}`);
          break;
        case "fatal":
          log(`  ${config.system.name}: FAILED ${m.message}`);
          break;
        case "done":
          break;
      }
    });
    child.on("error", (e) => finish(`cannot start the child process: ${e.message}`));
    child.on("exit", (code, signal) => {
      const done = messages.some((m) => m.kind === "done");
      finish(done ? null : timedOut !== null ? `stopped after ${Math.round(opts.timeoutMs / 1000)} s in ${timedOut}` : `the child exited (code ${code}, signal ${signal})`);
    });
    child.send(config);
  });
}
