// Canonical dictionaries: each value once, in byte order, so batches holding the same values hold equal dictionaries.
import type { StrColumn } from "./column.js";
import { bytesEqual, compareBytes } from "./strings.js";
import { appendBytes, viewOf } from "./copy-bytes.js";

/** Dictionaries of up to this many entries are cheap to make canonical (a sort of the entries) and to compare. */
export const SMALL_DICTIONARY = 4096;

/**
 * The dictionary's values once each, in byte order, and `remap[k]`: the canonical index of entry k. Two dictionaries
 * holding the same set of values, in any order and with any repeats, give equal canonical dictionaries (sameStrings),
 * which batches of one column can then share as they are, with no merge or offset.
 */
export function canonicalDictionary(dict: StrColumn): { readonly dict: StrColumn; readonly remap: Int32Array } {
  const n = dict.length, off = dict.offsets, b = dict.bytes;
  const order = Array.from({ length: n }, (_, k) => k);
  order.sort((x, y) => compareBytes(b, off[x] as number, off[x + 1] as number, b, off[y] as number, off[y + 1] as number) || x - y);
  const remap = new Int32Array(n);
  const keep: number[] = [];
  let bytes = 0;
  for (const k of order) {
    const last = keep[keep.length - 1];
    if (last === undefined || !bytesEqual(b, off[last] as number, off[last + 1] as number, b, off[k] as number, off[k + 1] as number)) {
      keep.push(k);
      bytes += (off[k + 1] as number) - (off[k] as number);
    }
    remap[k] = keep.length - 1;
  }
  const offsets = new Int32Array(keep.length + 1), out = new Uint8Array(bytes), srcView = viewOf(b), outView = viewOf(out);
  let at = 0;
  keep.forEach((k, j) => {
    const s = off[k] as number, e = off[k + 1] as number;
    appendBytes(b, srcView, s, out, outView, at, e - s);
    at += e - s;
    offsets[j + 1] = at;
  });
  return { dict: { kind: "str", type: "utf8", length: keep.length, offsets, bytes: out, valid: null }, remap };
}

/** Whether two dictionaries (no nulls) hold the same values in the same order. */
export function sameStrings(a: StrColumn, b: StrColumn): boolean {
  if (a === b) return true;
  const n = a.length;
  if (n !== b.length) return false;
  const ao = a.offsets, bo = b.offsets, a0 = ao[0] as number, b0 = bo[0] as number;
  if ((ao[n] as number) - a0 !== (bo[n] as number) - b0) return false;
  for (let k = 1; k <= n; k++) if ((ao[k] as number) - a0 !== (bo[k] as number) - b0) return false;
  return bytesEqual(a.bytes, a0, ao[n] as number, b.bytes, b0, bo[n] as number);
}
