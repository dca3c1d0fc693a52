// concatStr: texts joined by a separator, row by row; dictionary inputs give a dictionary output built once per combination.
import type { Column, DictColumn, StrColumn } from "../column.js";
import { groupIds } from "../group-ids.js";
import { encodeUtf8 } from "../strings.js";
import { castColumn } from "./cast.js";
import { normValid } from "./validity.js";

/** Row validity of the concatenation: valid where every input is. */
function allValid(cols: readonly Column[], n: number): Uint8Array | null {
  let valid: Uint8Array | null = null;
  for (const c of cols) {
    if (c.valid === null) continue;
    if (valid === null) valid = c.valid.slice();
    else for (let i = 0; i < n; i++) valid[i] = (valid[i] as number) & (c.valid[i] as number);
  }
  return valid === null ? null : normValid(valid);
}

/** The bytes of row `i` of a text column: [bytes, start, end]. */
function bytesOf(c: StrColumn | DictColumn, i: number): [Uint8Array, number, number] {
  if (c.kind === "dict") {
    const k = c.indices[i] as number;
    return [c.dict.bytes, c.dict.offsets[k] as number, c.dict.offsets[k + 1] as number];
  }
  return [c.bytes, c.offsets[i] as number, c.offsets[i + 1] as number];
}

/** Concatenates the given rows (`rows[k]` is the row to read) of every column, separated: a plain text column. */
function joinRows(cols: readonly (StrColumn | DictColumn)[], sep: Uint8Array, rows: ArrayLike<number>, valid: Uint8Array | null): StrColumn {
  const n = rows.length;
  const offsets = new Int32Array(n + 1);
  let cap = 64;
  let bytes = new Uint8Array(cap);
  let pos = 0;
  const reserve = (len: number): void => {
    if (pos + len <= cap) return;
    cap = Math.max(cap * 2, pos + len);
    const grown = new Uint8Array(cap);
    grown.set(bytes.subarray(0, pos));
    bytes = grown;
  };
  for (let i = 0; i < n; i++) {
    if (valid === null || valid[i] !== 0) {
      const row = rows[i] as number;
      for (let k = 0; k < cols.length; k++) {
        if (k > 0 && sep.length > 0) { reserve(sep.length); bytes.set(sep, pos); pos += sep.length; }
        const [src, s, e] = bytesOf(cols[k] as StrColumn | DictColumn, row);
        reserve(e - s);
        bytes.set(src.subarray(s, e), pos);
        pos += e - s;
      }
    }
    offsets[i + 1] = pos;
  }
  return { kind: "str", type: "utf8", length: n, offsets, bytes: bytes.slice(0, pos), valid };
}

/**
 * Row i: the texts of every column at row i joined by `separator` (null when any is null). Inputs that are not
 * text are cast to utf8 first. When every input is dictionary-encoded (region names, categories), each distinct
 * combination is joined once and the result is a dictionary column.
 */
export function concatStr(inputs: readonly Column[], separator: string, n: number): Column {
  const cols = inputs.map((c) => (c.type === "utf8" ? c : castColumn(c, "utf8"))) as (StrColumn | DictColumn)[];
  const sep = encodeUtf8(separator);
  const valid = allValid(cols, n);
  if (cols.every((c) => c.kind === "dict")) {
    const g = groupIds(cols.map((c) => ({ kind: "num", type: "int32", length: n, values: (c as DictColumn).indices, valid: null })), n);
    const dict = joinRows(cols, sep, g.firstRow, null);
    const out: DictColumn = { kind: "dict", type: "utf8", length: n, indices: g.ids, dict, valid };
    return out;
  }
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  return joinRows(cols, sep, rows, valid);
}
