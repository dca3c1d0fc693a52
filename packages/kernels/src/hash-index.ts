// Hash index over the key columns of a join's build side, probed with the key columns of other batches.
import { InternalError } from "@tessera/common";
import type { Column } from "./column.js";
import type { KeyTable } from "./key-table.js";
import { encodeColumn, expectedDistinct, familyOf, newKeyTable } from "./key-table.js";
import type { PairTable } from "./pair-table.js";
import { encodePairs, newPairTable } from "./pair-table.js";
import { buildDenseIntKeys, probeDenseIntKeys } from "./dense-int-keys.js";
import type { DenseIntKeys } from "./dense-int-keys.js";
import { scratchArray } from "./scratch.js";

/** How one key column's values map to codes: a key table (hashing), or direct addressing for narrow int ranges. */
export type ColumnKeys = { readonly kind: "table"; readonly table: KeyTable } | { readonly kind: "dense"; readonly dense: DenseIntKeys };

/** An immutable-once-built index: build rows grouped by key (CSR), plus the tables that map key values to groups. */
export interface HashIndex {
  readonly buildLength: number;
  readonly keys: readonly ColumnKeys[];
  readonly pairs: readonly PairTable[];
  /** Number of distinct non-null keys. */
  readonly keyCount: number;
  /** Build rows of key k are rows[start[k]], ..., rows[start[k + 1] - 1], ascending. */
  readonly start: Int32Array;
  readonly rows: Int32Array;
}

export interface ProbeResult {
  readonly probeRow: Int32Array;
  readonly buildRow: Int32Array;
}

/**
 * Indexes the build side's key columns. Rows with a null in any key are left out: null keys never match (SQL).
 * Key columns compare by value: dict and plain strings match; ints of any width match each other and integral
 * floats; timestamps compare raw stored values, so the planner must cast both sides to one unit. An integer column
 * whose build values span a narrow range is indexed by value (dense-int-keys.ts), else through a key table. The index
 * holds scratch memory: use it within the task that builds it.
 */
export function buildHashIndex(cols: readonly Column[]): HashIndex {
  if (cols.length === 0) throw new InternalError("NO_KEYS", "a hash index needs at least one key column");
  const n = (cols[0] as Column).length;
  const keys: ColumnKeys[] = [];
  const pairs: PairTable[] = [];
  let codes: Int32Array | null = null;
  let count = 0;
  for (const col of cols) {
    let c: Int32Array;
    let distinct: number;
    const dense = buildDenseIntKeys(col);
    if (dense !== null) {
      keys.push({ kind: "dense", dense: dense.keys });
      c = dense.codes;
      distinct = dense.keys.count;
    } else {
      const t = newKeyTable(familyOf(col), expectedDistinct(col));
      c = encodeColumn(t, col, true);
      keys.push({ kind: "table", table: t });
      distinct = t.count;
    }
    if (codes === null) { codes = c; count = distinct; continue; }
    const pt = newPairTable(count, distinct, n);
    codes = encodePairs(pt, codes, c, true);
    count = pt.count;
    pairs.push(pt);
  }
  const keyCodes = codes as Int32Array;
  const start = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const k = keyCodes[i] as number;
    if (k >= 0) start[k + 1] = (start[k + 1] as number) + 1;
  }
  for (let k = 0; k < count; k++) start[k + 1] = (start[k + 1] as number) + (start[k] as number);
  const rows = scratchArray(Int32Array, start[count] as number, false);
  const fill = start.slice(0, count);
  for (let i = 0; i < n; i++) {
    const k = keyCodes[i] as number;
    if (k >= 0) { const p = fill[k] as number; rows[p] = i; fill[k] = p + 1; }
  }
  return { buildLength: n, keys, pairs, keyCount: count, start, rows };
}

/** The index's key code of each probe row (-1: a null key or no build row has that key). */
export function probeKeyCodes(index: HashIndex, probeCols: readonly Column[]): Int32Array {
  if (probeCols.length !== index.keys.length) {
    throw new InternalError("KEY_COUNT", `probe has ${probeCols.length} key columns, index has ${index.keys.length}`);
  }
  let codes: Int32Array | null = null;
  for (let k = 0; k < probeCols.length; k++) {
    const keys = index.keys[k] as ColumnKeys;
    const col = probeCols[k] as Column;
    const c = keys.kind === "dense" ? probeDenseIntKeys(keys.dense, col) : encodeColumn(keys.table, col, false);
    codes = codes === null ? c : encodePairs(index.pairs[k - 1] as PairTable, codes, c, false);
  }
  return codes as Int32Array;
}

/** All matching (probe row, build row) pairs: in probe-row order, then ascending build row. Null keys never match. */
export function probeHashIndex(index: HashIndex, probeCols: readonly Column[]): ProbeResult {
  const codes = probeKeyCodes(index, probeCols);
  const m = codes.length;
  const start = index.start;
  let total = 0;
  for (let j = 0; j < m; j++) {
    const k = codes[j] as number;
    if (k >= 0) total += (start[k + 1] as number) - (start[k] as number);
  }
  const probeRow = scratchArray(Int32Array, total, false);
  const buildRow = scratchArray(Int32Array, total, false);
  const rows = index.rows;
  let p = 0;
  for (let j = 0; j < m; j++) {
    const k = codes[j] as number;
    if (k < 0) continue;
    const e = start[k + 1] as number;
    for (let s = start[k] as number; s < e; s++) {
      probeRow[p] = j;
      buildRow[p] = rows[s] as number;
      p++;
    }
  }
  return { probeRow, buildRow };
}
