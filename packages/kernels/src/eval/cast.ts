// cast: conversions between every pair of DTypes. Values that do not fit or parse become null (never an error).
import type { DType } from "@tessera/common";
import { isFloat, isTemporal } from "@tessera/common";
import type { Column, NumArray, NumColumn, StrColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { allocArray, isBigIntType, int64Words, toFloat64 } from "../dtype-arrays.js";
import { int64FloorDiv, int64FromProduct, int64Scale, numberToWords } from "../int64-math.js";
import { strColumnFromStrings } from "../strings.js";
import { unitsPerDay } from "../temporal-units.js";
import { formatColumn, formatColumnPython } from "./format.js";
import type { NumberFormat } from "@tessera/expr";
import { parseStrings } from "./parse.js";
import { normValid, validOrOnes, wordsOf } from "./validity.js";

const INT_RANGE: Partial<Record<DType, readonly [number, number]>> = {
  int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647], date32: [-2147483648, 2147483647],
  uint8: [0, 255], uint16: [0, 65535], uint32: [0, 4294967295], bool: [0, 1],
};
const TWO63 = 9223372036854775808;

/** Casts to a 32-bit-or-narrower integer type: floats truncate toward zero; NaN and out-of-range values become null. */
function toNarrowInt(col: NumColumn, to: DType): NumColumn {
  const n = col.length;
  const x = toFloat64(col.values);
  const [lo, hi] = INT_RANGE[to] as readonly [number, number];
  const out = allocArray(to, n) as Int32Array;
  let valid: Uint8Array | null = col.valid;
  let copied = false;
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(x[i] as number);
    if (v >= lo && v <= hi) out[i] = v;
    else if (valid === null || valid[i] !== 0) {
      if (!copied) { valid = validOrOnes(col.valid, n); copied = true; }
      (valid as Uint8Array)[i] = 0;
    }
  }
  return { kind: "num", type: to, length: n, values: out, valid };
}

/** Casts numbers to int64 / uint64 (floats truncate; non-finite or out-of-range become null; int64↔uint64 keep bits). */
function toWide(col: NumColumn, to: DType): NumColumn {
  const n = col.length;
  const v = col.values;
  const out = allocArray(to, n) as BigInt64Array;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    int64Words(out).set(int64Words(v));
    return { kind: "num", type: to, length: n, values: out, valid: col.valid };
  }
  if (!(v instanceof Float64Array || v instanceof Float32Array)) {
    int64Words(out).set(wordsOf(col));
    return { kind: "num", type: to, length: n, values: out, valid: col.valid };
  }
  const w = int64Words(out);
  let valid: Uint8Array | null = col.valid;
  let copied = false;
  for (let i = 0; i < n; i++) {
    const x = Math.trunc(v[i] as number);
    if (x >= -TWO63 && x < TWO63) numberToWords(w, i, x);
    else if (valid === null || valid[i] !== 0) {
      if (!copied) { valid = validOrOnes(col.valid, n); copied = true; }
      (valid as Uint8Array)[i] = 0;
    }
  }
  return { kind: "num", type: to, length: n, values: out, valid };
}

function toFloatType(col: NumColumn, to: DType): NumColumn {
  const x = toFloat64(col.values);
  const values: NumArray = to === "float32" ? Float32Array.from(x) : x === col.values ? x.slice() : x;
  return { kind: "num", type: to, length: col.length, values, valid: col.valid };
}

function toBool(col: NumColumn): NumColumn {
  const n = col.length;
  const out = new Uint8Array(n);
  const v = col.values;
  if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) out[i] = w[2 * i] !== 0 || w[2 * i + 1] !== 0 ? 1 : 0;
  } else {
    for (let i = 0; i < n; i++) out[i] = v[i] !== 0 ? 1 : 0;
  }
  return { kind: "num", type: "bool", length: n, values: out, valid: col.valid };
}

/** Temporal → temporal: date32 ↔ timestamps and between units (to a coarser unit floors, e.g. before 1970 too). */
function temporalToTemporal(col: NumColumn, to: DType): NumColumn {
  const from = col.type;
  const n = col.length;
  const uf = unitsPerDay(from);
  const ut = unitsPerDay(to);
  if (from === "date32") {
    return { kind: "num", type: to, length: n, values: int64FromProduct(toFloat64(col.values), ut), valid: col.valid };
  }
  const v = col.values as BigInt64Array;
  if (to === "date32") {
    const q = int64FloorDiv(v, uf);
    return { kind: "num", type: to, length: n, values: Int32Array.from(q), valid: col.valid };
  }
  const values = ut >= uf ? int64Scale(v, ut / uf) : int64FromProduct(int64FloorDiv(v, uf / ut), 1);
  return { kind: "num", type: to, length: n, values, valid: col.valid };
}

/** Casts a num column to a non-string type. */
function castNum(col: NumColumn, to: DType): NumColumn {
  const from = col.type;
  if (isTemporal(from) && isTemporal(to)) return temporalToTemporal(col, to);
  if (to === "bool") return toBool(col);
  if (isFloat(to)) return toFloatType(col, to);
  if (isBigIntType(to)) return toWide(col, to);
  return toNarrowInt(col, to);
}

/**
 * Casts any column to `to` (see the module comment; strings parse and format, see parse.ts / format.ts). Numbers
 * cast to utf8 are spelled per `format` ("python": Python's str(), see formatColumnPython).
 */
export function castColumn(col: Column, to: DType, format: NumberFormat = "default"): Column {
  if (col.type === to) return col;
  if (format === "python" && to === "utf8" && col.kind === "num" && col.type !== "null") return formatColumnPython(col);
  const n = col.length;
  if (to === "null" || col.type === "null") return nullColumn(to, n);
  if (col.kind !== "num") {
    if (col.kind === "dict") {
      const entries = castColumn(col.dict, to);
      return gatherEntries(entries, col.indices, col.valid);
    }
    const parsed = parseStrings(col, to);
    return parsed.type === to ? parsed : castColumn(parsed, to);
  }
  if (to === "utf8") return strColumnFromStrings(formatColumn(col));
  const out = castNum(col, to);
  return out.valid === null ? out : { ...out, valid: normValid(out.valid) };
}

/** Rows of a per-dictionary-entry result: row i is entries[indices[i]] (null where the row is null). */
export function gatherEntries(entries: Column, indices: Int32Array, rowValid: Uint8Array | null): Column {
  const n = indices.length;
  if (entries.kind === "str" || entries.kind === "dict") {
    const ev = entries.valid;
    if (entries.kind === "str" && ev === null) {
      return { kind: "dict", type: "utf8", length: n, indices, dict: entries as StrColumn, valid: rowValid };
    }
    const base: StrColumn = entries.kind === "dict" ? entries.dict : { ...entries, valid: null };
    const idx = new Int32Array(n);
    let valid: Uint8Array | null = rowValid === null ? null : rowValid.slice();
    for (let i = 0; i < n; i++) {
      const k = indices[i] as number;
      idx[i] = entries.kind === "dict" ? (entries.indices[k] as number) : k;
      if (ev !== null && ev[k] === 0) { valid ??= new Uint8Array(n).fill(1); valid[i] = 0; }
    }
    return { kind: "dict", type: "utf8", length: n, indices: idx, dict: base, valid: normValid(valid) };
  }
  const values = allocArray(entries.type, n);
  const src = entries.values;
  if (src instanceof BigInt64Array || src instanceof BigUint64Array) {
    const s = int64Words(src);
    const d = int64Words(values as BigInt64Array);
    for (let i = 0; i < n; i++) { const k = indices[i] as number; d[2 * i] = s[2 * k] as number; d[2 * i + 1] = s[2 * k + 1] as number; }
  } else {
    const d = values as Float64Array;
    const s = src as Float64Array;
    for (let i = 0; i < n; i++) d[i] = s[indices[i] as number] as number;
  }
  let valid: Uint8Array | null = rowValid === null ? null : rowValid.slice();
  const ev = entries.valid;
  if (ev !== null) {
    valid ??= new Uint8Array(n).fill(1);
    for (let i = 0; i < n; i++) valid[i] = (valid[i] as number) & (ev[indices[i] as number] as number);
  }
  return { kind: "num", type: entries.type, length: n, values, valid: normValid(valid) };
}
