// Temporal kernels (UTC): year/month/day parts, truncate to day/month/year, and date/timestamp ± integer / − temporal.
import type { DType } from "@tessera/common";
import type { NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { int64FloorDiv, int64FromProduct } from "../int64-math.js";
import type { TruncateUnit } from "@tessera/expr";
import { civilFromDays, daysFromCivil, finerTemporal, unitsPerDay } from "../temporal-units.js";
import { arith } from "./arithmetic.js";
import { castColumn } from "./cast.js";

/** Days since epoch of each row (floor division for timestamps, exact on int64 words). */
function daysOf(col: NumColumn): Float64Array | Int32Array {
  if (col.type === "date32") return col.values as Int32Array;
  return int64FloorDiv(col.values as BigInt64Array, unitsPerDay(col.type));
}

/**
 * f(day) for each valid row's day. Over a compact range of days (the usual case), f runs once per day and the
 * results are gathered; otherwise once per row.
 */
function mapDays(days: Float64Array | Int32Array, valid: Uint8Array | null, f: (day: number) => number): Float64Array {
  const n = days.length;
  const out = new Float64Array(n);
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const d = days[i] as number;
    if (d < min) min = d;
    if (d > max) max = d;
  }
  if (max < min) return out;
  const range = max - min + 1;
  if (range <= Math.max(n, 4096)) {
    const table = new Float64Array(range);
    for (let k = 0; k < range; k++) table[k] = f(min + k);
    for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) out[i] = table[(days[i] as number) - min] as number;
  } else {
    for (let i = 0; i < n; i++) if (valid === null || valid[i] !== 0) out[i] = f(days[i] as number);
  }
  return out;
}

const Y = new Int32Array(1);
const M = new Int32Array(1);
const D = new Int32Array(1);
const PARTS = {
  year: (day: number): number => { civilFromDays(day, Y, M, D, 0); return Y[0] as number; },
  month: (day: number): number => { civilFromDays(day, Y, M, D, 0); return M[0] as number; },
  day: (day: number): number => { civilFromDays(day, Y, M, D, 0); return D[0] as number; },
};
const TRUNC = {
  day: (day: number): number => day,
  month: (day: number): number => { civilFromDays(day, Y, M, D, 0); return daysFromCivil(Y[0] as number, M[0] as number, 1); },
  year: (day: number): number => { civilFromDays(day, Y, M, D, 0); return daysFromCivil(Y[0] as number, 1, 1); },
};

/** Calendar part (UTC) of each row as int32. */
export function datePart(fn: "year" | "month" | "day", col: NumColumn): NumColumn {
  const values = Int32Array.from(mapDays(daysOf(col), col.valid, PARTS[fn]));
  return { kind: "num", type: "int32", length: col.length, values, valid: col.valid };
}

/** Truncates to the start of the day, month or year (UTC), keeping the type. */
export function truncate(unit: TruncateUnit, col: NumColumn): NumColumn {
  const n = col.length;
  const out = mapDays(daysOf(col), col.valid, TRUNC[unit]);
  if (col.type === "date32") return { kind: "num", type: "date32", length: n, values: Int32Array.from(out), valid: col.valid };
  return { kind: "num", type: col.type, length: n, values: int64FromProduct(out, unitsPerDay(col.type)), valid: col.valid };
}

/**
 * temporal ± integer (the integer counts the temporal's stored unit: days for date32) → the temporal type;
 * temporal − temporal → int64 count of the finer side's unit.
 */
export function temporalArith(fn: "add" | "sub", l: NumColumn, r: NumColumn, out: DType): NumColumn {
  const n = l.length;
  if (l.type === "null" || r.type === "null") return nullColumn(out, n) as NumColumn;
  if (out === "int64") {
    const t = finerTemporal(l.type, r.type);
    const a = castColumn(l, t) as NumColumn;
    const b = castColumn(r, t) as NumColumn;
    const raw: DType = t === "date32" ? "int32" : "int64";
    return arith("sub", { ...a, type: raw }, { ...b, type: raw }, "int64");
  }
  if (l.type === "date32") {
    const res = arith(fn, { ...l, type: "int32" }, r, "int64");
    return { ...(castColumn(res, "int32") as NumColumn), type: "date32" };
  }
  return { ...arith(fn, { ...l, type: "int64" }, r, "int64"), type: out };
}
