// Builds "id<number>" string columns straight into UTF-8 bytes (no per-row JS strings), as db-benchmark's sprintf("id%.0f").
import type { DictColumn, StrColumn } from "@tessera/kernels";

const ZERO = 48;
const PREFIX = [105, 100]; // "id"

function digits(v: number): number {
  let d = 1;
  while (v >= 10) { v = Math.floor(v / 10); d++; }
  return d;
}

/** Row i is "id" + values[i] (values are positive integers). */
export function idStrings(values: Int32Array): StrColumn {
  const n = values.length;
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) { total += 2 + digits(values[i] as number); offsets[i + 1] = total; }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    let v = values[i] as number;
    const start = offsets[i] as number;
    bytes[start] = PREFIX[0] as number;
    bytes[start + 1] = PREFIX[1] as number;
    for (let p = (offsets[i + 1] as number) - 1; p >= start + 2; p--) { bytes[p] = ZERO + (v % 10); v = Math.floor(v / 10); }
  }
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid: null };
}

/** Row i is "id" + values[i], dictionary-encoded over the labels id1..id<max(values)>. */
export function idDict(values: Int32Array): DictColumn {
  let max = 0;
  for (let i = 0; i < values.length; i++) if ((values[i] as number) > max) max = values[i] as number;
  const labelValues = new Int32Array(max);
  for (let i = 0; i < max; i++) labelValues[i] = i + 1;
  const indices = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) indices[i] = (values[i] as number) - 1;
  return { kind: "dict", type: "utf8", length: values.length, indices, dict: idStrings(labelValues), valid: null };
}
