// Drops dictionary entries no row uses, so a slice of a dictionary column does not carry the whole dictionary.
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";

/**
 * The same rows over a dictionary of only the entries they use (kept in dictionary order). Returns `c` itself when
 * at least `keepFraction` of the entries are used, since compacting would cost more than it saves downstream.
 */
export function compactDict(c: DictColumn, keepFraction = 0.5): DictColumn {
  const d = c.dict;
  const m = d.length;
  const remap = new Int32Array(m);
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
  let pos = 0;
  for (let k = 0; k < m; k++) {
    const j = remap[k] as number;
    if (j < 0) continue;
    const s = d.offsets[k] as number;
    const e = d.offsets[k + 1] as number;
    out.set(d.bytes.subarray(s, e), pos);
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
 * Rows `lists[j]` of a dictionary column for every j (a split), each over a dictionary of only the entries its rows
 * use (in first-use order), in one pass over each list: O(rows + used entries), however large the dictionary, where
 * compacting each taken piece would scan the whole dictionary once per piece. A piece that uses at least
 * `keepFraction` of the entries keeps the shared dictionary instead.
 */
export function takeDictSplit(c: DictColumn, lists: readonly Int32Array[], keepFraction = 0.5): DictColumn[] {
  const d = c.dict;
  const m = d.length;
  const stamp = new Int32Array(m).fill(-1);
  const local = new Int32Array(m);
  const src = c.indices;
  const valid = c.valid;
  return lists.map((rows, j) => {
    const k = rows.length;
    const indices = new Int32Array(k);
    const entries: number[] = [];
    let bytes = 0;
    for (let r = 0; r < k; r++) {
      const i = rows[r] as number;
      if (valid !== null && valid[i] === 0) continue;
      const e = src[i] as number;
      if (stamp[e] !== j) {
        stamp[e] = j;
        local[e] = entries.length;
        entries.push(e);
        bytes += (d.offsets[e + 1] as number) - (d.offsets[e] as number);
      }
      indices[r] = local[e] as number;
    }
    const pieceValid = valid === null ? null : gatherValid(valid, rows);
    if (entries.length >= m * keepFraction) {
      for (let r = 0; r < k; r++) indices[r] = src[rows[r] as number] as number;
      return { kind: "dict", type: "utf8", length: k, indices, dict: d, valid: pieceValid };
    }
    const offsets = new Int32Array(entries.length + 1);
    const out = new Uint8Array(bytes);
    let pos = 0;
    for (let q = 0; q < entries.length; q++) {
      const e = entries[q] as number;
      const s = d.offsets[e] as number;
      const len = (d.offsets[e + 1] as number) - s;
      if (len > 16) out.set(d.bytes.subarray(s, s + len), pos);
      else for (let b = 0; b < len; b++) out[pos + b] = d.bytes[s + b] as number;
      pos += len;
      offsets[q + 1] = pos;
    }
    const dict: StrColumn = { kind: "str", type: "utf8", length: entries.length, offsets, bytes: out, valid: null };
    return { kind: "dict", type: "utf8", length: k, indices, dict, valid: pieceValid };
  });
}

function gatherValid(valid: Uint8Array, rows: Int32Array): Uint8Array {
  const out = new Uint8Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = valid[rows[r] as number] as number;
  return out;
}

/** compactDict applied to every dictionary column of a batch. */
export function compactDicts(b: Batch, keepFraction = 0.5): Batch {
  if (!b.columns.some((c) => c.kind === "dict")) return b;
  const columns: Column[] = b.columns.map((c) => (c.kind === "dict" ? compactDict(c, keepFraction) : c));
  return { fields: b.fields, columns, length: b.length };
}
