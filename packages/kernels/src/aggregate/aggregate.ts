// Grouped aggregation: aggPartial → aggMerge → aggFinalize for decomposable specs, aggFull for one pass over all rows.
import type { Field } from "@tessera/common";
import { InternalError } from "@tessera/common";
import type { AggCall, AggFn, AggSpec } from "@tessera/expr";
import { AGGREGATES, aggOutputField, aggStateFields, isDecomposable } from "@tessera/expr";
import type { Batch, Column } from "../column.js";
import { getColumn } from "../batch-ops.js";
import { concatBatches } from "../concat.js";
import { groupIds } from "../group-ids.js";
import { takeColumn } from "../take.js";
import { compactDict } from "../compact-dict.js";
import type { DecomposableKernel, Groups, HolisticKernel } from "./kernel.js";
import { AGG_KERNELS } from "./registry.js";

function decomposableKernel(fn: AggFn): DecomposableKernel {
  const k = AGG_KERNELS[fn];
  if (!("partial" in k)) throw new InternalError("NOT_DECOMPOSABLE", `${fn} is holistic: it runs only in aggFull, after a shuffle`);
  return k;
}

function holisticKernel(fn: AggFn): HolisticKernel {
  const k = AGG_KERNELS[fn];
  if (!("full" in k)) throw new InternalError("NOT_HOLISTIC", `${fn} is decomposable: it runs through its partial state`);
  return k;
}

/**
 * Groups of the batch's rows by the key columns, numbered in any order (a result's rows come in no promised order);
 * no keys means one group, even over zero rows.
 */
function groupsOf(b: Batch, keys: readonly string[]): Groups {
  if (keys.length > 0) return groupIds(keys.map((k) => getColumn(b, k)), b.length, true);
  return { ids: new Int32Array(b.length), count: 1, firstRow: Int32Array.of(b.length > 0 ? 0 : -1) };
}

function keyColumns(b: Batch, spec: AggSpec, g: Groups): { fields: Field[]; columns: Column[] } {
  const fields: Field[] = [];
  const columns: Column[] = [];
  // As many groups as rows, numbered by first appearance (groupIds numbers them in another order only when there are
  // fewer): group g's first row is row g, and the keys are the rows' own (high-cardinality keys, states merged after
  // a shuffle).
  const everyRow = g.count === b.length;
  for (const k of spec.keys) {
    const i = b.fields.findIndex((f) => f.name === k);
    fields.push(b.fields[i] as Field);
    const taken = everyRow ? (b.columns[i] as Column) : takeColumn(b.columns[i] as Column, g.firstRow);
    // A key's dictionary may be a concatenation of many (and hold a value more than once): keep what the groups use.
    columns.push(taken.kind === "dict" ? compactDict(taken) : taken);
  }
  return { fields, columns };
}

/**
 * The state columns of each aggregate in a state batch, by position: after the key columns, each aggregate's
 * descriptor parts in order (aggStateFields). Checks the batch has exactly that many columns.
 */
function statesOf(state: Batch, spec: AggSpec): Column[][] {
  const layout = aggStateFields(spec);
  if (state.columns.length !== spec.keys.length + layout.length) {
    throw new InternalError("AGG_STATE", `a state batch has ${state.columns.length} columns, the spec's layout ${spec.keys.length + layout.length}`);
  }
  const out: Column[][] = spec.aggs.map(() => []);
  layout.forEach((f, j) => (out[f.agg] as Column[]).push(state.columns[spec.keys.length + j] as Column));
  return out;
}

function requireDecomposable(spec: AggSpec): void {
  if (!isDecomposable(spec)) throw new InternalError("NOT_DECOMPOSABLE", "aggPartial/aggMerge need a decomposable spec; use aggFull");
}

/** Partial states of a spec's aggregates over one set of groups, sharing work between functions with a common stateKey. */
function partialStates(g: Groups, b: Batch, aggs: readonly AggCall[]): Column[][] {
  const cache = new Map<string, Column[]>();
  return aggs.map((call) => {
    const d = AGGREGATES[call.fn];
    const key = `${("stateKey" in d ? d.stateKey : undefined) ?? call.fn}(${call.fn === "len" ? "" : call.inputs.join(",")})`;
    let states = cache.get(key);
    if (states === undefined) {
      states = decomposableKernel(call.fn).partial(g, call.inputs.map((n) => getColumn(b, n)), call);
      cache.set(key, states);
    }
    return states;
  });
}

/** Key columns, then the state columns of every aggregate, laid out and named by aggStateFields. */
function stateBatch(keys: { fields: Field[]; columns: Column[] }, spec: AggSpec, states: readonly Column[][], length: number): Batch {
  const fields = [...keys.fields];
  const columns = [...keys.columns];
  const layout = aggStateFields(spec);
  let j = 0;
  for (const parts of states) {
    for (const c of parts) {
      const f = layout[j++] as Field;
      fields.push({ name: f.name, type: c.type, nullable: true });
      columns.push(c);
    }
  }
  return { fields, columns, length };
}

/** One row per group: key columns, then the state columns of every aggregate. */
export function aggPartial(b: Batch, spec: AggSpec): Batch {
  requireDecomposable(spec);
  const g = groupsOf(b, spec.keys);
  return stateBatch(keyColumns(b, spec, g), spec, partialStates(g, b, spec.aggs), g.count);
}

/** Merges state batches (from aggPartial or aggMerge), in the given order (first/last depend on it). */
export function aggMerge(states: readonly Batch[], spec: AggSpec): Batch {
  requireDecomposable(spec);
  if (states.length === 0) throw new InternalError("AGG_MERGE_EMPTY", "aggMerge needs at least one state batch");
  const all = concatBatches(states);
  const g = groupsOf(all, spec.keys);
  const byAgg = statesOf(all, spec);
  const merged = spec.aggs.map((call, k) => decomposableKernel(call.fn).merge(g, byAgg[k] as Column[]));
  return stateBatch(keyColumns(all, spec, g), spec, merged, g.count);
}

/** Key columns, then one column per aggregate named `name` with its output type (call.out, from the planner's typeOf). */
export function aggFinalize(state: Batch, spec: AggSpec): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const k of spec.keys) {
    fields.push(state.fields.find((f) => f.name === k) as Field);
    columns.push(getColumn(state, k));
  }
  const byAgg = statesOf(state, spec);
  spec.aggs.forEach((call, k) => {
    fields.push(aggOutputField(call));
    columns.push(checked(decomposableKernel(call.fn).finalize(byAgg[k] as Column[], call.out, call), call));
  });
  return { fields, columns, length: state.length };
}

/** All aggregates (holistic ones included) in one pass over the batch. Same results as partial → merge → finalize. */
export function aggFull(b: Batch, spec: AggSpec): Batch {
  const g = groupsOf(b, spec.keys);
  const { fields, columns } = keyColumns(b, spec, g);
  const decomposable = spec.aggs.filter((a) => AGGREGATES[a.fn].kind === "decomposable");
  const states = partialStates(g, b, decomposable);
  for (const call of spec.aggs) {
    const k = decomposable.indexOf(call);
    const col = k >= 0
      ? decomposableKernel(call.fn).finalize(states[k] as Column[], call.out, call)
      : holisticKernel(call.fn).full(g, call.inputs.map((n) => getColumn(b, n)), call);
    fields.push(aggOutputField(call));
    columns.push(checked(col, call));
  }
  return { fields, columns, length: g.count };
}

function checked(c: Column, call: AggCall): Column {
  if (c.type !== call.out) throw new InternalError("AGG_TYPE", `aggregate ${call.fn} produced ${c.type}, expected ${call.out}`);
  return c;
}
