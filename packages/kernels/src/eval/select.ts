// Row-wise choice between same-typed columns: row i comes from cols[pick[i]] (used by when/then and fillNull).
import type { DType } from "@tessera/common";
import type { Column, DictColumn, NumColumn, StrColumn } from "../column.js";
import { allocArray, int64Words } from "../dtype-arrays.js";
import { decodeDict, unifyDictionaries } from "../concat.js";
import { normValid } from "./validity.js";

function chooseValid(cols: readonly Column[], pick: Uint8Array | Int32Array, n: number): Uint8Array | null {
  if (cols.every((c) => c.valid === null)) return null;
  const valid = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = (cols[pick[i] as number] as Column).valid;
    valid[i] = v === null ? 1 : (v[i] as number);
  }
  return normValid(valid);
}

function chooseNum(type: DType, cols: readonly NumColumn[], pick: Uint8Array | Int32Array, n: number): NumColumn {
  const values = allocArray(type, n);
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
    const src = cols.map((c) => int64Words(c.values as BigInt64Array));
    const w = int64Words(values);
    for (let i = 0; i < n; i++) {
      const s = src[pick[i] as number] as Int32Array;
      w[2 * i] = s[2 * i] as number;
      w[2 * i + 1] = s[2 * i + 1] as number;
    }
  } else {
    const src = cols.map((c) => c.values as Float64Array);
    const o = values as Float64Array;
    for (let i = 0; i < n; i++) o[i] = (src[pick[i] as number] as Float64Array)[i] as number;
  }
  return { kind: "num", type, length: n, values, valid: chooseValid(cols, pick, n) };
}

function chooseStr(cols: readonly Column[], pick: Uint8Array | Int32Array, n: number): Column {
  const valid = chooseValid(cols, pick, n);
  if (cols.length > 0 && cols.every((c) => c.kind === "dict")) {
    // Dictionaries of different columns (a column and a literal, say) are merged once; rows then pick indices.
    const unified = unifyDictionaries(cols as DictColumn[]);
    const idx = unified.map((c) => c.indices);
    const indices = new Int32Array(n);
    for (let i = 0; i < n; i++) indices[i] = (idx[pick[i] as number] as Int32Array)[i] as number;
    return { kind: "dict", type: "utf8", length: n, indices, dict: (unified[0] as DictColumn).dict, valid };
  }
  const strs = cols.map((c) => (c.kind === "dict" ? decodeDict(c) : (c as StrColumn)));
  const offsets = new Int32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = strs[pick[i] as number] as StrColumn;
    total += (s.offsets[i + 1] as number) - (s.offsets[i] as number);
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < n; i++) {
    const s = strs[pick[i] as number] as StrColumn;
    const a = s.offsets[i] as number;
    const e = s.offsets[i + 1] as number;
    const d = offsets[i] as number;
    for (let k = a; k < e; k++) bytes[d + k - a] = s.bytes[k] as number;
  }
  return { kind: "str", type: "utf8", length: n, offsets, bytes, valid };
}

/** Row i of the result is row i of cols[pick[i]]; all cols have type `type` and length n. */
export function chooseColumns(type: DType, cols: readonly Column[], pick: Uint8Array | Int32Array, n: number): Column {
  if (type === "utf8") return chooseStr(cols, pick, n);
  return chooseNum(type, cols as NumColumn[], pick, n);
}
