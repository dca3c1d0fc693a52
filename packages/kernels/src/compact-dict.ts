// Drops dictionary entries no row uses, so a slice of a dictionary column does not carry the whole dictionary.
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";
import { scratchArray } from "./scratch.js";
import { appendBytes, viewOf } from "./copy-bytes.js";
import { takeColumn } from "./take.js";
import { SMALL_DICTIONARY } from "./canonical-dict.js";

/**
 * The same rows over a dictionary of only the entries they use: in dictionary order, or, from a large dictionary
 * (never a canonical one) that far outnumbers the rows, in the order the rows first use them (see byFirstUse).
 * Returns `c` itself when at least `keepFraction` of the entries are used, since compacting would cost more than it
 * saves downstream.
 */
export function compactDict(c: DictColumn, keepFraction = 0.5): DictColumn {
  const d = c.dict;
  const m = d.length;
  if (m > SMALL_DICTIONARY && 4 * c.length < m * Math.min(1, keepFraction)) return byFirstUse(c);
  // Working memory only (the dictionary may be far larger than the rows): scratch, in pool threads.
  const remap = scratchArray(Int32Array, m, true);
  const idx = c.indices;
  const valid = c.valid;
  for (let i = 0; i < c.length; i++) if (valid === null || valid[i] !== 0) remap[idx[i] as number] = 1;
  let used = 0;
  let bytes = 0;
  for (let k = 0; k < m; k++) {
    if (remap[k] === 1) {
      remap[k] = used++;
      bytes += (d.offsets[k + 1] as number) - (d.offsets[k] as number);
    } else {
      remap[k] = -1;
    }
  }
  if (used >= m * keepFraction) return c;
  const offsets = new Int32Array(used + 1);
  const out = new Uint8Array(bytes);
  const src = d.bytes, srcView = viewOf(src), outView = viewOf(out);
  let pos = 0;
  for (let k = 0; k < m; k++) {
    const j = remap[k] as number;
    if (j < 0) continue;
    const s = d.offsets[k] as number;
    const e = d.offsets[k + 1] as number;
    appendBytes(src, srcView, s, out, outView, pos, e - s);
    pos += e - s;
    offsets[j + 1] = pos;
  }
  const indices = new Int32Array(c.length);
  for (let i = 0; i < c.length; i++) {
    const j = remap[idx[i] as number] as number;
    indices[i] = j < 0 ? 0 : j;
  }
  const dict: StrColumn = { kind: "str", type: "utf8", length: used, offsets, bytes: out, valid: null };
  return { kind: "dict", type: "utf8", length: c.length, indices, dict, valid };
}

/**
 * compactDict in O(rows): each row's entry is looked up in a stamp array (zeroed scratch, at memory speed) and, the
 * first time, given the next new index; the used entries are then copied in that order. The rows of a task's group keys
 * (say 91,000 of an 850,000-entry dictionary appended from its row groups) compact without two passes over every entry.
 */
function byFirstUse(c: DictColumn): DictColumn {
  const d = c.dict;
  const n = c.length;
  const idx = c.indices;
  const valid = c.valid;
  const stamp = scratchArray(Int32Array, d.length, true); // new index + 1, 0 = not used yet
  const entries = new Int32Array(n);
  const indices = new Int32Array(n);
  let used = 0;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const e = idx[i] as number;
    let j = stamp[e] as number;
    if (j === 0) { entries[used] = e; j = ++used; stamp[e] = j; }
    indices[i] = j - 1;
  }
  const dict = takeColumn({ ...d, valid: null }, entries.subarray(0, used)) as StrColumn;
  return { kind: "dict", type: "utf8", length: n, indices, dict, valid };
}

/**
 * Pieces of one dictionary column (a split: every piece over the same dictionary), each recoded over a dictionary of
 * only the entries its rows use (in first-use order), in one pass over each piece: O(rows + used entries), however
 * large the dictionary, where compactDict would scan the whole dictionary once per piece. A piece that uses at least
 * `keepFraction` of the entries keeps the shared dictionary. The pieces' indices are rewritten in place: call it only
 * on pieces the caller has just built.
 */
export function compactSplitDicts(pieces: readonly DictColumn[], keepFraction = 0.5): DictColumn[] {
  const first = pieces[0];
  if (first === undefined) return [];
  const d = first.dict;
  const m = d.length;
  const srcView = viewOf(d.bytes);
  const stamp = new Int32Array(m).fill(-1);
  const local = new Int32Array(m);
  const entries = new Int32Array(m);
  return pieces.map((c, j) => {
    const k = c.length;
    const idx = c.indices;
    const valid = c.valid;
    let used = 0;
    let bytes = 0;
    for (let r = 0; r < k; r++) {
      if (valid !== null && valid[r] === 0) continue;
      const e = idx[r] as number;
      if (stamp[e] !== j) {
        stamp[e] = j;
        local[e] = used;
        entries[used++] = e;
        bytes += (d.offsets[e + 1] as number) - (d.offsets[e] as number);
      }
    }
    if (used >= m * keepFraction) return c;
    for (let r = 0; r < k; r++) idx[r] = valid !== null && valid[r] === 0 ? 0 : (local[idx[r] as number] as number);
    const offsets = new Int32Array(used + 1);
    const out = new Uint8Array(bytes), outView = viewOf(out);
    let pos = 0;
    for (let q = 0; q < used; q++) {
      const e = entries[q] as number;
      const s = d.offsets[e] as number;
      const len = (d.offsets[e + 1] as number) - s;
      appendBytes(d.bytes, srcView, s, out, outView, pos, len);
      pos += len;
      offsets[q + 1] = pos;
    }
    const dict: StrColumn = { kind: "str", type: "utf8", length: used, offsets, bytes: out, valid: null };
    return { kind: "dict", type: "utf8", length: k, indices: idx, dict, valid };
  });
}

/** compactDict applied to every dictionary column of a batch. */
export function compactDicts(b: Batch, keepFraction = 0.5): Batch {
  if (!b.columns.some((c) => c.kind === "dict")) return b;
  const columns: Column[] = b.columns.map((c) => (c.kind === "dict" ? compactDict(c, keepFraction) : c));
  return { fields: b.fields, columns, length: b.length };
}
