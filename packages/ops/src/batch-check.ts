// The check of a Batch shipped in task args (a memory source): every length the kernels allocate from agrees with the data sent.
import type { DType, Field } from "@tessera/common";
import type { Check } from "@tessera/protocol";
import { arrayCtorOf } from "@tessera/kernels";
import { schema } from "./checks.js";

/** Most rows of a shipped batch: the kernels index rows with Int32Array. */
const MAX_ROWS = 2 ** 31 - 1;
/** Most rows of a batch without columns: its rows cost nothing to send, so they are bounded as split counts are. */
export const MAX_COLUMNLESS_ROWS = 1 << 24;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function keysExactly(v: Record<string, unknown>, keys: readonly string[]): string | null {
  for (const k of Object.keys(v)) if (!keys.includes(k)) return `unexpected field "${k.slice(0, 80)}"`;
  return null;
}

function validity(v: unknown, length: number): string | null {
  if (v === null) return null;
  return v instanceof Uint8Array && v.length === length ? null : `.valid: expected null or a Uint8Array of ${length} bytes`;
}

/** A utf8 column's offsets: length+1 of them, non-decreasing, inside the bytes. */
function strColumn(c: Record<string, unknown>, length: number): string | null {
  const { offsets, bytes } = c;
  if (!(offsets instanceof Int32Array) || offsets.length !== length + 1) return `.offsets: expected an Int32Array of ${length + 1} entries`;
  if (!(bytes instanceof Uint8Array)) return ".bytes: expected a Uint8Array";
  if ((offsets[0] as number) < 0 || (offsets[length] as number) > bytes.length) return ".offsets: outside the bytes";
  for (let i = 0; i < length; i++) if ((offsets[i + 1] as number) < (offsets[i] as number)) return `.offsets: decreasing at ${i}`;
  return null;
}

/** One column against its field: the kind and typed arrays of its type, `length` entries each, offsets and indices in range. */
function column(c: unknown, type: DType, length: number, depth = 0): string | null {
  if (!isObject(c)) return "expected a column";
  if (c["length"] !== length) return `.length: expected ${length}`;
  if (c["type"] !== type) return `.type: expected ${type}`;
  const bad = validity(c["valid"], length);
  if (bad !== null) return bad;
  switch (c["kind"]) {
    case "num": {
      if (type === "utf8") return ".kind: a utf8 column is str or dict";
      const extra = keysExactly(c, ["kind", "type", "length", "values", "valid"]);
      if (extra !== null) return extra;
      const Ctor = arrayCtorOf(type);
      return c["values"] instanceof Ctor && (c["values"] as { length: number }).length === length ? null : `.values: expected a ${Ctor.name} of ${length} entries`;
    }
    case "str": {
      if (type !== "utf8") return `.kind: a ${type} column is num`;
      return keysExactly(c, ["kind", "type", "length", "offsets", "bytes", "valid"]) ?? strColumn(c, length);
    }
    case "dict": {
      if (type !== "utf8" || depth > 0) return `.kind: a dict column here is not allowed`;
      const extra = keysExactly(c, ["kind", "type", "length", "indices", "dict", "valid"]);
      if (extra !== null) return extra;
      const { indices, dict } = c;
      if (!(indices instanceof Int32Array) || indices.length !== length) return `.indices: expected an Int32Array of ${length} entries`;
      if (!isObject(dict) || typeof dict["length"] !== "number" || !Number.isInteger(dict["length"]) || dict["length"] < 0 || dict["length"] > MAX_ROWS) {
        return ".dict: expected a utf8 column";
      }
      const entries = dict["length"];
      const inner = column(dict, "utf8", entries, depth + 1);
      if (inner !== null) return `.dict${inner}`;
      for (let i = 0; i < length; i++) {
        const k = indices[i] as number;
        if (k < 0 || k >= entries) return `.indices: ${k} at row ${i} is outside the dictionary of ${entries}`;
      }
      return null;
    }
    default:
      return ".kind: expected num, str or dict";
  }
}

/**
 * A Batch: fields, one column per field of its type, and a row count every column has. Nothing a kernel sizes from
 * `length` (masks, broadcasts, gathers) can then exceed what the message actually carried.
 */
export const batch: Check = (v) => {
  if (!isObject(v)) return "expected a batch";
  const extra = keysExactly(v, ["fields", "columns", "length"]);
  if (extra !== null) return extra;
  const e = schema(v["fields"]);
  if (e !== null) return `.fields: ${e}`;
  const fields = v["fields"] as readonly Field[];
  const { columns, length } = v;
  if (typeof length !== "number" || !Number.isInteger(length) || length < 0 || length > MAX_ROWS) return `.length: expected an integer in [0, ${MAX_ROWS}]`;
  if (!Array.isArray(columns) || columns.length !== fields.length) return `.columns: expected ${fields.length} columns, one per field`;
  if (fields.length === 0 && length > MAX_COLUMNLESS_ROWS) return `.length: a batch without columns has at most ${MAX_COLUMNLESS_ROWS} rows`;
  for (let i = 0; i < fields.length; i++) {
    const c = column(columns[i], (fields[i] as Field).type, length);
    if (c !== null) return `.columns: [${i}]${c.startsWith(".") ? "" : ": "}${c}`;
  }
  return null;
};
