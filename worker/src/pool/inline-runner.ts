// Runs ops in the main thread: for tiny graphs and tests, where a thread hop costs more than the op.
import { ExecutionError } from "@tessera/common";
import type { OpFn } from "@tessera/graph";
import { OPS } from "../ops/registry.js";
import { errorInfoOf } from "./error-info.js";
import { taskError } from "./op-runner.js";
import type { OpRunner, RunRequest } from "./op-runner.js";

/**
 * Inputs are passed by reference, not copied: ops must not mutate their inputs (the kernel contract), since
 * the same values stay in the store for other consumers.
 */
export class InlineRunner implements OpRunner {
  readonly threads = 0;

  constructor(private readonly ops: Readonly<Record<string, OpFn>> = OPS) {}

  async run(req: RunRequest): Promise<unknown> {
    try {
      const fn = this.ops[req.op];
      if (fn === undefined) throw new ExecutionError("UNKNOWN_OP", `no op named ${req.op} in this worker's registry`);
      return await fn(req.args, req.inputs);
    } catch (e) {
      throw taskError(errorInfoOf(e), req);
    }
  }

  async close(): Promise<void> {}
}
