// What a handler takes from its task's inputs: Batches where it reads Batches, checked, since a graph wires them.
import { ExecutionError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";

/** Whether `v` has a Batch's shape (its columns are the kernels' to read; a split's array of Batches is not one). */
function isBatch(v: unknown): v is Batch {
  const b = v as Partial<Batch> | null | undefined;
  return typeof b === "object" && b !== null && !Array.isArray(b) && Array.isArray(b.fields) && Array.isArray(b.columns) && typeof b.length === "number";
}

/** Input `i` as a Batch; ExecutionError BAD_INPUT naming the step when the task has no Batch there. */
export function batchInput(inputs: readonly unknown[], i: number, what: string): Batch {
  const x = inputs[i];
  if (!isBatch(x)) {
    const got = x === undefined ? "nothing" : Array.isArray(x) ? "a list (a split's parts: pick one)" : typeof x;
    throw new ExecutionError("BAD_INPUT", `${what}: input ${i} of the task is ${got}, not a batch (the task has ${inputs.length} inputs)`, { input: i });
  }
  return x;
}

/** Inputs [from, to) as Batches (see batchInput). */
export function batchInputs(inputs: readonly unknown[], what: string, from = 0, to = inputs.length): Batch[] {
  const out: Batch[] = [];
  for (let i = from; i < Math.min(to, inputs.length); i++) out.push(batchInput(inputs, i, what));
  return out;
}
