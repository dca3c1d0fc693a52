// Runs ops in the main thread: for tiny graphs and tests, where a thread hop costs more than the op.
import { OpRegistry } from "../ops/op-table.js";
import { errorInfoOf } from "./error-info.js";
import { taskError } from "./op-runner.js";
import type { OpRunner, RunRequest } from "./op-runner.js";

export interface InlineRunnerOptions {
  /** Op modules to offer besides the production ops (see OpRegistry.load): tests and benchmarks. */
  readonly opModules?: readonly string[];
}

/**
 * Inputs are passed by reference, not copied: ops must not mutate their inputs (the kernel contract), since
 * the same values stay in the store for other consumers.
 */
export class InlineRunner implements OpRunner {
  readonly threads = 0;
  private registry: Promise<OpRegistry> | null = null;

  constructor(private readonly options: InlineRunnerOptions = {}) {}

  async run(req: RunRequest): Promise<unknown> {
    try {
      this.registry ??= OpRegistry.load(this.options.opModules);
      return await (await this.registry).get(req.op).run(req.args, req.inputs);
    } catch (e) {
      throw taskError(errorInfoOf(e), req);
    }
  }

  async close(): Promise<void> {}
}
