// The aggregate kernel contract: partial state → merge → finalize for decomposable aggregates, full for holistic ones.
import type { DType } from "@tessera/common";
import type { AggFn } from "@tessera/expr";
import type { Column } from "../column.js";

/** One aggregate of an AggSpec: `inputs` name pre-computed columns (none for len, two for corr). */
export interface AggCall {
  readonly fn: AggFn;
  readonly inputs: readonly string[];
  readonly q?: number;
  readonly name: string;
}

/** Group-by keys and aggregates. Output: key columns, then one column per aggregate named `name`. */
export interface AggSpec {
  readonly keys: readonly string[];
  readonly aggs: readonly AggCall[];
}

/** Rows mapped to dense groups. */
export interface Groups {
  readonly ids: Int32Array;
  readonly count: number;
  readonly firstRow: Int32Array;
}

/** How one aggregate function computes. State parts are float64 columns unless the kernel says otherwise. */
export interface AggKernel {
  /** Names of the state columns, in order; empty for holistic aggregates (full only). */
  readonly parts: readonly string[];
  /** Kernels with equal stateKeys over the same inputs build the same partial state (sum/mean, var/std): computed once. */
  readonly stateKey?: string;
  partial(g: Groups, inputs: readonly Column[], call: AggCall): Column[];
  merge(g: Groups, states: readonly Column[]): Column[];
  finalize(states: readonly Column[], out: DType, call: AggCall): Column;
  /** One pass over all rows: finalize(partial(...)) unless the aggregate is holistic. */
  full(g: Groups, inputs: readonly Column[], call: AggCall, out: DType): Column;
}

/** A float64 column without nulls. */
export function f64Column(values: Float64Array): Column {
  return { kind: "num", type: "float64", length: values.length, values, valid: null };
}
