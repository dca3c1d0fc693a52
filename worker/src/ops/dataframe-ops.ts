// Dataframe operations the workers run: fused pipelines, picks, sorted merges, range bounds.
import type { MergeSortedArgs, PickArgs, PipelineArgs, RangeBoundsArgs } from "@tessera/ops";
import type { Batch } from "@tessera/kernels";
import { concatBatches, mergeSorted, rangeBounds } from "@tessera/kernels";
import { ExecutionError } from "@tessera/common";
import { readSource } from "./read-source.js";
import { applyStep } from "./steps.js";
import type { OpHandlers } from "./op-descriptor.js";

/** Runs a fused chain of steps over one partition. A splitting last step returns an array of Batches. */
async function pipeline(args: PipelineArgs, inputs: readonly unknown[]): Promise<Batch | Batch[]> {
  let b = await readSource(args.source, inputs);
  for (const step of args.steps) {
    const r = await applyStep(b, step, inputs);
    if (Array.isArray(r)) return r;
    b = r;
  }
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
  const batches = inputs as Batch[];
  if (batches.length === 0) return concatBatches([], args.fields);
  return mergeSorted(batches, args.spec);
}

function rangeBoundsOp(args: RangeBoundsArgs, inputs: readonly unknown[]): Batch {
  return rangeBounds(inputs as Batch[], args.spec, args.n);
}

export const DATAFRAME_HANDLERS = {
  pipeline,
  pick,
  "merge-sorted": mergeSortedOp,
  "range-bounds": rangeBoundsOp,
} satisfies Partial<OpHandlers>;
