// Grouped aggregation: aggPartial → aggMerge → aggFinalize for decomposable specs, aggFull for one pass over all rows.
import type { DType, Field } from "@tessera/common";
import { InternalError } from "@tessera/common";
import { typeOf } from "@tessera/expr";
import type { Batch, Column } from "../column.js";
import { getColumn } from "../batch-ops.js";
import { concatBatches } from "../concat.js";
import { groupIds } from "../group-ids.js";
import { takeColumn } from "../take.js";
import type { AggCall, AggSpec, Groups } from "./kernel.js";
import { AGG_KERNELS, HOLISTIC } from "./registry.js";

/** False when any aggregate is holistic (median, quantile, nUnique): the planner must shuffle and use aggFull. */
export function isDecomposable(spec: AggSpec): boolean {
  return spec.aggs.every((a) => !HOLISTIC.has(a.fn));
}

/** Groups of the batch's rows by the key columns; no keys means one group, even over zero rows. */
function groupsOf(b: Batch, keys: readonly string[]): Groups {
  if (keys.length > 0) return groupIds(keys.map((k) => getColumn(b, k)), b.length);
  return { ids: new Int32Array(b.length), count: 1, firstRow: Int32Array.of(b.length > 0 ? 0 : -1) };
}

function keyColumns(b: Batch, spec: AggSpec, g: Groups): { fields: Field[]; columns: Column[] } {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const k of spec.keys) {
    const i = b.fields.findIndex((f) => f.name === k);
    fields.push(b.fields[i] as Field);
    columns.push(takeColumn(b.columns[i] as Column, g.firstRow));
  }
  return { fields, columns };
}

/** The output type of an aggregate over the batch's fields (exactly what the planner's typeOf says). */
function outTypeOf(call: AggCall, b: Batch): DType {
  const args = call.inputs.map((name) => ({ op: "col" as const, name }));
  return typeOf(call.q === undefined ? { op: "agg", fn: call.fn, args } : { op: "agg", fn: call.fn, args, q: call.q }, b.fields);
}

const STATE_PREFIX = "__agg";

/** State columns are named `__agg<k>:<fn>:<output type>:<part>`, so a state batch says how to finalize itself. */
function stateName(k: number, call: AggCall, out: DType, part: string): string {
  return `${STATE_PREFIX}${k}:${call.fn}:${out}:${part}`;
}

function outTypeFromState(state: Batch, spec: AggSpec, k: number): DType {
  const prefix = `${STATE_PREFIX}${k}:`;
  const f = state.fields.find((x) => x.name.startsWith(prefix));
  if (f === undefined) throw new InternalError("AGG_STATE", `state batch has no columns for aggregate ${k} (${spec.aggs[k]?.name})`);
  return f.name.split(":")[2] as DType;
}

function stateColumns(state: Batch, k: number, parts: readonly string[], call: AggCall, out: DType): Column[] {
  return parts.map((p) => getColumn(state, stateName(k, call, out, p)));
}

function requireDecomposable(spec: AggSpec): void {
  if (!isDecomposable(spec)) throw new InternalError("NOT_DECOMPOSABLE", "aggPartial/aggMerge need a decomposable spec; use aggFull");
}

/** Partial states of a spec's aggregates over one set of groups, sharing work between kernels with a common stateKey. */
function partialStates(g: Groups, b: Batch, spec: AggSpec): Column[][] {
  const cache = new Map<string, Column[]>();
  return spec.aggs.map((call) => {
    const kernel = AGG_KERNELS[call.fn];
    const key = `${kernel.stateKey ?? call.fn}(${call.fn === "len" ? "" : call.inputs.join(",")})`;
    let states = cache.get(key);
    if (states === undefined) {
      states = kernel.partial(g, call.inputs.map((n) => getColumn(b, n)), call);
      cache.set(key, states);
    }
    return states;
  });
}

/** One row per group: key columns, then the state columns of every aggregate. */
export function aggPartial(b: Batch, spec: AggSpec): Batch {
  requireDecomposable(spec);
  const g = groupsOf(b, spec.keys);
  const { fields, columns } = keyColumns(b, spec, g);
  const all = partialStates(g, b, spec);
  spec.aggs.forEach((call, k) => {
    const kernel = AGG_KERNELS[call.fn];
    const out = outTypeOf(call, b);
    const states = all[k] as Column[];
    kernel.parts.forEach((p, j) => {
      const c = states[j] as Column;
      fields.push({ name: stateName(k, call, out, p), type: c.type, nullable: true });
      columns.push(c);
    });
  });
  return { fields, columns, length: g.count };
}

/** Merges state batches (from aggPartial or aggMerge), in the given order (first/last depend on it). */
export function aggMerge(states: readonly Batch[], spec: AggSpec): Batch {
  requireDecomposable(spec);
  if (states.length === 0) throw new InternalError("AGG_MERGE_EMPTY", "aggMerge needs at least one state batch");
  const all = concatBatches(states);
  const g = groupsOf(all, spec.keys);
  const { fields, columns } = keyColumns(all, spec, g);
  spec.aggs.forEach((call, k) => {
    const kernel = AGG_KERNELS[call.fn];
    const out = outTypeFromState(all, spec, k);
    const merged = kernel.merge(g, stateColumns(all, k, kernel.parts, call, out));
    kernel.parts.forEach((p, j) => {
      const c = merged[j] as Column;
      fields.push({ name: stateName(k, call, out, p), type: c.type, nullable: true });
      columns.push(c);
    });
  });
  return { fields, columns, length: g.count };
}

function aggField(call: AggCall, out: DType): Field {
  const never = call.fn === "count" || call.fn === "len" || call.fn === "nUnique";
  return { name: call.name, type: out, nullable: !never };
}

/** Key columns, then one column per aggregate named `name` with the type typeOf gives the aggregate. */
export function aggFinalize(state: Batch, spec: AggSpec): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const k of spec.keys) {
    fields.push(state.fields.find((f) => f.name === k) as Field);
    columns.push(getColumn(state, k));
  }
  spec.aggs.forEach((call, k) => {
    const kernel = AGG_KERNELS[call.fn];
    const out = outTypeFromState(state, spec, k);
    fields.push(aggField(call, out));
    columns.push(checked(kernel.finalize(stateColumns(state, k, kernel.parts, call, out), out, call), out, call));
  });
  return { fields, columns, length: state.length };
}

/** All aggregates (holistic ones included) in one pass over the batch. Same results as partial → merge → finalize. */
export function aggFull(b: Batch, spec: AggSpec): Batch {
  const g = groupsOf(b, spec.keys);
  const { fields, columns } = keyColumns(b, spec, g);
  const decomposable = spec.aggs.filter((a) => !HOLISTIC.has(a.fn));
  const states = partialStates(g, b, { keys: spec.keys, aggs: decomposable });
  for (const call of spec.aggs) {
    const kernel = AGG_KERNELS[call.fn];
    const out = outTypeOf(call, b);
    const k = decomposable.indexOf(call);
    const col = k >= 0 ? kernel.finalize(states[k] as Column[], out, call) : kernel.full(g, call.inputs.map((n) => getColumn(b, n)), call, out);
    fields.push(aggField(call, out));
    columns.push(checked(col, out, call));
  }
  return { fields, columns, length: g.count };
}

function checked(c: Column, out: DType, call: AggCall): Column {
  if (c.type !== out) throw new InternalError("AGG_TYPE", `aggregate ${call.fn} produced ${c.type}, expected ${out}`);
  return c;
}
