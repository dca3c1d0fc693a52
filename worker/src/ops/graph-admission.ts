// What the workers agree to run, checked by the scheduler when a graph arrives (before any of its tasks runs).
import type { GraphAdmission, TaskGraph } from "@tessera/graph";
import type { StorageScope } from "@tessera/io";
import { functionRefsOf, functionsDirs, resolveUserFunction, tileEncoderRefOf } from "./user-functions.js";

export interface GraphAdmissionOptions {
  /** Directories whose modules mapBatches may load (default: TESSERA_FUNCTIONS_DIR of this process). */
  readonly functionsDirs?: readonly string[];
  /**
   * The storage prefixes reads and writes must stay in (null: unscoped). Carried here for the check of every
   * URL a task reads or writes, which needs each op to declare its URLs; see StorageScope.check.
   */
  readonly storageScope?: StorageScope | null;
}

/**
 * The admission check `tessera scheduler` and the in-process cluster install: every mapBatches reference must
 * resolve, on this host, to an installed package's exported file or a file in an allowed directory (see
 * resolveUserFunction). Throws PlanError FUNCTION_NOT_ALLOWED / FUNCTION_NOT_FOUND naming the reference.
 */
export function makeGraphAdmission(options: GraphAdmissionOptions = {}): GraphAdmission {
  const dirs = options.functionsDirs ?? functionsDirs();
  return (graph: TaskGraph) => {
    const seen = new Set<unknown>();
    for (const task of graph.tasks) {
      for (const ref of functionRefsOf(task)) {
        if (seen.has(ref)) continue;
        seen.add(ref);
        resolveUserFunction(ref, dirs, tileEncoderRefOf(task).includes(ref) ? "sinkTiles" : "mapBatches");
      }
    }
  };
}
