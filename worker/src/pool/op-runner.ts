// What runs an op: a pool of threads or the main thread. The worker shell sees only this interface.
import { errorFromInfo } from "@tessera/common";
import type { ErrorInfo, TesseraError } from "@tessera/common";
import { errorWithTaskContext } from "@tessera/protocol";
import type { TaskLabel } from "@tessera/protocol";

export interface RunRequest {
  /** The task key, for error details. */
  readonly key: string;
  readonly op: string;
  readonly args: unknown;
  readonly inputs: readonly unknown[];
  readonly label?: TaskLabel;
}

/** An op's value, how long the op itself ran (ms, not counting any wait for a thread) and on which thread (0-based). */
export interface RunOutcome {
  readonly value: unknown;
  readonly ms: number;
  readonly thread: number;
}

/** Runs ops by name. Errors reject as TesseraErrors whose message starts with "op <op>, partition <n>: ". */
export interface OpRunner {
  /** Threads running ops; 0 for the main thread. */
  readonly threads: number;
  /** Runs the op; resolves with its value, run time and thread. */
  execute(req: RunRequest): Promise<RunOutcome>;
  /** Runs the op; resolves with its value. */
  run(req: RunRequest): Promise<unknown>;
  close(): Promise<void>;
}

/** Rebuilds an error (thrown here or received from a thread as ErrorInfo) with the task's op, label and key. */
export function taskError(info: ErrorInfo, req: RunRequest): TesseraError {
  return errorFromInfo(errorWithTaskContext(info, req.key, req.op, req.label));
}
