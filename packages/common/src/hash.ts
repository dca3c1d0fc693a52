// Structural keys: a stable hash of plain data, so equal plans and tasks get equal keys.
import { createHash } from "node:crypto";

/** Stable JSON: object keys sorted, bigint and typed arrays encoded, so equal values print equally. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(normalize(value));
}

function normalize(v: unknown): unknown {
  if (typeof v === "bigint") return { $big: v.toString() };
  if (v === undefined) return null;
  if (v === null || typeof v !== "object") return v;
  if (ArrayBuffer.isView(v)) {
    const bytes = new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
    return { $bytes: createHash("sha1").update(bytes).digest("hex"), n: bytes.length };
  }
  if (Array.isArray(v)) return v.map(normalize);
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v).sort()) {
    const x = (v as Record<string, unknown>)[k];
    if (x !== undefined) out[k] = normalize(x);
  }
  return out;
}

/** A short hex token identifying the structure of `value` (16 hex chars of sha1). */
export function structuralKey(value: unknown): string {
  return createHash("sha1").update(stableStringify(value)).digest("hex").slice(0, 16);
}
