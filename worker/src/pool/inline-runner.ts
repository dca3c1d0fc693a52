// Runs ops in the main thread: for tiny graphs and tests, where a thread hop costs more than the op.
import { StorageScope } from "@tessera/io";
import { OpRegistry } from "../ops/op-table.js";
import { runInScope } from "../ops/storage-check.js";
import { errorInfoOf } from "./error-info.js";
import { taskError } from "./op-runner.js";
import type { OpRunner, RunOutcome, RunRequest } from "./op-runner.js";

export interface InlineRunnerOptions {
  /** Op modules to offer besides the production ops (see OpRegistry.load): tests and benchmarks. */
  readonly opModules?: readonly string[];
  /** Storage prefixes tasks may read and write (checked before each op runs); null or absent: unscoped. */
  readonly storageScope?: StorageScope | null;
}

/**
 * Inputs are passed by reference, not copied: ops must not mutate their inputs (the kernel contract), since
 * the same values stay in the store for other consumers.
 */
export class InlineRunner implements OpRunner {
  readonly threads = 0;
  private registry: Promise<OpRegistry> | null = null;
  /** The registry once loaded: ops then start synchronously, with no await before them (tiny ops run per task). */
  private loaded: OpRegistry | null = null;
  private readonly scope: StorageScope;

  constructor(private readonly options: InlineRunnerOptions = {}) {
    this.scope = options.storageScope ?? StorageScope.unscoped();
  }

  execute(req: RunRequest): Promise<RunOutcome> {
    const registry = this.loaded;
    if (registry === null) return this.loadThenExecute(req);
    const started = performance.now();
    const fail = (e: unknown): never => { throw taskError(errorInfoOf(e), req); };
    try {
      const value = runInScope(registry, this.scope, req.op, req.args, req.inputs);
      if (value instanceof Promise) return value.then((v: unknown) => ({ value: v, ms: performance.now() - started, thread: 0 }), fail);
      return Promise.resolve({ value, ms: performance.now() - started, thread: 0 });
    } catch (e) {
      return Promise.reject(taskError(errorInfoOf(e), req));
    }
  }

  private async loadThenExecute(req: RunRequest): Promise<RunOutcome> {
    try {
      this.registry ??= OpRegistry.load(this.options.opModules);
      this.loaded = await this.registry;
    } catch (e) {
      throw taskError(errorInfoOf(e), req);
    }
    return this.execute(req);
  }

  async run(req: RunRequest): Promise<unknown> {
    return (await this.execute(req)).value;
  }

  async close(): Promise<void> {}
}
