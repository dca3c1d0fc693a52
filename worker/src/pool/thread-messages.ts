// What crosses between the worker's main thread and its pool threads.
import type { ErrorInfo } from "@tessera/common";

/** Given to every pool thread when it starts. */
export interface ThreadData {
  /** Op modules the thread offers besides the production ops (OpRegistry.load). */
  readonly opModules: readonly string[];
  /** Prefixes of the storage scope every task's declared storage must lie in (none: unscoped). */
  readonly storageScope: readonly string[];
}

/** Sent to a thread. Structured clone copies `inputs` (their buffers stay in the store for other consumers). */
export interface ThreadRequest {
  readonly op: string;
  readonly args: unknown;
  readonly inputs: readonly unknown[];
}

/** Returned by a thread: the value (its buffers transferred) or the error as data. */
export type ThreadResult =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly error: ErrorInfo };
