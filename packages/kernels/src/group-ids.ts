// Dense group ids per row (first-appearance order) for one or more key columns; null is a group value of its own.
import type { Column, DictColumn, StrColumn } from "./column.js";
import { encodeColumn, expectedDistinct, newKeyTable } from "./key-table.js";
import { columnCodes, packCodes } from "./key-codes.js";
import { firstRowsIfAllPresent, wordGroups } from "./word-groups.js";
import { compactDict } from "./compact-dict.js";
import { scratchArray } from "./scratch.js";
import { isIdentity } from "./take.js";
import { PARTITIONED_MIN_ROWS, partitionedStrCodes } from "./partitioned-codes.js";

export interface GroupIds {
  /** Group of each row, in [0, count). Groups are numbered in order of first appearance, unless asked for any order. */
  readonly ids: Int32Array;
  readonly count: number;
  /** firstRow[g]: the first row of group g. */
  readonly firstRow: Int32Array;
}

/** A dictionary column with far fewer rows than entries (a slice, a sample) over only the entries it uses, so grouping hashes those alone. */
export function shortDictCompacted(col: DictColumn): DictColumn {
  return 2 * col.length < col.dict.length ? compactDict(col, 1) : col;
}

/**
 * Codes of a dictionary's entries by value: in one key table, or partition by partition when the dictionary is large
 * (appended row groups' dictionaries, say) and one table would not stay in cache.
 */
function dictionaryCodes(dict: StrColumn): { codes: Int32Array; count: number } {
  if (dict.length >= PARTITIONED_MIN_ROWS && dict.valid === null) return partitionedStrCodes(dict);
  const t = newKeyTable("str", expectedDistinct(dict));
  const codes = encodeColumn(t, dict, true);
  return { codes, count: t.count };
}

/**
 * One column of dictionary strings: deduplicate the dictionary by value, then one pass over the indices. In any order
 * a row's group is its value's code (dictGroupsByValue; the indices themselves when the dictionary's entries are
 * distinct and all occur); in first-appearance order each entry is mapped to its group the first time it is seen.
 */
function dictGroups(full: DictColumn, anyOrder: boolean): GroupIds {
  const col = shortDictCompacted(full);
  const { codes: entry, count: distinct } = dictionaryCodes(col.dict);
  const n = col.length;
  if (anyOrder && col.valid === null && isIdentity(entry, entry.length)) {
    // A dictionary of distinct values (a canonical one, say) whose every entry occurs: the indices are the group ids.
    const present = firstRowsIfAllPresent(col.indices.subarray(0, n), entry.length);
    if (present !== null) {
      const ids = scratchArray(Int32Array, n, false);
      ids.set(col.indices.subarray(0, n));
      return { ids, count: entry.length, firstRow: present };
    }
  }
  if (anyOrder) return dictGroupsByValue(col, entry, distinct);
  const byValue = new Int32Array(distinct + 1).fill(-1);
  const byEntry = scratchArray(Int32Array, col.dict.length, false).fill(-1);
  const nullCode = distinct;
  const ids = scratchArray(Int32Array, n, false);
  const first = new Int32Array(distinct + 1);
  const idx = col.indices;
  const valid = col.valid;
  let count = 0;
  for (let i = 0; i < n; i++) {
    let g: number;
    if (valid !== null && valid[i] === 0) {
      g = byValue[nullCode] as number;
      if (g < 0) { g = count++; byValue[nullCode] = g; first[g] = i; }
    } else {
      const e = idx[i] as number;
      g = byEntry[e] as number;
      if (g < 0) {
        const k = entry[e] as number;
        g = byValue[k] as number;
        if (g < 0) { g = count++; byValue[k] = g; first[g] = i; }
        byEntry[e] = g;
      }
    }
    ids[i] = g;
  }
  return { ids, count, firstRow: first.slice(0, count) };
}

/**
 * dictGroups in any order: a row's group is its value's code (its null rows one more group), read through its entry,
 * so a row costs one gather and a look at its group's first row. Codes no row uses (values only in entries that
 * no row indexes) are squeezed out, in a second pass over the rows only when there are any.
 */
function dictGroupsByValue(col: DictColumn, entry: Int32Array, distinct: number): GroupIds {
  const n = col.length;
  const idx = col.indices;
  const valid = col.valid;
  const ids = scratchArray(Int32Array, n, false);
  const first = new Int32Array(distinct + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    const g = valid !== null && valid[i] === 0 ? distinct : (entry[idx[i] as number] as number);
    ids[i] = g;
    if ((first[g] as number) < 0) first[g] = i;
  }
  let used = 0;
  for (let g = 0; g <= distinct; g++) if ((first[g] as number) >= 0) used++;
  if (used === distinct && (first[distinct] as number) < 0) return { ids, count: distinct, firstRow: first.subarray(0, distinct) };
  const code = new Int32Array(distinct + 1);
  const firstRow = new Int32Array(used);
  for (let g = 0, c = 0; g <= distinct; g++) {
    if ((first[g] as number) < 0) continue;
    code[g] = c;
    firstRow[c++] = first[g] as number;
  }
  for (let i = 0; i < n; i++) ids[i] = code[ids[i] as number] as number;
  return { ids, count: used, firstRow };
}

/**
 * Dense group ids of the rows of `cols` (all of length `n`; `n` is needed only when `cols` is empty, which puts every
 * row in group 0). Equal values group together whatever their encoding (dict or plain strings; NaN with NaN; -0 with 0).
 * Each column becomes dense codes, consecutive codes pack into 32-bit words, and rows are grouped by their words
 * in one pass (one hash probe per row for up to two words). `anyOrder`: the groups may be numbered in any order
 * (aggregation's output order is unspecified); keys that map straight onto a small range of codes, every one of which
 * occurs (a dictionary of distinct values, a word read through a direct array), are then their own group ids, with no
 * renumbering pass. firstRow is each group's first row either way.
 */
export function groupIds(cols: readonly Column[], n = cols[0]?.length ?? 0, anyOrder = false): GroupIds {
  if (cols.length === 0) {
    return { ids: new Int32Array(n), count: n > 0 ? 1 : 0, firstRow: n > 0 ? Int32Array.of(0) : new Int32Array(0) };
  }
  const c0 = cols[0] as Column;
  if (cols.length === 1 && c0.kind === "dict") return dictGroups(c0, anyOrder);
  return wordGroups(packCodes(cols.map(columnCodes), n), n, anyOrder);
}
