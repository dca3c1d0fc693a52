// A piscina pool of N threads running ops by name; results come back with their buffers transferred.
import { Piscina } from "piscina";
import { ExecutionError } from "@tessera/common";
import type { StorageScope } from "@tessera/io";
import { taskError } from "./op-runner.js";
import type { OpRunner, RunRequest } from "./op-runner.js";
import type { ThreadData, ThreadRequest, ThreadResult } from "./thread-messages.js";

export interface ThreadPoolOptions {
  readonly threads: number;
  /** Pool-level errors not tied to a task (task errors reject their run()). Default: a process warning. */
  readonly onError?: (e: unknown) => void;
  /** Op modules to offer besides the production ops (see OpRegistry.load): tests and benchmarks. */
  readonly opModules?: readonly string[];
  /** Storage prefixes tasks may read and write (each thread checks before an op runs); null or absent: unscoped. */
  readonly storageScope?: StorageScope | null;
}

/** dist/pool/thread.js beside this file once built. */
const THREAD_FILE = new URL("./thread.js", import.meta.url).href;

/**
 * Inputs go to a thread by structured clone: copied, since the store keeps them for other consumers, except
 * views over SharedArrayBuffers, which are shared (zero copy). Results come back in shared memory when large (see
 * share.ts), so a result read by later tasks is copied once, in the thread that made it; small ones are moved
 * (see transfer.ts).
 */
export class ThreadPool implements OpRunner {
  readonly threads: number;
  private readonly pool: Piscina<ThreadRequest, ThreadResult>;
  private closing = false;

  constructor(options: ThreadPoolOptions) {
    this.threads = Math.max(1, Math.floor(options.threads));
    this.pool = new Piscina({
      filename: THREAD_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Per-task wait and run histograms cost more than a tiny op; the scheduler keeps its own story.
      recordTiming: false,
      // Threads wait for tasks on their event loop, not in Atomics.wait, so the collection a large task schedules
      // (release.ts) runs as soon as its result is posted.
      useAtomics: false,
      workerData: { opModules: [...(options.opModules ?? [])], storageScope: [...(options.storageScope?.prefixes ?? [])] } satisfies ThreadData,
    });
    const onError = options.onError ?? ((e: unknown) => process.emitWarning(e instanceof Error ? e : String(e), "TesseraThreadPool"));
    // After close, a reply already in flight when the threads were terminated surfaces here: expected, ignored.
    this.pool.on("error", (e: unknown) => {
      if (!this.closing) onError(e);
    });
  }

  async run(req: RunRequest): Promise<unknown> {
    let result: ThreadResult;
    try {
      result = await this.pool.run({ op: req.op, args: req.args, inputs: req.inputs });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw taskError(new ExecutionError("THREAD_FAILED", `the pool thread failed: ${message}`).toInfo(), req);
    }
    if (result.ok) return result.value;
    throw taskError(result.error, req);
  }

  /** Terminates the threads at once; runs still in flight reject (their results are not wanted any more). */
  async close(): Promise<void> {
    this.closing = true;
    await this.pool.destroy();
  }
}
