// Dataframe operations the workers run: fused pipelines, picks, sorted merges, range bounds.
import type { MergeSortedArgs, PickArgs, PipelineArgs, RangeBoundsArgs } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import { concatBatches, mergeSorted, rangeBounds } from "@tessera/kernels";
import { ExecutionError } from "@tessera/common";
import { readSource } from "./read-source.js";
import { applyStep } from "./steps.js";
import type { OpHandlers } from "./op-descriptor.js";
import { batchInputs } from "./task-inputs.js";

/**
 * A result's columns have distinct names: Arrow IPC (results between workers and to clients) cannot carry two columns
 * of one name, and only a graph that lowering did not build (duplicate projections or aggregate names) makes them.
 */
function distinctNames(b: Batch): void {
  const seen = new Set<string>();
  for (const f of b.fields) {
    if (seen.has(f.name)) throw new ExecutionError("DUPLICATE_COLUMN", `the result has two columns named "${f.name.slice(0, 200)}"`, { column: f.name.slice(0, 200) });
    seen.add(f.name);
  }
}

/** Runs a fused chain of steps over one partition. A splitting last step returns an array of Batches. */
async function pipeline(args: PipelineArgs, inputs: readonly unknown[]): Promise<Batch | Batch[]> {
  let b = await readSource(args.source, inputs, args.steps);
  for (const step of args.steps) {
    const r = await applyStep(b, step, inputs);
    if (Array.isArray(r)) {
      if (r[0] !== undefined) distinctNames(r[0]);
      return r;
    }
    b = r;
  }
  distinctNames(b);
  return b;
}

function pick(args: PickArgs, inputs: readonly unknown[]): Batch {
  const parts = inputs[0];
  if (!Array.isArray(parts)) throw new ExecutionError("BAD_INPUT", "pick expects a split (an array of batches)");
  const b = parts[args.index] as Batch | undefined;
  if (!b) throw new ExecutionError("BAD_INPUT", `pick: split has no part ${args.index}`);
  return b;
}

function mergeSortedOp(args: MergeSortedArgs, inputs: readonly unknown[]): Batch {
  const batches = batchInputs(inputs, "merge-sorted");
  if (batches.length === 0) return concatBatches([], args.fields);
  return mergeSorted(batches, args.spec);
}

function rangeBoundsOp(args: RangeBoundsArgs, inputs: readonly unknown[]): Batch {
  return rangeBounds(batchInputs(inputs, "range-bounds"), args.spec, args.n);
}

export const DATAFRAME_HANDLERS = {
  pipeline,
  pick,
  "merge-sorted": mergeSortedOp,
  "range-bounds": rangeBoundsOp,
} satisfies Partial<OpHandlers>;
