// Test helpers: deterministic random data and small column builders shared by the kernel tests.
import { batchFromColumns, columnFromValues, type Batch, type Column, type DictColumn, type StrColumn } from "@tessera/kernels";
import type { DType, Schema } from "@tessera/common";
import { typeOf } from "@tessera/expr";
import type { AggCall, AggSpec } from "@tessera/expr";

/** A seeded PRNG (mulberry32) so every test run sees the same data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A dict column over `dict` with the given indices (null index → null row). */
export function dictCol(dict: readonly string[], idx: readonly (number | null)[]): DictColumn {
  const d = columnFromValues("utf8", dict) as StrColumn;
  const valid = idx.some((x) => x === null) ? Uint8Array.from(idx, (x) => (x === null ? 0 : 1)) : null;
  return { kind: "dict", type: "utf8", length: idx.length, indices: Int32Array.from(idx, (x) => x ?? 0), dict: d, valid };
}

export function col(type: DType, values: readonly unknown[]): Column {
  return columnFromValues(type, values);
}

export function batch(obj: Record<string, readonly unknown[]>, types: Record<string, DType> = {}): Batch {
  return batchFromColumns(obj, types);
}

/** A batch from named columns. */
export function batchOf(cols: Record<string, Column>): Batch {
  const names = Object.keys(cols);
  const columns = names.map((n) => cols[n] as Column);
  return {
    fields: names.map((n, i) => ({ name: n, type: (columns[i] as Column).type, nullable: (columns[i] as Column).valid !== null })),
    columns,
    length: columns[0]?.length ?? 0,
  };
}

/** A spec as a test writes it: each call's output type is filled in from the input fields, as the planner does. */
export function typedSpec(spec: { readonly keys: readonly string[]; readonly aggs: readonly Omit<AggCall, "out">[] }, fields: Schema): AggSpec {
  return {
    keys: spec.keys,
    aggs: spec.aggs.map((a) => {
      const args = a.inputs.map((name) => ({ op: "col" as const, name }));
      return { ...a, out: typeOf(a.q === undefined ? { op: "agg", fn: a.fn, args } : { op: "agg", fn: a.fn, args, q: a.q }, fields) };
    }),
  };
}
