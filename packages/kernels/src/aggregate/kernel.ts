// The aggregate kernel contract: partial state → merge → finalize for decomposable aggregates, full for holistic ones.
// What a function's state holds and how it types is its descriptor's (AGGREGATES in @tessera/expr).
import type { DType } from "@tessera/common";
import type { AggCall } from "@tessera/expr";
import type { Column } from "../column.js";

/** Rows mapped to dense groups. */
export interface Groups {
  readonly ids: Int32Array;
  readonly count: number;
  readonly firstRow: Int32Array;
}

/** How a decomposable aggregate computes; its state columns are those its descriptor's `state` lists, in order. */
export interface DecomposableKernel {
  partial(g: Groups, inputs: readonly Column[], call: AggCall): Column[];
  merge(g: Groups, states: readonly Column[]): Column[];
  finalize(states: readonly Column[], out: DType, call: AggCall): Column;
}

/** How a holistic aggregate computes: in one pass over all of a group's rows (after a shuffle). */
export interface HolisticKernel {
  full(g: Groups, inputs: readonly Column[], call: AggCall): Column;
}

/** A float64 column without nulls. */
export function f64Column(values: Float64Array): Column {
  return { kind: "num", type: "float64", length: values.length, values, valid: null };
}
