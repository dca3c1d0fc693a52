// Formatting num columns as strings (cast to utf8): ISO dates and timestamps in UTC, exact int64.
import type { DType } from "@tessera/common";
import type { NumColumn } from "../column.js";
import { int64Words, toFloat64 } from "../dtype-arrays.js";
import { int64FloorDiv } from "../int64-math.js";
import { civilFromDays, unitsPerDay, unitsPerSecond } from "../temporal-units.js";
import type { Column, DictColumn } from "../column.js";
import { groupIds } from "../group-ids.js";
import { formatPythonFloat, formatPythonFloat32 } from "../python-float.js";
import { strColumnFromStrings } from "../strings.js";

const pad = (x: number, w: number): string => String(x).padStart(w, "0");

function formatDays(days: Float64Array | Int32Array, valid: Uint8Array | null): (string | null)[] {
  const n = days.length;
  const y = new Int32Array(1);
  const m = new Int32Array(1);
  const d = new Int32Array(1);
  const out: (string | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) { out[i] = null; continue; }
    civilFromDays(days[i] as number, y, m, d, 0);
    out[i] = `${pad(y[0] as number, 4)}-${pad(m[0] as number, 2)}-${pad(d[0] as number, 2)}`;
  }
  return out;
}

function formatTimestamps(col: NumColumn, t: DType): (string | null)[] {
  const v = col.values as BigInt64Array;
  const perDay = unitsPerDay(t);
  const perSec = unitsPerSecond(t);
  const days = int64FloorDiv(v, perDay);
  const dates = formatDays(days, col.valid);
  const n = v.length;
  const big = BigInt(perDay);
  const digits = Math.round(Math.log10(perSec));
  for (let i = 0; i < n; i++) {
    if (dates[i] === null) continue;
    const rem = Number((v[i] as bigint) - BigInt(days[i] as number) * big);
    const secs = Math.floor(rem / perSec);
    const frac = rem - secs * perSec;
    let s = `${dates[i]} ${pad(Math.floor(secs / 3600), 2)}:${pad(Math.floor(secs / 60) % 60, 2)}:${pad(secs % 60, 2)}`;
    if (frac !== 0) s += "." + pad(frac, digits).replace(/0+$/, "");
    dates[i] = s;
  }
  return dates;
}

/** JS strings for each row of a num column (null for nulls). Per-row by nature: casting to text is not a hot path. */
export function formatColumn(col: NumColumn): (string | null)[] {
  const t = col.type;
  const valid = col.valid;
  if (t === "date32") return formatDays(col.values as Int32Array, valid);
  if (t.startsWith("timestamp")) return formatTimestamps(col, t);
  const n = col.length;
  const out: (string | null)[] = new Array(n);
  const v = col.values;
  if (t === "bool") {
    for (let i = 0; i < n; i++) out[i] = v[i] !== 0 ? "true" : "false";
  } else if (v instanceof BigInt64Array || v instanceof BigUint64Array) {
    const w = int64Words(v);
    for (let i = 0; i < n; i++) {
      const hi = w[2 * i + 1] as number;
      const safe = hi >= -2097152 && hi < 2097152 && !(v instanceof BigUint64Array && hi < 0);
      out[i] = safe ? String(hi * 4294967296 + ((w[2 * i] as number) >>> 0)) : String(v[i]);
    }
  } else {
    const x = toFloat64(v);
    for (let i = 0; i < n; i++) out[i] = String(x[i]);
  }
  if (valid !== null) for (let i = 0; i < n; i++) if (valid[i] === 0) out[i] = null;
  return out;
}

/**
 * A num column as Python's `str()` spells it: floats in repr form (`3.0`, `1e-05`, `nan`, `inf`), integers as digits,
 * booleans `True`/`False`; dates and timestamps as in formatColumn. Floats are formatted once per distinct value and
 * come back dictionary-encoded (columns of measurements repeat values; formatting is the cost).
 */
export function formatColumnPython(col: NumColumn): Column {
  const t = col.type;
  if (t === "bool") {
    const dict = strColumnFromStrings(["False", "True"]);
    const indices = new Int32Array(col.length);
    const v = col.values;
    for (let i = 0; i < col.length; i++) indices[i] = v[i] !== 0 ? 1 : 0;
    const out: DictColumn = { kind: "dict", type: "utf8", length: col.length, indices, dict, valid: col.valid };
    return out;
  }
  if (t !== "float64" && t !== "float32") return strColumnFromStrings(formatColumn(col));
  const g = groupIds([col]);
  const text = t === "float64" ? formatPythonFloat : formatPythonFloat32;
  const v = col.values as Float64Array | Float32Array;
  const entries: string[] = new Array(g.count);
  for (let k = 0; k < g.count; k++) {
    const row = g.firstRow[k] as number;
    entries[k] = col.valid !== null && col.valid[row] === 0 ? "" : text(v[row] as number);
  }
  const out: DictColumn = { kind: "dict", type: "utf8", length: col.length, indices: g.ids, dict: strColumnFromStrings(entries), valid: col.valid };
  return out;
}
