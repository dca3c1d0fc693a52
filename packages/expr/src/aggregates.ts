// One descriptor per aggregate function: how it types, whether it decomposes, and the partial state it keeps.
// expr types aggregates with it, plan lowers them with it, kernels lay out and check states with it.
import type { DType, Field } from "@tessera/common";
import { PlanError, isFloat, isNumeric } from "@tessera/common";
import type { AggFn } from "./nodes.js";

/** One column of a partial state: float64 accumulators, or a chosen value of the aggregate's output type ("out"). */
export interface StatePart {
  readonly name: string;
  readonly type: "float64" | "out";
}

/** What an aggregate function is, independently of how its kernels compute it. */
export interface AggDescriptor {
  /** decomposable: partial state → merge → finalize; holistic: needs all of a group's rows at once (shuffle, then full). */
  readonly kind: "decomposable" | "holistic";
  /** Number of argument expressions. */
  readonly arity: 0 | 1 | 2;
  /** The output type from the arguments' types; `mismatch` throws the plan error naming a bad operand type. */
  outputType(args: readonly DType[], mismatch: (got: DType) => never): DType;
  /** Whether the result can be null (an empty group, all-null input). */
  readonly nullable: boolean;
  /** The partial state's columns, in order; empty for holistic aggregates. */
  readonly state: readonly StatePart[];
  /** Functions with the same stateKey over the same inputs keep the same partial state, computed once (sum/mean, var/std). */
  readonly stateKey?: string;
  /** The result depends on the order in which rows and states meet (first, last): states merge in partition order only. */
  readonly orderSensitive?: boolean;
}

const first = (args: readonly DType[]): DType => args[0] ?? "null";
const numeric = (args: readonly DType[], mismatch: (got: DType) => never): DType => {
  const t = first(args);
  if (!isNumeric(t) && t !== "null" && t !== "bool") mismatch(t);
  return t;
};
const f64 = (name: string): StatePart => ({ name, type: "float64" });
const SUM_STATE = [f64("hi"), f64("lo"), f64("n")];
const VAR_STATE = [f64("n"), f64("s_hi"), f64("s_lo"), f64("q_hi"), f64("q_lo")];
const CORR_STATE = ["n", "x_hi", "x_lo", "y_hi", "y_lo", "xy_hi", "xy_lo", "xx_hi", "xx_lo", "yy_hi", "yy_lo"].map(f64);
const CHOSEN: StatePart = { name: "v", type: "out" };
const toFloat = (args: readonly DType[], mismatch: (got: DType) => never): DType => { numeric(args, mismatch); return "float64"; };

/** The aggregate functions, one descriptor each; `satisfies` keeps each `kind` literal for the kernel table's type. */
export const AGGREGATES = {
  sum: {
    kind: "decomposable", arity: 1, nullable: true, state: SUM_STATE, stateKey: "sum",
    outputType: (args, mismatch) => (isFloat(numeric(args, mismatch)) ? "float64" : "int64"),
  },
  mean: { kind: "decomposable", arity: 1, nullable: true, state: SUM_STATE, stateKey: "sum", outputType: toFloat },
  count: { kind: "decomposable", arity: 1, nullable: false, state: [f64("n")], outputType: () => "int64" },
  len: { kind: "decomposable", arity: 0, nullable: false, state: [f64("n")], outputType: () => "int64" },
  var: { kind: "decomposable", arity: 1, nullable: true, state: VAR_STATE, stateKey: "var", outputType: toFloat },
  std: { kind: "decomposable", arity: 1, nullable: true, state: VAR_STATE, stateKey: "var", outputType: toFloat },
  corr: {
    kind: "decomposable", arity: 2, nullable: true, state: CORR_STATE,
    outputType: (args, mismatch) => {
      for (const a of args) if (!isNumeric(a)) mismatch(a);
      if (args.length !== 2) throw new PlanError("BAD_ARGUMENT", "corr takes exactly two expressions");
      return "float64";
    },
  },
  min: { kind: "decomposable", arity: 1, nullable: true, state: [CHOSEN], outputType: first },
  max: { kind: "decomposable", arity: 1, nullable: true, state: [CHOSEN], outputType: first },
  /** first/last keep the row count beside the value, so an empty partition's null never wins the merge. */
  first: { kind: "decomposable", arity: 1, nullable: true, state: [CHOSEN, f64("n")], orderSensitive: true, outputType: first },
  last: { kind: "decomposable", arity: 1, nullable: true, state: [CHOSEN, f64("n")], orderSensitive: true, outputType: first },
  median: { kind: "holistic", arity: 1, nullable: true, state: [], outputType: toFloat },
  quantile: { kind: "holistic", arity: 1, nullable: true, state: [], outputType: toFloat },
  nUnique: { kind: "holistic", arity: 1, nullable: false, state: [], outputType: () => "int64" },
} as const satisfies { readonly [F in AggFn]: AggDescriptor };

/** The functions whose descriptor says holistic (median, quantile, nUnique). */
export type HolisticFn = { [F in AggFn]: (typeof AGGREGATES)[F]["kind"] extends "holistic" ? F : never }[AggFn];
export type DecomposableFn = Exclude<AggFn, HolisticFn>;

export function aggDescriptor(fn: AggFn): AggDescriptor {
  return AGGREGATES[fn];
}

/** One aggregate of an AggSpec: `inputs` name pre-computed columns (none for len, two for corr); `out` is its output type. */
export interface AggCall {
  readonly fn: AggFn;
  readonly inputs: readonly string[];
  readonly q?: number;
  readonly name: string;
  readonly out: DType;
}

/** Group-by keys and aggregates. Output: key columns, then one column per aggregate named `name`. */
export interface AggSpec {
  readonly keys: readonly string[];
  readonly aggs: readonly AggCall[];
}

/** False when any aggregate is holistic: the planner shuffles rows and evaluates everything in one pass (aggFull). */
export function isDecomposable(spec: AggSpec): boolean {
  return spec.aggs.every((a) => AGGREGATES[a.fn].kind === "decomposable");
}

/** True when some aggregate's result depends on the order rows and states meet in (first, last). */
export function isOrderSensitive(spec: AggSpec): boolean {
  return spec.aggs.some((a) => (AGGREGATES[a.fn] as AggDescriptor).orderSensitive === true);
}

/** A partial-state column: which aggregate of the spec (index `agg`) and which part of its state it holds. */
export interface AggStateField extends Field {
  readonly agg: number;
  readonly part: string;
}

/**
 * The columns of a partial-state batch after its key columns: each aggregate's state parts in order. States are read
 * by this layout (position), so nothing about an aggregate is encoded in column names.
 */
export function aggStateFields(spec: AggSpec): AggStateField[] {
  return spec.aggs.flatMap((call, agg) => AGGREGATES[call.fn].state.map((p) => ({
    name: `__agg${agg}.${p.name}`, type: p.type === "out" ? call.out : "float64", nullable: true, agg, part: p.name,
  })));
}

/** The output field of one aggregate of a spec (its name, output type and the descriptor's nullability). */
export function aggOutputField(call: AggCall): Field {
  return { name: call.name, type: call.out, nullable: AGGREGATES[call.fn].nullable };
}
