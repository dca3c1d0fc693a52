// Whole-batch row and column selection, lookup by name, and memory accounting.
import type { Field } from "@tessera/common";
import { InternalError } from "@tessera/common";
import type { Batch, Column, StrColumn } from "./column.js";
import { emptyColumn } from "./build.js";
import { countMask, hasMissing, maskToIndices, sliceColumn, takeColumn } from "./take.js";

/** The column named `name`; a missing name is a bug here (plans are validated before kernels run). */
export function getColumn(b: Batch, name: string): Column {
  const i = b.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new InternalError("COLUMN_MISSING", `kernel expected column "${name}"; batch has ${b.fields.map((f) => f.name).join(", ")}`);
  return b.columns[i] as Column;
}

/** The field named `name` (InternalError when missing). */
export function getField(b: Batch, name: string): Field {
  const f = b.fields.find((x) => x.name === name);
  if (!f) throw new InternalError("COLUMN_MISSING", `kernel expected column "${name}"`);
  return f;
}

/** Rows [start, end) sharing buffers (clamped to the batch). */
export function sliceBatch(b: Batch, start: number, end: number): Batch {
  const s = Math.max(0, Math.min(start, b.length));
  const e = Math.max(s, Math.min(end, b.length));
  return { fields: b.fields, columns: b.columns.map((c) => sliceColumn(c, s, e)), length: e - s };
}

/**
 * No rows of `b`, with its columns' kinds (a dictionary column stays one) but none of their buffers: unlike a zero-row
 * slice, it does not hold on to (or carry over the wire) a dictionary that no row uses.
 */
export function noRows(b: Batch): Batch {
  const columns = b.columns.map((c): Column => {
    if (c.kind !== "dict") return emptyColumn(c.type);
    return { kind: "dict", type: "utf8", length: 0, indices: new Int32Array(0), dict: emptyColumn("utf8") as StrColumn, valid: null };
  });
  return { fields: b.fields, columns, length: 0 };
}

/** Rows `indices` in that order; index -1 gives a row of nulls (outer joins). */
export function takeBatch(b: Batch, indices: Int32Array): Batch {
  const anyNull = hasMissing(indices);
  const fields = anyNull ? b.fields.map((f) => (f.nullable ? f : { ...f, nullable: true })) : b.fields;
  return { fields, columns: b.columns.map((c) => takeColumn(c, indices, anyNull)), length: indices.length };
}

/** Rows where mask is non-zero (mask has one byte per row). */
export function filterBatch(b: Batch, mask: Uint8Array): Batch {
  if (mask.length !== b.length) throw new InternalError("MASK_LENGTH", `mask has ${mask.length} entries for ${b.length} rows`);
  const kept = countMask(mask);
  if (kept === b.length) return b;
  const idx = maskToIndices(mask, kept);
  return { fields: b.fields, columns: b.columns.map((c) => takeColumn(c, idx, false)), length: idx.length };
}

/** The named columns, in the given order. */
export function selectColumns(b: Batch, names: readonly string[]): Batch {
  const fields: Field[] = [];
  const columns: Column[] = [];
  for (const name of names) {
    const i = b.fields.findIndex((f) => f.name === name);
    if (i < 0) throw new InternalError("COLUMN_MISSING", `kernel expected column "${name}"`);
    fields.push(b.fields[i] as Field);
    columns.push(b.columns[i] as Column);
  }
  return { fields, columns, length: b.length };
}

/** Renames columns by `mapping` (old → new); unmapped columns keep their names. */
export function renameColumns(b: Batch, mapping: Readonly<Record<string, string>> | ReadonlyMap<string, string>): Batch {
  const get = (n: string): string | undefined => (mapping instanceof Map ? mapping.get(n) : (mapping as Record<string, string>)[n]);
  return { fields: b.fields.map((f) => { const to = get(f.name); return to === undefined ? f : { ...f, name: to }; }), columns: b.columns, length: b.length };
}

/** Replaces or appends a column by field name. */
export function withColumn(b: Batch, field: Field, col: Column): Batch {
  if (col.length !== b.length && b.columns.length > 0) throw new InternalError("BATCH_SHAPE", `column "${field.name}" has ${col.length} rows, batch ${b.length}`);
  const i = b.fields.findIndex((f) => f.name === field.name);
  if (i < 0) return { fields: [...b.fields, field], columns: [...b.columns, col], length: col.length };
  const fields = [...b.fields];
  const columns = [...b.columns];
  fields[i] = field;
  columns[i] = col;
  return { fields, columns, length: b.length };
}

function columnViews(c: Column): ArrayBufferView[] {
  const views: ArrayBufferView[] = [];
  if (c.valid !== null) views.push(c.valid);
  switch (c.kind) {
    case "num": views.push(c.values); break;
    case "str": views.push(c.offsets, c.bytes); break;
    case "dict": views.push(c.indices, ...columnViews(c.dict)); break;
  }
  return views;
}

/** Bytes referenced by the batch (sum of view byteLengths; a dictionary shared by columns is counted once). */
export function batchBytes(b: Batch): number {
  let total = 0;
  const seenDicts = new Set<object>();
  for (const c of b.columns) {
    if (c.kind === "dict") {
      if (c.valid !== null) total += c.valid.byteLength;
      total += c.indices.byteLength;
      if (seenDicts.has(c.dict)) continue;
      seenDicts.add(c.dict);
      for (const v of columnViews(c.dict)) total += v.byteLength;
      continue;
    }
    for (const v of columnViews(c)) total += v.byteLength;
  }
  return total;
}

/**
 * Distinct ArrayBuffers under the batch, for postMessage transfer lists. SharedArrayBuffers are excluded. Transferring
 * detaches the whole buffer: callers must not transfer a batch that views a buffer still used elsewhere.
 */
export function batchTransferables(b: Batch): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const c of b.columns) {
    for (const v of columnViews(c)) {
      const buf = v.buffer;
      if (buf instanceof ArrayBuffer && buf.byteLength > 0) seen.add(buf);
    }
  }
  return [...seen];
}
