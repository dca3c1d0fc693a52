// What the workers agree to run, checked by the scheduler when a graph arrives (before any of its tasks runs).
import { ExecutionError, errorFromInfo, errorToInfo } from "@tessera/common";
import type { GraphAdmission, TaskGraph, TaskSpec } from "@tessera/graph";
import { StorageScope } from "@tessera/io";
import { errorWithTaskContext } from "@tessera/protocol";
import { OpRegistry } from "./op-table.js";
import { checkStorage } from "./storage-check.js";
import { functionRefsOf, functionsDirs, resolveUserFunction } from "./user-functions.js";

export interface GraphAdmissionOptions {
  /** Directories whose modules mapBatches may load (default: TESSERA_FUNCTIONS_DIR of this process). */
  readonly functionsDirs?: readonly string[];
  /** The storage prefixes every read and write must stay in (null or absent: unscoped). */
  readonly storageScope?: StorageScope | null;
  /** The ops the workers offer (default: the production ops); a task naming any other op is refused. */
  readonly ops?: OpRegistry;
}

/** One task's checks: its op is offered, its args pass the op's contract, the storage the contract declares is in scope. */
function admitTask(task: TaskSpec, ops: OpRegistry, scope: StorageScope, checked: Set<string>): void {
  if (!ops.has(task.op)) {
    throw new ExecutionError("UNKNOWN_OP", `no op named ${String(task.op).slice(0, 200)} is offered by this cluster`, { op: task.op });
  }
  // The contract's storage(args) checks the args first (BAD_OP_ARGS naming the op and the field).
  checkStorage(scope, ops.get(task.op).storage(task.args), checked);
}

/**
 * The admission check `tessera scheduler` and the in-process cluster install. For every task of a graph: its op is
 * one the workers offer (ExecutionError UNKNOWN_OP naming it); its args pass that op's contract (BAD_OP_ARGS), so
 * whatever a handler allocates from them is bounded; every URL the contract's `storage(args)` declares lies in the
 * storage scope (IoError STORAGE_OUT_OF_SCOPE naming the URL and the scope); every mapBatches reference resolves, on
 * this host, to an installed package's exported file or a file in an allowed directory (PlanError
 * FUNCTION_NOT_ALLOWED / FUNCTION_NOT_FOUND naming it, see resolveUserFunction). Errors about a task start with its
 * op and partition and carry its key. Generic over the op contracts: an op declared with its `storage(args)` is covered.
 */
export function makeGraphAdmission(options: GraphAdmissionOptions = {}): GraphAdmission {
  const dirs = options.functionsDirs ?? functionsDirs();
  const ops = options.ops ?? OpRegistry.production;
  const scope = options.storageScope ?? StorageScope.unscoped();
  return (graph: TaskGraph) => {
    const refs = new Set<unknown>();
    // Within one graph a URL is placed once (many tasks read one file's row groups); symlinks are followed anew per graph.
    const checked = new Set<string>();
    for (const task of graph.tasks) {
      // References first, whatever else the args hold: a refused one is named as such, never as malformed args.
      for (const ref of functionRefsOf(task)) {
        if (refs.has(ref)) continue;
        refs.add(ref);
        resolveUserFunction(ref, dirs);
      }
      try {
        admitTask(task, ops, scope, checked);
      } catch (e) {
        throw errorFromInfo(errorWithTaskContext(errorToInfo(e), task.key, String(task.op), task.label));
      }
    }
  };
}
