// Splits a batch into n partitions by key hash (row order preserved within each partition).
import type { Batch, Column, DictColumn, StrColumn } from "./column.js";
import { getColumn } from "./batch-ops.js";
import { hashColumn, hashColumns } from "./hash.js";
import { NULL_HASH } from "./hash-fns.js";
import { compactSplitDicts } from "./compact-dict.js";
import { partitionLayout, scatterColumn } from "./scatter.js";
import { appendBytes, viewOf } from "./copy-bytes.js";
import type { PartitionLayout } from "./scatter.js";

/** hash % n of every element of h, in place. */
function modInPlace(h: Uint32Array, length: number, n: number): Uint32Array {
  if (n < 32768) {
    // hash % n in int32 arithmetic: ((hi16 % n) * 65536 + lo16) % n, avoiding double-precision modulo.
    for (let i = 0; i < length; i++) {
      const x = h[i] as number;
      h[i] = ((((x >>> 16) % n) << 16) + (x & 0xffff)) % n;
    }
  } else {
    for (let i = 0; i < length; i++) h[i] = (h[i] as number) % n;
  }
  return h;
}

/** The partition (hash % n) of each row by the given key columns. */
export function partitionIds(cols: readonly Column[], length: number, n: number): Uint32Array {
  return modInPlace(hashColumns(cols, length), length, n);
}

/** Row indices of each partition, ascending. */
export function partitionIndices(parts: Uint32Array, n: number): Int32Array[] {
  const counts = new Int32Array(n);
  for (let i = 0; i < parts.length; i++) counts[parts[i] as number] = (counts[parts[i] as number] as number) + 1;
  const out: Int32Array[] = [];
  for (let p = 0; p < n; p++) out.push(new Int32Array(counts[p] as number));
  const fill = new Int32Array(n);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i] as number;
    const f = fill[p] as number;
    (out[p] as Int32Array)[f] = i;
    fill[p] = f + 1;
  }
  return out;
}

/** Batches of the rows of each partition of `l`, every column scattered in one pass (pieces are views of its buffers). */
function scatterBatch(b: Batch, l: PartitionLayout, eachPiece: (c: Column, k: number) => readonly Column[]): Batch[] {
  const pieces = b.columns.map(eachPiece);
  const s = l.starts;
  const out: Batch[] = [];
  for (let j = 0; j + 1 < s.length; j++) out.push({ fields: b.fields, columns: pieces.map((p) => p[j] as Column), length: (s[j + 1] as number) - (s[j] as number) });
  return out;
}

/**
 * Row i goes to partition hashColumns(keys)[i] % n; each output keeps the input's row order. Same key → same
 * partition in every batch and thread. Each output's dictionaries keep only the entries it uses, so the buckets
 * of a high-cardinality key do not each carry (and later re-hash) the whole dictionary.
 */
export function hashPartition(b: Batch, keys: readonly string[], n: number): Batch[] {
  const cols = keys.map((k) => getColumn(b, k));
  const only = cols[0];
  // One dictionary key no larger than the rows: split through its entries (a far larger one is compacted per piece).
  if (cols.length === 1 && only !== undefined && only.kind === "dict" && only.dict.length <= b.length) return splitByDictKey(b, only, n);
  const l = partitionLayout(partitionIds(cols, b.length, n), n);
  return scatterBatch(b, l, (c) => (c.kind === "dict" ? compactSplitDicts(scatterColumn(c, l) as DictColumn[]) : scatterColumn(c, l)));
}

/**
 * Split by one dictionary key: a row's partition is its entry's, so each dictionary entry is hashed once and goes to
 * exactly one partition, whose dictionary is those entries in order: no per-row hashing, no per-piece compaction.
 * Null rows go where NULL_HASH goes.
 */
function splitByDictKey(b: Batch, key: DictColumn, n: number): Batch[] {
  const d = key.dict;
  const m = d.length;
  const entryPart = modInPlace(Uint32Array.from(hashColumn(d)), m, n);
  const nullPart = modInPlace(Uint32Array.of(NULL_HASH >>> 0), 1, n)[0] as number;
  // Each entry's code within its partition's dictionary, and each partition's entries.
  const local = new Int32Array(m);
  const sizes = new Int32Array(n);
  const bytes = new Int32Array(n);
  for (let e = 0; e < m; e++) {
    const p = entryPart[e] as number;
    local[e] = sizes[p] as number;
    sizes[p] = (sizes[p] as number) + 1;
    bytes[p] = (bytes[p] as number) + (d.offsets[e + 1] as number) - (d.offsets[e] as number);
  }
  const dicts: StrColumn[] = [];
  for (let p = 0; p < n; p++) {
    dicts.push({ kind: "str", type: "utf8", length: sizes[p] as number, offsets: new Int32Array((sizes[p] as number) + 1), bytes: new Uint8Array(bytes[p] as number), valid: null });
  }
  // Each partition's entries are appended in order, so its bytes past the write position are free (appendBytes).
  const srcView = viewOf(d.bytes);
  const views = dicts.map((t) => viewOf(t.bytes));
  for (let e = 0; e < m; e++) {
    const p = entryPart[e] as number;
    const t = dicts[p] as StrColumn;
    const c = local[e] as number;
    const s = d.offsets[e] as number;
    const len = (d.offsets[e + 1] as number) - s;
    const at = t.offsets[c] as number;
    appendBytes(d.bytes, srcView, s, t.bytes, views[p] as DataView, at, len);
    t.offsets[c + 1] = at + len;
  }
  const rows = b.length;
  const idx = key.indices;
  const valid = key.valid;
  const parts = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) parts[i] = valid !== null && valid[i] === 0 ? nullPart : (entryPart[idx[i] as number] as number);
  const l = partitionLayout(parts, n);
  const keyIndex = b.columns.indexOf(key);
  return scatterBatch(b, l, (c, k) => {
    if (k !== keyIndex) return scatterColumn(c, l);
    // The key's pieces: its indices scattered, then recoded to each partition's own entries.
    return (scatterColumn(c, l) as DictColumn[]).map((piece, p) => {
      const ix = piece.indices;
      const v = piece.valid;
      for (let r = 0; r < ix.length; r++) ix[r] = v !== null && v[r] === 0 ? 0 : (local[ix[r] as number] as number);
      return { ...piece, dict: dicts[p] as StrColumn };
    });
  });
}
