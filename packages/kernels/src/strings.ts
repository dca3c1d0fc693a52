// UTF-8 string column helpers: reading one value, building a column from JS strings, byte comparison.
import type { StrColumn } from "./column.js";

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** The string at row i (decodes one subarray; for tests, small results and per-distinct-value work only). */
export function strGet(col: StrColumn, i: number): string {
  return decoder.decode(col.bytes.subarray(col.offsets[i] as number, col.offsets[i + 1] as number));
}

/** Decodes a byte range of UTF-8. */
export function decodeUtf8(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

export function encodeUtf8(s: string): Uint8Array {
  return encoder.encode(s);
}

/** A StrColumn from JS strings (null entries are invalid rows). */
export function strColumnFromStrings(values: readonly (string | null | undefined)[]): StrColumn {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let valid: Uint8Array | null = null;
  let cap = 16;
  for (const v of values) if (typeof v === "string") cap += v.length * 3;
  let bytes = new Uint8Array(cap);
  let pos = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v === "string") {
      const r = encoder.encodeInto(v, bytes.subarray(pos));
      pos += r.written;
    } else {
      if (valid === null) valid = new Uint8Array(n).fill(1);
      valid[i] = 0;
    }
    offsets[i + 1] = pos;
  }
  bytes = bytes.slice(0, pos);
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid };
}

/** Compares two byte ranges lexicographically (UTF-8 byte order equals code point order): <0, 0 or >0. */
export function compareBytes(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): number {
  const la = ae - as;
  const lb = be - bs;
  const m = la < lb ? la : lb;
  for (let k = 0; k < m; k++) {
    const d = (a[as + k] as number) - (b[bs + k] as number);
    if (d !== 0) return d;
  }
  return la - lb;
}

/** True when two byte ranges hold the same bytes. */
export function bytesEqual(a: Uint8Array, as: number, ae: number, b: Uint8Array, bs: number, be: number): boolean {
  const len = ae - as;
  if (len !== be - bs) return false;
  for (let k = 0; k < len; k++) if (a[as + k] !== b[bs + k]) return false;
  return true;
}
