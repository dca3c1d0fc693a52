// Moves a batch's buffers into one SharedArrayBuffer, so threads read it without a copy (results kept for many readers).
import type { Batch, Column, NumArray, StrColumn } from "./column.js";

type View = Uint8Array | Int32Array | NumArray;

function views(c: Column): View[] {
  const out: View[] = c.kind === "num" ? [c.values] : c.kind === "str" ? [c.offsets, c.bytes] : [c.indices, ...views(c.dict)];
  if (c.valid !== null) out.push(c.valid);
  return out;
}

/**
 * `b` with every typed array copied into one SharedArrayBuffer (8-byte aligned slots). A batch already shared, or
 * without buffers worth sharing, comes back as it is. Structured clone hands a shared batch to another thread as
 * is: a result many tasks read (a persisted frame) is then copied once, here, instead of once per task.
 */
export function shareBatch(b: Batch): Batch {
  if (typeof SharedArrayBuffer === "undefined") return b;
  const all = b.columns.flatMap(views);
  if (all.length === 0 || all.every((v) => v.buffer instanceof SharedArrayBuffer)) return b;
  let bytes = 0;
  for (const v of all) bytes += (v.byteLength + 7) & ~7;
  const sab = new SharedArrayBuffer(bytes);
  let at = 0;
  const copy = <T extends View>(v: T): T => {
    const Ctor = v.constructor as new (buffer: SharedArrayBuffer, offset: number, length: number) => T;
    const out = new Ctor(sab, at, v.length);
    (out as unknown as { set(x: T): void }).set(v);
    at += (v.byteLength + 7) & ~7;
    return out;
  };
  const share = (c: Column): Column => {
    const valid = c.valid === null ? null : copy(c.valid);
    switch (c.kind) {
      case "num": return { ...c, values: copy(c.values), valid };
      case "str": return { ...c, offsets: copy(c.offsets), bytes: copy(c.bytes), valid };
      case "dict": return { ...c, indices: copy(c.indices), dict: share(c.dict) as StrColumn, valid };
    }
  };
  return { fields: b.fields, columns: b.columns.map(share), length: b.length };
}
