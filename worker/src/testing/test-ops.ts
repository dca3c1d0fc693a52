// Small ops for runtime tests and benchmarks: no-op, summing, failing, sleeping, making a large typed array or a
// raster chunk (and poking one, to see whether threads share its memory).
// Not production ops: a worker offers them only when whoever starts it names this module (TEST_OPS_MODULE).
import { isMainThread, threadId } from "node:worker_threads";
import { constants as perfConstants, PerformanceObserver } from "node:perf_hooks";
import { ExecutionError } from "@tessera/common";
import { bool, int, nullable, num, obj, optional, plain, str } from "@tessera/protocol";
import type { Check } from "@tessera/protocol";
import type { StorageAccess } from "@tessera/ops";
import { bindOps } from "../ops/op-descriptor.js";
import { resultsShared } from "../pool/share.js";
import type { RasterChunk } from "@tessera/raster";
import { allocBand, isRasterChunk, makeChunk, makeGrid } from "@tessera/raster";

const NONE: StorageAccess = { reads: [], writes: [] };
const noStorage = (): StorageAccess => NONE;
const anything: Check = plain;

/** Most elements make-array allocates (1 GiB of float64). */
export const MAX_TEST_ARRAY = 1 << 27;

/** Sums numeric inputs plus `args` when it is a number. */
function sumInputs(args: number | null, inputs: readonly unknown[]): number {
  let s = args ?? 0;
  for (const x of inputs) {
    if (typeof x !== "number") throw new ExecutionError("NOT_A_NUMBER", `sum-inputs takes numbers, got ${typeof x}`);
    s += x;
  }
  return s;
}

interface FailArgs { readonly code?: string; readonly message?: string }

/** Throws ExecutionError with `args.code` (default TEST_FAILURE) and `args.message`. */
function fail(args: FailArgs | null): never {
  throw new ExecutionError(args?.code ?? "TEST_FAILURE", args?.message ?? "the fail op failed");
}

/**
 * The array make-array returned last in this pool thread, to observe that returning it moved it (detached it
 * here, so it holds no memory). Not kept on the main thread, where nothing is moved.
 */
let lastMade: Float64Array | null = null;

interface MakeArrayArgs { readonly n: number; readonly offset?: number }

/** A Float64Array of `args.n` elements (at most MAX_TEST_ARRAY), element i = i + (args.offset ?? 0). */
function makeArray(args: MakeArrayArgs): Float64Array {
  const offset = args.offset ?? 0;
  const out = new Float64Array(args.n);
  for (let i = 0; i < args.n; i++) out[i] = i + offset;
  if (!isMainThread) lastMade = out;
  return out;
}

/** The sum of all elements of the Float64Array inputs. */
function sumArrays(_args: unknown, inputs: readonly unknown[]): number {
  let s = 0;
  for (const x of inputs) {
    if (!(x instanceof Float64Array)) throw new ExecutionError("NOT_AN_ARRAY", "sum-arrays takes Float64Arrays");
    for (let i = 0; i < x.length; i++) s += x[i] as number;
  }
  return s;
}

/** The chunk make-chunk returned last in this thread, to observe from the main thread that it was not copied. */
let lastChunk: RasterChunk | null = null;

/** A one-band float32 chunk of `args.n` pixels (pixel i = i), allocated the way raster ops allocate bands. */
function makeTestChunk(args: { readonly n: number }): RasterChunk {
  const data = allocBand("float32", args.n);
  for (let i = 0; i < args.n; i++) data[i] = i;
  const grid = makeGrid("EPSG:3857", [0, 1, 0, 0, 0, -1], args.n, 1);
  lastChunk = makeChunk({ grid, window: { x: 0, y: 0, width: args.n, height: 1 }, bands: ["v"], data: [data] });
  return lastChunk;
}

interface PokeArgs { readonly value: number; readonly held: boolean }

/**
 * Writes `value` into pixel 0 of the input chunk (or, with `held`, of the chunk make-chunk returned last here) and
 * returns the pixel's old value. Only a test may mutate an input: it shows whether the thread saw the same memory.
 */
function pokeChunk(args: PokeArgs, inputs: readonly unknown[]): number {
  const c = args.held ? lastChunk : inputs[0];
  if (!isRasterChunk(c)) throw new ExecutionError("NOT_A_CHUNK", "poke-chunk needs a raster chunk");
  const band = c.data[0] as Float32Array;
  const old = band[0] as number;
  band[0] = args.value;
  return old;
}

/**
 * Adds 1 to element 0 of its first input when that input is a Float64Array over shared memory, and says whether it
 * did: a test that the input reached this thread without a copy. (Production ops never write their inputs.)
 */
function bumpShared(_args: unknown, inputs: readonly unknown[]): boolean {
  const x = inputs[0];
  if (!(x instanceof Float64Array) || !(x.buffer instanceof SharedArrayBuffer)) return false;
  x[0] = (x[0] as number) + 1;
  return true;
}

/** Fills a Float64Array of `args.n` elements and returns a copy: the original is garbage once the op returns. */
/** Collections forced in this thread (by the runtime's own calls, as gc() makes them) since this module loaded. */
let forced = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    const flags = ((e as unknown as { detail?: { flags?: number } }).detail)?.flags ?? 0;
    if ((flags & perfConstants.NODE_PERFORMANCE_GC_FLAGS_FORCED) !== 0) forced++;
  }
}).observe({ entryTypes: ["gc"] });

function makeGarbage(args: MakeArrayArgs): Float64Array {
  const a = new Float64Array(args.n).fill(1);
  return a.slice(0, Math.min(a.length, 1024));
}

/** makeGarbage in shared memory: the thread's view of the array is garbage once the op returns. */
function makeSharedGarbage(args: MakeArrayArgs): Float64Array {
  const a = new Float64Array(new SharedArrayBuffer(8 * args.n)).fill(1);
  return a.slice(0, Math.min(a.length, 1024));
}

interface SleepArgs { readonly ms: number; readonly value?: unknown }

/** Waits `args.ms` (at most 10 s) and returns `args.value` (default null): a task that takes time, for cluster tests. */
async function sleep(args: SleepArgs): Promise<unknown> {
  await new Promise((resolve) => setTimeout(resolve, args.ms));
  return args.value ?? null;
}

/** The test ops, bound (args checked before each handler runs); the `ops` export is what OpRegistry.load reads. */
export const ops = bindOps<{
  noop: unknown; sleep: SleepArgs; "sum-inputs": number | null; fail: FailArgs | null; "make-array": MakeArrayArgs;
  "sum-arrays": unknown; "thread-id": unknown; "last-array-bytes": unknown; "make-chunk": { n: number }; "poke-chunk": PokeArgs;
  "bump-shared": unknown; "make-garbage": MakeArrayArgs; "array-buffer-bytes": unknown; "results-shared": unknown;
  "make-shared-garbage": MakeArrayArgs; "forced-collections": unknown;
  "first-input": unknown;
}>({
  noop: { check: anything, storage: noStorage, run: () => null },
  sleep: { check: obj<SleepArgs>({ ms: int(0, 10_000), value: optional(plain) }), storage: noStorage, run: sleep },
  "sum-inputs": { check: nullable(num), storage: noStorage, run: sumInputs },
  fail: { check: nullable(obj<FailArgs>({ code: optional(str(200)), message: optional(str()) })), storage: noStorage, run: fail },
  "make-array": { check: obj<MakeArrayArgs>({ n: int(0, MAX_TEST_ARRAY), offset: optional(num) }), storage: noStorage, run: makeArray },
  "sum-arrays": { check: anything, storage: noStorage, run: sumArrays },
  /** The id of the thread running the op (0 is the main thread). */
  "thread-id": { check: anything, storage: noStorage, run: () => threadId },
  /** byteLength of the array make-array last returned in this pool thread: 0 once it was transferred away. */
  "last-array-bytes": { check: anything, storage: noStorage, run: () => lastMade?.byteLength ?? null },
  "make-chunk": { check: obj({ n: int(1, 1 << 24) }), storage: noStorage, run: makeTestChunk },
  "poke-chunk": { check: obj<PokeArgs>({ value: num, held: bool }), storage: noStorage, run: pokeChunk },
  "bump-shared": { check: anything, storage: noStorage, run: bumpShared },
  "make-garbage": { check: obj<MakeArrayArgs>({ n: int(0, MAX_TEST_ARRAY), offset: optional(num) }), storage: noStorage, run: makeGarbage },
  "make-shared-garbage": { check: obj<MakeArrayArgs>({ n: int(0, MAX_TEST_ARRAY), offset: optional(num) }), storage: noStorage, run: makeSharedGarbage },
  /** Bytes of buffers, SharedArrayBuffers included, this thread still holds (garbage included until it is collected). */
  "array-buffer-bytes": { check: anything, storage: noStorage, run: () => process.memoryUsage().arrayBuffers },
  /** Collections forced in this thread so far (observed as the runtime reports them, a little after they ran). */
  "forced-collections": { check: anything, storage: noStorage, run: () => forced },
  /** Whether the thread running the op hands its results over in shared memory (resultsShared). */
  "results-shared": { check: anything, storage: noStorage, run: () => resultsShared() },
  /** Its first input, as received (in a pool thread: the thread's copy). */
  "first-input": { check: anything, storage: noStorage, run: (_args, inputs) => inputs[0] ?? null },
});
