// Small ops for runtime tests and benchmarks: no-op, summing, failing, and making a large typed array.
import { isMainThread, threadId } from "node:worker_threads";
import { ExecutionError } from "@tessera/common";
import type { OpFn } from "@tessera/graph";

function record(args: unknown): Record<string, unknown> {
  return typeof args === "object" && args !== null ? (args as Record<string, unknown>) : {};
}

/** Sums numeric inputs plus `args` when it is a number. */
const sumInputs: OpFn = (args, inputs) => {
  let s = typeof args === "number" ? args : 0;
  for (const x of inputs) {
    if (typeof x !== "number") throw new ExecutionError("NOT_A_NUMBER", `sum-inputs takes numbers, got ${typeof x}`);
    s += x;
  }
  return s;
};

/** Throws ExecutionError with `args.code` (default TEST_FAILURE) and `args.message`. */
const fail: OpFn = (args) => {
  const a = record(args);
  const code = typeof a["code"] === "string" ? a["code"] : "TEST_FAILURE";
  const message = typeof a["message"] === "string" ? a["message"] : "the fail op failed";
  throw new ExecutionError(code, message);
};

/**
 * The array make-array returned last in this pool thread, to observe that returning it moved it (detached it
 * here, so it holds no memory). Not kept on the main thread, where nothing is moved.
 */
let lastMade: Float64Array | null = null;

/** A Float64Array of `args.n` elements, element i = i + (args.offset ?? 0). */
const makeArray: OpFn = (args) => {
  const a = record(args);
  const n = typeof a["n"] === "number" ? a["n"] : 0;
  const offset = typeof a["offset"] === "number" ? a["offset"] : 0;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = i + offset;
  if (!isMainThread) lastMade = out;
  return out;
};

/** The sum of all elements of the Float64Array inputs. */
const sumArrays: OpFn = (_args, inputs) => {
  let s = 0;
  for (const x of inputs) {
    if (!(x instanceof Float64Array)) throw new ExecutionError("NOT_AN_ARRAY", "sum-arrays takes Float64Arrays");
    for (let i = 0; i < x.length; i++) s += x[i] as number;
  }
  return s;
};

/** Waits `args.ms` (at most 10 s) and returns `args.value` (default null): a task that takes time, for cluster tests. */
const sleep: OpFn = async (args) => {
  const a = record(args);
  const ms = typeof a["ms"] === "number" ? Math.min(Math.max(0, a["ms"]), 10_000) : 0;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return a["value"] ?? null;
};

export const TEST_OPS: Readonly<Record<string, OpFn>> = {
  noop: () => null,
  sleep,
  "sum-inputs": sumInputs,
  fail,
  "make-array": makeArray,
  "sum-arrays": sumArrays,
  /** The id of the thread running the op (0 is the main thread). */
  "thread-id": () => threadId,
  /** byteLength of the array make-array last returned in this pool thread: 0 once it was transferred away. */
  "last-array-bytes": () => lastMade?.byteLength ?? null,
};
