// How a task is named in errors and logs: "op agg-partial, partition 3".
import type { ErrorInfo } from "@tessera/common";
import type { TaskLabel } from "./messages.js";

/** "op <op>" plus the label's name (when it differs from the op) and partition. */
export function describeTask(op: string, label?: TaskLabel): string {
  let s = `op ${op}`;
  if (label !== undefined && label.name !== op) s += ` (${label.name})`;
  if (label?.partition !== undefined) s += `, partition ${label.partition}`;
  return s;
}

/**
 * The error of a failed task with its context: the message starts with describeTask(...) (added once) and
 * details carry key, op and label, so a client can say which partition of which step failed.
 */
export function errorWithTaskContext(error: ErrorInfo, key: string, op: string, label?: TaskLabel): ErrorInfo {
  const prefix = describeTask(op, label);
  const message = error.message.startsWith(prefix) ? error.message : `${prefix}: ${error.message}`;
  const details: Record<string, unknown> = { ...error.details, key, op };
  if (label !== undefined) details["label"] = label;
  return { ...error, message, details };
}
