// The storage scope applied to tasks: every URL an op's contract says a task reads or writes lies inside the scope.
import type { StorageAccess } from "@tessera/ops";
import type { StorageScope } from "@tessera/io";
import type { OpRegistry } from "./op-table.js";

/**
 * Throws IoError STORAGE_OUT_OF_SCOPE naming the first URL outside `scope` (writes, then reads) and the scope.
 * `checked` (optional) remembers URLs already allowed, so a graph naming one file in many tasks checks it once.
 */
export function checkStorage(scope: StorageScope, access: StorageAccess, checked?: Set<string>): void {
  if (!scope.isScoped) return;
  for (const [urls, kind] of [[access.writes, "write"], [access.reads, "read"]] as const) {
    for (const url of urls) {
      const seen = `${kind} ${url}`;
      if (checked?.has(seen) === true) continue;
      scope.check(url, kind);
      checked?.add(seen);
    }
  }
}

/**
 * Runs task `op` of `registry` once the storage its contract declares for `args` lies inside `scope` (the worker's
 * own check, behind the scheduler's intake: its files, symlinks and mounts may differ from the scheduler's).
 * Args are checked (BAD_OP_ARGS) before anything else; an unknown op is UNKNOWN_OP.
 */
export function runInScope(registry: OpRegistry, scope: StorageScope, op: string, args: unknown, inputs: readonly unknown[]): unknown {
  const bound = registry.get(op);
  if (scope.isScoped) checkStorage(scope, bound.storage(args));
  return bound.run(args, inputs);
}
