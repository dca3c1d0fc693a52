// What crosses between the worker's main thread and its pool threads.
import type { ErrorInfo } from "@tessera/common";

/** Given to every pool thread when it starts. */
export interface ThreadData {
  /** Op modules the thread offers besides the production ops (OpRegistry.load). */
  readonly opModules: readonly string[];
  /** Prefixes of the storage scope every task's declared storage must lie in (none: unscoped). */
  readonly storageScope: readonly string[];
}

/** One op to run. Structured clone copies `inputs` (their buffers stay in the store for other consumers). */
export interface ThreadRequest {
  readonly op: string;
  readonly args: unknown;
  readonly inputs: readonly unknown[];
}

/** Sent to a thread: ops it runs one after another, answered in one message (see run-queue.ts). */
export interface ThreadBatch {
  readonly runs: readonly ThreadRequest[];
}

/** One op's value (its buffers transferred) or its error as data, and how long the op ran (ms). */
export type ThreadResult =
  | { readonly ok: true; readonly value: unknown; readonly ms: number }
  | { readonly ok: false; readonly error: ErrorInfo; readonly ms: number };

/** A batch's answer: one result per run, in order, and the thread's id (worker_threads' threadId). */
export interface ThreadBatchResult {
  readonly results: readonly ThreadResult[];
  readonly threadId: number;
}

/**
 * What a pool thread posts once its modules are loaded (`{ [THREAD_LOADED]: threadId }`). Terminating a thread while
 * it still loads them can abort the whole process (V8 fails inside require), so the pool's close waits for these.
 */
export const THREAD_LOADED = "tesseraThreadLoaded";
