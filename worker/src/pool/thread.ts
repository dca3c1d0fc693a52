// The pool thread's entry: runs one op from the registry and returns its value with its buffers transferred.
import { workerData } from "node:worker_threads";
import { Piscina } from "piscina";
import { StorageScope } from "@tessera/io";
import { errorInfoOf } from "./error-info.js";
import { OpRegistry } from "../ops/op-table.js";
import { runInScope } from "../ops/storage-check.js";
import { prepareTransfer } from "./transfer.js";
import { shareLarge, shareResultsOfThisThread } from "./share.js";
import { releaseAfterTask } from "./release.js";
import type { ThreadData, ThreadRequest, ThreadResult } from "./thread-messages.js";

/** Piscina's transferable protocol: it posts `[valueSymbol]` with `[transferableSymbol]` as the transfer list. */
class Moved {
  constructor(private readonly result: ThreadResult, private readonly buffers: ArrayBuffer[]) {}

  get [Piscina.transferableSymbol](): ArrayBuffer[] {
    return this.buffers;
  }

  get [Piscina.valueSymbol](): ThreadResult {
    return this.result;
  }
}

shareResultsOfThisThread();

/** The ops of this thread: the production ops plus the op modules the pool was started with (ThreadData). */
let registry: Promise<OpRegistry> | null = null;
/** The storage scope the pool was started with (ThreadData; prefixes already checked by whoever started it). */
let scope: StorageScope | null = null;

/** Never throws: errors return as data (ErrorInfo) so their code and category survive the thread boundary. */
export default async function runInThread(req: ThreadRequest): Promise<unknown> {
  try {
    const data = workerData as ThreadData | undefined;
    registry ??= OpRegistry.load(data?.opModules);
    scope ??= StorageScope.of(data?.storageScope ?? []);
    // Large results go to shared memory: the store keeps them, and tasks in other threads read them without a copy.
    const { value, transfer } = prepareTransfer(shareLarge(await runInScope(await registry, scope, req.op, req.args, req.inputs)));
    releaseAfterTask();
    const result: ThreadResult = { ok: true, value };
    if (transfer.length === 0) return result;
    // piscina types its Transferable with unique symbols its static getters do not expose; the shape is right.
    return Piscina.move(new Moved(result, transfer) as unknown as Parameters<typeof Piscina.move>[0]);
  } catch (e) {
    return { ok: false, error: errorInfoOf(e) } satisfies ThreadResult;
  }
}
