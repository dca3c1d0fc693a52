// Task results on the wire: Batches as Arrow IPC streams, lists of Batches as several, raster chunks in their own
// binary codec, anything else as msgpack.
import { ProtocolError } from "@tessera/common";
import type { Batch } from "@tessera/kernels";
import { batchFromArrow, compactDicts, tableFromBatches } from "@tessera/kernels";
import { decodeChunk, encodeChunk, isRasterChunk } from "@tessera/raster";
import { RecordBatchStreamWriter, tableFromIPC } from "apache-arrow";
import type { Table } from "apache-arrow";
import { decodeStrict } from "./decode.js";
import { encodePlain } from "./encode.js";
import { int, list, literal, obj, optional, str } from "./schema.js";

/** How one value is encoded: its parts' sizes index into the frame body, in order. */
export interface EncodedValue {
  readonly key: string;
  /**
   * arrow: one IPC stream; arrow-list: one per Batch of a split; raster: one RasterChunk frame (encodeChunk);
   * msgpack: one plain value; empty: a 0-column Batch.
   */
  readonly enc: "arrow" | "arrow-list" | "raster" | "msgpack" | "empty";
  readonly sizes: readonly number[];
  /** Rows of an `empty` (column-less) Batch, which Arrow IPC cannot carry. */
  readonly length?: number;
}

export const checkEncodedValue = obj({
  key: str(),
  enc: literal("arrow", "arrow-list", "raster", "msgpack", "empty"),
  sizes: list(int(0, 2 ** 32)),
  length: optional(int()),
});

function isBatch(v: unknown): v is Batch {
  if (typeof v !== "object" || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return Array.isArray(o["fields"]) && Array.isArray(o["columns"]) && typeof o["length"] === "number";
}

/**
 * A table's IPC stream as the writer's chunks (message headers, padding, and views of the columns' own buffers), in
 * order: the data frame copies them into place once, where joining them first would copy every buffer twice. Falls
 * back to the joined stream if the writer's chunk list is not where apache-arrow 21 keeps it.
 */
export function ipcStreamChunks(t: Table): Uint8Array[] {
  const writer = RecordBatchStreamWriter.writeAll(t);
  const values = (writer as unknown as { _sink?: { _values?: unknown } })._sink?._values;
  if (Array.isArray(values) && values.every((v) => v instanceof Uint8Array)) return values as Uint8Array[];
  return [writer.toUint8Array(true)];
}

/** A batch's IPC stream; a dictionary column whose rows use under half its entries sends only those it uses (a slice, a split piece). */
function batchToIPC(b: Batch): Uint8Array[] {
  return ipcStreamChunks(tableFromBatches([compactDicts(b)], b.fields));
}

/** Appends `value`'s parts to `parts` and returns its descriptor. */
export function encodeValue(key: string, value: unknown, parts: Uint8Array[]): EncodedValue {
  const push = (p: Uint8Array): number => { parts.push(p); return p.byteLength; };
  // One part of the value, given as consecutive chunks: the frame lays them out in order, so its size is their sum.
  const pushAll = (ps: readonly Uint8Array[]): number => ps.reduce((n, p) => n + push(p), 0);
  if (isBatch(value)) {
    if (value.fields.length === 0) return { key, enc: "empty", sizes: [], length: value.length };
    return { key, enc: "arrow", sizes: [pushAll(batchToIPC(value))] };
  }
  if (isRasterChunk(value)) return { key, enc: "raster", sizes: [push(encodeChunk(value))] };
  if (Array.isArray(value) && value.length > 0 && value.every((b) => isBatch(b) && b.fields.length > 0)) {
    return { key, enc: "arrow-list", sizes: (value as Batch[]).map((b) => pushAll(batchToIPC(b))) };
  }
  return { key, enc: "msgpack", sizes: [push(encodePlain(value))] };
}

/** Decodes values described by `descs` from `body` (their parts in order); throws ProtocolError when inconsistent. */
export function decodeValues(descs: readonly EncodedValue[], body: Uint8Array): Map<string, unknown> {
  const out = new Map<string, unknown>();
  let at = 0;
  const take = (n: number): Uint8Array => {
    if (at + n > body.byteLength) throw new ProtocolError("PROTOCOL_BAD_FRAME", "a data frame's parts overrun its body");
    const p = body.subarray(at, at + n);
    at += n;
    return p;
  };
  for (const d of descs) {
    const parts = d.sizes.map(take);
    try {
      out.set(d.key, decodeOne(d, parts));
    } catch (e) {
      if (e instanceof ProtocolError) throw e;
      throw new ProtocolError("PROTOCOL_BAD_FRAME", `cannot decode the value of ${d.key}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (at !== body.byteLength) throw new ProtocolError("PROTOCOL_BAD_FRAME", `${body.byteLength - at} bytes after a data frame's parts`);
  return out;
}

function decodeOne(d: EncodedValue, parts: readonly Uint8Array[]): unknown {
  switch (d.enc) {
    case "empty":
      return { fields: [], columns: [], length: d.length ?? 0 } satisfies Batch;
    case "arrow":
      if (parts.length !== 1) throw new ProtocolError("PROTOCOL_BAD_FRAME", "an arrow value has one part");
      return batchFromArrow(tableFromIPC(parts[0] as Uint8Array));
    case "arrow-list":
      return parts.map((p) => batchFromArrow(tableFromIPC(p)));
    case "raster":
      if (parts.length !== 1) throw new ProtocolError("PROTOCOL_BAD_FRAME", "a raster value has one part");
      // One copy, into shared memory: the chunk then reaches the worker's pool threads without another.
      return decodeChunk(parts[0] as Uint8Array, { shared: true });
    case "msgpack":
      if (parts.length !== 1) throw new ProtocolError("PROTOCOL_BAD_FRAME", "a msgpack value has one part");
      return decodeStrict(parts[0] as Uint8Array);
  }
}
