// A piscina pool of N threads running ops by name; short ops go in batches, results come back with their buffers transferred.
import { Piscina } from "piscina";
import { ExecutionError } from "@tessera/common";
import type { StorageScope } from "@tessera/io";
import { taskError } from "./op-runner.js";
import type { OpRunner, RunOutcome, RunRequest } from "./op-runner.js";
import { RunQueue } from "./run-queue.js";
import { threadHeapWhileStarting } from "./thread-heap.js";
import { THREAD_LOADED, type ThreadBatch, type ThreadBatchResult, type ThreadData } from "./thread-messages.js";

export interface ThreadPoolOptions {
  readonly threads: number;
  /** Pool-level errors not tied to a task (task errors reject their run()). Default: a process warning. */
  readonly onError?: (e: unknown) => void;
  /** Op modules to offer besides the production ops (see OpRegistry.load): tests and benchmarks. */
  readonly opModules?: readonly string[];
  /** Storage prefixes tasks may read and write (each thread checks before an op runs); null or absent: unscoped. */
  readonly storageScope?: StorageScope | null;
}

/** How long close waits for threads still loading their modules (a thread that failed to load never reports). */
const CLOSE_LOAD_WAIT_MS = 10_000;

/** dist/pool/thread.js beside this file once built. */
const THREAD_FILE = new URL("./thread.js", import.meta.url).href;

interface Waiting {
  readonly req: RunRequest;
  readonly resolve: (r: RunOutcome) => void;
  readonly reject: (e: unknown) => void;
}

/**
 * Inputs go to a thread by structured clone: copied, since the store keeps them for other consumers, except
 * views over SharedArrayBuffers, which are shared (zero copy). Results come back in shared memory when large (see
 * share.ts), so a result read by later tasks is copied once, in the thread that made it; small ones are moved
 * (see transfer.ts). Runs wait in a RunQueue until a thread is free; each thread has one batch at a time, so a run
 * never waits behind another thread's work, and runs of ops known to be short share a batch (one message each way).
 */
export class ThreadPool implements OpRunner {
  readonly threads: number;
  private readonly pool: Piscina<ThreadBatch, ThreadBatchResult>;
  private readonly queue = new RunQueue<Waiting>();
  private busy = 0;
  private pumpScheduled = false;
  /** Thread ids (worker_threads) to thread numbers 0..threads-1, in order of first answer. */
  private readonly lanes = new Map<number, number>();
  private closing = false;
  /** Threads that have loaded their modules (THREAD_LOADED), and a promise settled once all have. */
  private loadedThreads = 0;
  private readonly allLoaded: Promise<void>;
  private onAllLoaded: () => void = () => undefined;
  /** Batches sent to threads and runs they carried since the pool started. */
  batches = 0;
  runs = 0;

  /** Restores V8's default heap sizing for new isolates once this pool's threads have theirs (see thread-heap.ts). */
  private readonly heapStarted: () => void;

  constructor(options: ThreadPoolOptions) {
    this.threads = Math.max(1, Math.floor(options.threads));
    this.heapStarted = threadHeapWhileStarting();
    this.pool = new Piscina({
      filename: THREAD_FILE,
      minThreads: this.threads,
      maxThreads: this.threads,
      concurrentTasksPerWorker: 1,
      idleTimeout: Number.POSITIVE_INFINITY,
      // Per-task wait and run histograms cost more than a tiny op; the scheduler keeps its own story.
      recordTiming: false,
      // Threads wait for tasks on their event loop, not in Atomics.wait, so the collection a large batch schedules
      // (release.ts) runs as soon as its result is posted.
      useAtomics: false,
      workerData: { opModules: [...(options.opModules ?? [])], storageScope: [...(options.storageScope?.prefixes ?? [])] } satisfies ThreadData,
    });
    const onError = options.onError ?? ((e: unknown) => process.emitWarning(e instanceof Error ? e : String(e), "TesseraThreadPool"));
    // After close, a reply already in flight when the threads were terminated surfaces here: expected, ignored.
    this.pool.on("error", (e: unknown) => {
      if (!this.closing) onError(e);
    });
    this.allLoaded = new Promise((resolve) => { this.onAllLoaded = resolve; });
    void this.allLoaded.then(this.heapStarted);
    this.pool.on("message", (m: unknown) => {
      if (typeof m === "object" && m !== null && THREAD_LOADED in m && ++this.loadedThreads >= this.threads) this.onAllLoaded();
    });
  }

  /** Threads that have finished loading their modules. */
  get threadsLoaded(): number {
    return this.loadedThreads;
  }

  execute(req: RunRequest): Promise<RunOutcome> {
    return new Promise((resolve, reject) => {
      this.queue.push(req.op, { req, resolve, reject });
      // Runs requested in the same turn (the state machine starts several at once) are batched together.
      if (!this.pumpScheduled) {
        this.pumpScheduled = true;
        queueMicrotask(this.pump);
      }
    });
  }

  async run(req: RunRequest): Promise<unknown> {
    return (await this.execute(req)).value;
  }

  /**
   * Terminates the threads; runs still in flight or waiting reject (their results are not wanted any more). Threads
   * still loading their modules (a short job's pool closing right after it started) are given up to
   * CLOSE_LOAD_WAIT_MS to finish first: terminating a thread inside require can abort the process.
   */
  async close(): Promise<void> {
    this.closing = true;
    const gone = new ExecutionError("THREAD_FAILED", "the thread pool closed");
    for (let batch = this.queue.take(1); batch.length > 0; batch = this.queue.take(1)) for (const w of batch) w.reject(taskError(gone.toInfo(), w.req));
    if (this.loadedThreads < this.threads) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([this.allLoaded, new Promise<void>((resolve) => { timer = setTimeout(resolve, CLOSE_LOAD_WAIT_MS); })]);
      clearTimeout(timer);
    }
    this.heapStarted();
    await this.pool.destroy();
  }

  private readonly pump = (): void => {
    this.pumpScheduled = false;
    while (!this.closing && this.busy < this.threads && this.queue.size > 0) {
      const batch = this.queue.take(this.threads - this.busy);
      this.busy++;
      this.batches++;
      this.runs += batch.length;
      void this.send(batch).finally(() => {
        this.busy--;
        this.pump();
      });
    }
  };

  private async send(batch: readonly Waiting[]): Promise<void> {
    let answer: ThreadBatchResult;
    try {
      answer = await this.pool.run({ runs: batch.map((w) => ({ op: w.req.op, args: w.req.args, inputs: w.req.inputs })) });
    } catch (e) {
      const message = e instanceof Error ? e.message : typeof e === "object" && e !== null && "message" in e ? String(e.message) : String(e);
      const info = new ExecutionError("THREAD_FAILED", `the pool thread failed: ${message}`).toInfo();
      for (const w of batch) w.reject(taskError(info, w.req));
      return;
    }
    const thread = this.lane(answer.threadId);
    batch.forEach((w, i) => {
      const r = answer.results[i];
      if (r === undefined) {
        w.reject(taskError(new ExecutionError("THREAD_FAILED", "the pool thread returned no result for this run").toInfo(), w.req));
        return;
      }
      this.queue.record(w.req.op, r.ms);
      if (r.ok) w.resolve({ value: r.value, ms: r.ms, thread });
      else w.reject(taskError(r.error, w.req));
    });
  }

  private lane(threadId: number): number {
    let lane = this.lanes.get(threadId);
    if (lane === undefined) {
      lane = this.lanes.size % this.threads;
      this.lanes.set(threadId, lane);
    }
    return lane;
  }
}
