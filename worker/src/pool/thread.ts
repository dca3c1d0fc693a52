// The pool thread's entry: runs one op from the registry and returns its value with its buffers transferred.
import { Piscina } from "piscina";
import { ExecutionError } from "@tessera/common";
import { errorInfoOf } from "./error-info.js";
import { OPS } from "../ops/registry.js";
import { prepareTransfer } from "./transfer.js";
import type { ThreadRequest, ThreadResult } from "./thread-messages.js";

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

/** Never throws: errors return as data (ErrorInfo) so their code and category survive the thread boundary. */
export default async function runInThread(req: ThreadRequest): Promise<unknown> {
  try {
    const fn = OPS[req.op];
    if (fn === undefined) throw new ExecutionError("UNKNOWN_OP", `no op named ${req.op} in this worker's registry`);
    const { value, transfer } = prepareTransfer(await fn(req.args, req.inputs));
    const result: ThreadResult = { ok: true, value };
    if (transfer.length === 0) return result;
    // piscina types its Transferable with unique symbols its static getters do not expose; the shape is right.
    return Piscina.move(new Moved(result, transfer) as unknown as Parameters<typeof Piscina.move>[0]);
  } catch (e) {
    return { ok: false, error: errorInfoOf(e) } satisfies ThreadResult;
  }
}
