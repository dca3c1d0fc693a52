// The pool thread's entry: runs a batch of ops from the registry, one after another, and returns their values with their buffers transferred.
import { parentPort, threadId, workerData } from "node:worker_threads";
import { Piscina } from "piscina";
import { StorageScope, dropPageBuffers } from "@tessera/io";
import { enableScratch, idleScratch, reclaimScratch } from "@tessera/kernels";
import { errorInfoOf } from "./error-info.js";
import { OpRegistry } from "../ops/op-table.js";
import { runInScope } from "../ops/storage-check.js";
import { prepareTransfer } from "./transfer.js";
import { shareLarge, shareResultsOfThisThread } from "./share.js";
import { collectGarbage, noteRunTime, releaseAfterBatch } from "./release.js";
import { THREAD_LOADED, type ThreadBatch, type ThreadBatchResult, type ThreadData, type ThreadRequest, type ThreadResult } from "./thread-messages.js";

/** Piscina's transferable protocol: it posts `[valueSymbol]` with `[transferableSymbol]` as the transfer list. */
class Moved {
  constructor(private readonly result: ThreadBatchResult, private readonly buffers: ArrayBuffer[]) {}

  get [Piscina.transferableSymbol](): ArrayBuffer[] {
    return this.buffers;
  }

  get [Piscina.valueSymbol](): ThreadBatchResult {
    return this.result;
  }
}

shareResultsOfThisThread();
// Kernels reuse working memory from batch to batch (results leave this thread by copy or move: see scratch.ts).
enableScratch();
// Every module of this thread is loaded by now (static imports evaluate first): the pool may terminate it safely.
parentPort?.postMessage({ [THREAD_LOADED]: threadId });

/** The ops of this thread: the production ops plus the op modules the pool was started with (ThreadData). */
let registry: Promise<OpRegistry> | null = null;
/** The storage scope the pool was started with (ThreadData; prefixes already checked by whoever started it). */
let scope: StorageScope | null = null;

/** Never throws: errors return as data (ErrorInfo) so their code and category survive the thread boundary. */
async function runOne(req: ThreadRequest, transfer: ArrayBuffer[]): Promise<ThreadResult> {
  const started = performance.now();
  try {
    const data = workerData as ThreadData | undefined;
    registry ??= OpRegistry.load(data?.opModules);
    scope ??= StorageScope.of(data?.storageScope ?? []);
    const ops = await registry;
    const run = performance.now();
    // Large results go to shared memory: the store keeps them, and tasks in other threads read them without a copy.
    const prepared = prepareTransfer(shareLarge(await runInScope(ops, scope, req.op, req.args, req.inputs)));
    const ms = performance.now() - run;
    for (const b of prepared.transfer) transfer.push(b);
    return { ok: true, value: prepared.value, ms };
  } catch (e) {
    return { ok: false, error: errorInfoOf(e), ms: performance.now() - started };
  }
}

/** An idle thread lets its working memory go: kernels' scratch memory (idleScratch), then the reader's page buffers, then a collection. */
function dropIdleMemory(): void {
  dropPageBuffers();
  collectGarbage();
}

export default async function runInThread(batch: ThreadBatch): Promise<unknown> {
  reclaimScratch();
  const moved: ArrayBuffer[] = [];
  const results: ThreadResult[] = [];
  for (const req of batch.runs) results.push(await runOne(req, moved));
  for (const r of results) noteRunTime(r.ms);
  idleScratch(dropIdleMemory);
  releaseAfterBatch();
  const answer: ThreadBatchResult = { results, threadId };
  if (moved.length === 0) return answer;
  // Results of one batch may share a buffer (views of one input, say): a transfer list names each buffer once.
  const transfer = [...new Set(moved)];
  // piscina types its Transferable with unique symbols its static getters do not expose; the shape is right.
  return Piscina.move(new Moved(answer, transfer) as unknown as Parameters<typeof Piscina.move>[0]);
}
