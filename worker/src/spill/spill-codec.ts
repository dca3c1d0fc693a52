// Encodes stored values for a spill file: Batches (and arrays of Batches) as Arrow IPC, raster chunks in their own
// codec, anything else by V8 serialization.
import { deserialize, serialize } from "node:v8";
import { tableFromIPC, tableToIPC } from "apache-arrow";
import type { Field } from "@tessera/common";
import { InternalError, assertNever } from "@tessera/common";
import { batchFromArrow, tableFromBatches } from "@tessera/kernels";
import type { Batch, Column, StrColumn } from "@tessera/kernels";
import { decodeChunk, encodeChunk, isRasterChunk } from "@tessera/raster";

/** "TSP1": a spill file starts with these 4 bytes, then a u32 (LE) header length, the JSON header, then the segments. */
const MAGIC = 0x31505354;

/**
 * What a spill file holds. Batch fields are kept in the header so a value reads back with the exact fields it
 * was stored with (an Arrow round trip may widen nullability). Each segment is one Arrow IPC stream or one
 * V8-serialized value; `segments` are their byte lengths, in order. `valid` says which columns had a validity
 * array (IPC drops one without nulls).
 */
type SpillHeader =
  | { readonly kind: "batch"; readonly fields: readonly Field[]; readonly valid: readonly boolean[]; readonly segments: readonly number[] }
  | {
    readonly kind: "batches"; readonly fields: readonly (readonly Field[])[]; readonly valid: readonly (readonly boolean[])[];
    readonly segments: readonly number[];
  }
  /** One raster chunk, as encodeChunk writes it (values, masks, grid and nodata exactly). */
  | { readonly kind: "raster"; readonly segments: readonly number[] }
  | { readonly kind: "v8"; readonly segments: readonly number[] };

function isBatch(v: unknown): v is Batch {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o["fields"]) && Array.isArray(o["columns"]) && typeof o["length"] === "number";
}

/** Arrow IPC carries a batch's length only through its columns, so column-less batches go through V8. */
function ipcable(b: Batch): boolean {
  return b.fields.length > 0 && b.columns.length === b.fields.length;
}

function batchToIpc(b: Batch): Uint8Array {
  return tableToIPC(tableFromBatches([b], b.fields), "stream");
}

/** IPC pads buffers to 8 bytes: string bytes are cut back to what the offsets use, so values read back exactly. */
function trimStr(c: StrColumn): StrColumn {
  const end = c.offsets[c.length] ?? 0;
  return c.bytes.length === end ? c : { ...c, bytes: c.bytes.subarray(0, end) };
}

function trimColumn(c: Column): Column {
  switch (c.kind) {
    case "num": return c;
    case "str": return trimStr(c);
    case "dict": return { ...c, dict: trimStr(c.dict) };
    default: return assertNever(c, "column");
  }
}

/** A column as it was stored: trimmed, and with an all-valid array back if it had one. */
function restoreColumn(c: Column, hadValid: boolean): Column {
  const t = trimColumn(c);
  return hadValid && t.valid === null ? { ...t, valid: new Uint8Array(t.length).fill(1) } : t;
}

function validFlags(b: Batch): boolean[] {
  return b.columns.map((c) => c.valid !== null);
}

function batchFromIpc(bytes: Uint8Array, fields: readonly Field[], valid: readonly boolean[]): Batch {
  const b = batchFromArrow(tableFromIPC(bytes));
  return { fields, columns: b.columns.map((c, i) => restoreColumn(c, valid[i] ?? false)), length: b.length };
}

function encodeSegments(value: unknown): { header: SpillHeader; segments: Uint8Array[] } {
  try {
    const ipc = encodeIpc(value);
    if (ipc !== null) return ipc;
  } catch {
    // A column Arrow cannot represent: V8 serialization keeps the value exact all the same.
  }
  const seg = serialize(value);
  return { header: { kind: "v8", segments: [seg.byteLength] }, segments: [seg] };
}

/** A Batch or a non-empty array of Batches as Arrow IPC, a raster chunk in its codec, or null for any other value. */
function encodeIpc(value: unknown): { header: SpillHeader; segments: Uint8Array[] } | null {
  if (isRasterChunk(value)) {
    const seg = encodeChunk(value);
    return { header: { kind: "raster", segments: [seg.byteLength] }, segments: [seg] };
  }
  if (isBatch(value) && ipcable(value)) {
    const seg = batchToIpc(value);
    return { header: { kind: "batch", fields: value.fields, valid: validFlags(value), segments: [seg.byteLength] }, segments: [seg] };
  }
  if (Array.isArray(value) && value.length > 0 && value.every((x) => isBatch(x) && ipcable(x))) {
    const batches = value as Batch[];
    const segments = batches.map(batchToIpc);
    return {
      header: { kind: "batches", fields: batches.map((b) => b.fields), valid: batches.map(validFlags), segments: segments.map((s) => s.byteLength) },
      segments,
    };
  }
  return null;
}

/** The bytes of a spill file for `value`. Batches keep their dtypes, nulls, dictionaries and fields. */
export function encodeSpill(value: unknown): Buffer {
  const { header, segments } = encodeSegments(value);
  const head = Buffer.from(JSON.stringify(header), "utf8");
  const prefix = Buffer.alloc(8);
  prefix.writeUInt32LE(MAGIC, 0);
  prefix.writeUInt32LE(head.byteLength, 4);
  return Buffer.concat([prefix, head, ...segments]);
}

/** The value a spill file holds; throws InternalError SPILL_CORRUPT when the bytes are not a spill file. */
export function decodeSpill(bytes: Uint8Array): unknown {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.byteLength < 8 || buf.readUInt32LE(0) !== MAGIC) throw new InternalError("SPILL_CORRUPT", "not a Tessera spill file");
  const headLen = buf.readUInt32LE(4);
  const header = JSON.parse(buf.subarray(8, 8 + headLen).toString("utf8")) as SpillHeader;
  let at = 8 + headLen;
  const segments = header.segments.map((n) => {
    // Copied out, so a value does not keep the whole file's buffer alive (a raster chunk is copied once, below).
    const seg = header.kind === "raster" ? buf.subarray(at, at + n) : new Uint8Array(buf.subarray(at, at + n));
    at += n;
    return seg;
  });
  if (at !== buf.byteLength) throw new InternalError("SPILL_CORRUPT", `spill file has ${buf.byteLength - at} unexpected trailing bytes`);
  switch (header.kind) {
    case "batch":
      return batchFromIpc(segments[0] as Uint8Array, header.fields, header.valid);
    case "batches":
      return segments.map((s, i) => batchFromIpc(s, header.fields[i] ?? [], header.valid[i] ?? []));
    case "raster":
      // Read back into shared memory, as it was stored: it goes on to pool threads without a copy.
      return decodeChunk(segments[0] as Uint8Array, { shared: true });
    case "v8":
      return deserialize(segments[0] as Uint8Array) as unknown;
    default:
      return assertNever(header, "spill header");
  }
}
