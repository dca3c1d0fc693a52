// A task whose args match its op: what lowering builds, before it becomes a plain TaskSpec on the wire.
import type { TaskSpec } from "@tessera/graph";
import type { OpArgs, OpName } from "./op-args.js";

/** A TaskSpec of op K carrying OpArgs[K]. */
export type TaskOf<K extends OpName> = TaskSpec & { readonly op: K; readonly args: OpArgs[K] };

/** Any production task, discriminated by `op`. */
export type OpTask = { [K in OpName]: TaskOf<K> }[OpName];
