// A small validator for decoded messages: every field's type and bounds, unknown fields refused.
import { ProtocolError } from "@tessera/common";

/** Returns null when `v` fits, else what is wrong (the path is prefixed by the caller). */
export type Check = (v: unknown) => string | null;

/** Longest string accepted in a control message (keys, ids, op names, messages). */
export const MAX_STRING = 64 * 1024;
/** Most elements of any list in a control message (tasks of a graph, keys, deps). */
export const MAX_LIST = 2_000_000;

export const str = (max = MAX_STRING): Check => (v) =>
  typeof v !== "string" ? `expected a string, got ${kind(v)}` : v.length > max ? `a string longer than ${max}` : null;

export const int = (min = 0, max = Number.MAX_SAFE_INTEGER): Check => (v) =>
  typeof v !== "number" || !Number.isInteger(v) ? `expected an integer, got ${kind(v)}` : v < min || v > max ? `${v} is outside [${min}, ${max}]` : null;

/** A finite number or +Infinity (memory limits may be unbounded). */
export const num: Check = (v) => (typeof v !== "number" || Number.isNaN(v) ? `expected a number, got ${kind(v)}` : null);

export const bool: Check = (v) => (typeof v !== "boolean" ? `expected a boolean, got ${kind(v)}` : null);

export const literal = (...values: readonly (string | number | null)[]): Check => (v) =>
  values.includes(v as string) ? null : `expected one of ${values.map((x) => JSON.stringify(x)).join(", ")}`;

export const nullable = (c: Check): Check => (v) => (v === null ? null : c(v));

/** Anything the strict decoder produces (it only produces plain data), e.g. an op's args. */
export const plain: Check = () => null;

export const list = (item: Check, max = MAX_LIST): Check => (v) => {
  if (!Array.isArray(v)) return `expected a list, got ${kind(v)}`;
  if (v.length > max) return `a list longer than ${max}`;
  for (let i = 0; i < v.length; i++) {
    const e = item(v[i]);
    if (e !== null) return `[${i}]: ${e}`;
  }
  return null;
};

/** A map with string keys and values checked by `value` (e.g. worker id → address). */
export const record = (value: Check, max = 100_000): Check => (v) => {
  if (!isObject(v)) return `expected a map, got ${kind(v)}`;
  const keys = Object.keys(v);
  if (keys.length > max) return `a map with more than ${max} entries`;
  for (const k of keys) {
    const e = value(v[k]);
    if (e !== null) return `.${k}: ${e}`;
  }
  return null;
};

const OPTIONAL = Symbol("optional");
export type Field = Check | { readonly [OPTIONAL]: Check };

export const optional = (c: Check): Field => ({ [OPTIONAL]: c });

/** One check per field of T: adding a field to a message type without checking it fails to compile. */
export type Fields<T> = { readonly [K in keyof T]-?: Field };

/** An object with exactly these fields (optional ones may be absent or undefined); other fields are refused. */
export const obj = <T = Record<string, unknown>>(fields: Fields<T>): Check => {
  const entries = Object.entries(fields) as [string, Field][];
  return (v) => {
    if (!isObject(v)) return `expected an object, got ${kind(v)}`;
    // for-in, not Object.keys: no array per message (decoded messages are plain objects with own fields only).
    for (const k in v) if (!Object.hasOwn(fields, k)) return `unexpected field "${k}"`;
    for (const [k, f] of entries) {
      const x = v[k];
      const isOpt = typeof f !== "function";
      if (x === undefined) {
        if (isOpt) continue;
        return `missing field "${k}"`;
      }
      const e = (isOpt ? f[OPTIONAL] : f)(x);
      if (e !== null) return `.${k}: ${e}`;
    }
    return null;
  };
};

/** Message checks keyed by `op`: one table says every message a connection may receive. */
export type OpTable = Readonly<Record<string, Check>>;

/**
 * Validates a decoded control message against the ops `table` allows. Throws ProtocolError
 * PROTOCOL_UNKNOWN_OP for an op not in the table and PROTOCOL_BAD_MESSAGE for a wrong shape.
 */
export function checkMessage<T>(msg: unknown, table: OpTable, what: string): T {
  if (!isObject(msg)) throw new ProtocolError("PROTOCOL_BAD_MESSAGE", `${what}: expected a message object, got ${kind(msg)}`);
  const op = msg["op"];
  const check = typeof op === "string" && Object.hasOwn(table, op) ? table[op] : undefined;
  if (check === undefined) throw new ProtocolError("PROTOCOL_UNKNOWN_OP", `${what}: unexpected op ${typeof op === "string" ? JSON.stringify(op.slice(0, 80)) : kind(op)}`);
  const e = check(msg);
  if (e !== null) throw new ProtocolError("PROTOCOL_BAD_MESSAGE", `${what}: bad "${String(op)}" message: ${e}`);
  return msg as T;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

function kind(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "a list" : ArrayBuffer.isView(v) ? "binary" : typeof v;
}
