// Parsing string columns into typed values (cast from utf8). Unparseable values become null.
import type { DType } from "@tessera/common";
import { isFloat, isTemporal } from "@tessera/common";
import type { Column, StrColumn } from "../column.js";
import { allocArray, isBigIntType, int64Words } from "../dtype-arrays.js";
import { numberToWords } from "../int64-math.js";
import { strGet } from "../strings.js";
import { daysFromCivil, unitsPerSecond } from "../temporal-units.js";

const DATE_RE = /^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})/;
const TS_RE = /^\s*(-?\d{1,6})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/i;
const INT_RE = /^\s*[+-]?\d+\s*$/;

/** [days, units-of-day] of a timestamp string in UTC (offsets honoured), or null. */
function parseTimestamp(s: string, perSec: number, w: Int32Array, i: number): boolean {
  const m = TS_RE.exec(s);
  if (m === null) return false;
  const days = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
  let secs = Number(m[4] ?? 0) * 3600 + Number(m[5] ?? 0) * 60 + Number(m[6] ?? 0);
  const tz = m[8];
  if (tz !== undefined && tz.toUpperCase() !== "Z") {
    const sign = tz[0] === "-" ? -1 : 1;
    const digits = tz.slice(1).replace(":", "");
    secs -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
  }
  const fracStr = (m[7] ?? "").padEnd(9, "0");
  const frac = Math.floor(Number(fracStr) / (1e9 / perSec));
  const total = BigInt(days * 86400 + secs) * BigInt(perSec) + BigInt(frac);
  const big = new BigInt64Array(1);
  big[0] = total;
  const bw = int64Words(big);
  w[2 * i] = bw[0] as number;
  w[2 * i + 1] = bw[1] as number;
  return true;
}

/**
 * Parses a plain string column toward `to`: numbers (ints must be integral), bools (true/false/1/0/t/f), ISO dates,
 * timestamps. Numbers of a type other than a 64-bit integer come back as float64, for castColumn to narrow.
 */
export function parseStrings(col: StrColumn, to: DType): Column {
  const n = col.length;
  const valid = col.valid === null ? new Uint8Array(n).fill(1) : col.valid.slice();
  if (to === "bool") {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const s = strGet(col, i).trim().toLowerCase();
      if (s === "true" || s === "t" || s === "1") out[i] = 1;
      else if (!(s === "false" || s === "f" || s === "0")) valid[i] = 0;
    }
    return { kind: "num", type: to, length: n, values: out, valid: valid.indexOf(0) < 0 ? null : valid };
  }
  if (isTemporal(to)) {
    if (to === "date32") {
      const out = new Int32Array(n);
      for (let i = 0; i < n; i++) {
        if (valid[i] === 0) continue;
        const m = DATE_RE.exec(strGet(col, i));
        if (m === null) valid[i] = 0;
        else out[i] = daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]));
      }
      return { kind: "num", type: to, length: n, values: out, valid: valid.indexOf(0) < 0 ? null : valid };
    }
    const out = new BigInt64Array(n);
    const w = int64Words(out);
    const perSec = unitsPerSecond(to);
    for (let i = 0; i < n; i++) if (valid[i] !== 0 && !parseTimestamp(strGet(col, i), perSec, w, i)) valid[i] = 0;
    return { kind: "num", type: to, length: n, values: out, valid: valid.indexOf(0) < 0 ? null : valid };
  }
  // Numbers: parse to doubles (exact int64 through BigInt when past 2^53); the caller's numeric cast handles ranges.
  const float = !isFloat(to) ? false : true;
  if (isBigIntType(to)) {
    const out = allocArray(to, n) as BigInt64Array;
    const w = int64Words(out);
    for (let i = 0; i < n; i++) {
      if (valid[i] === 0) continue;
      const s = strGet(col, i);
      if (!INT_RE.test(s)) { valid[i] = 0; continue; }
      const x = Number(s);
      if (Math.abs(x) < 9007199254740992) numberToWords(w, i, x);
      else out[i] = BigInt(s.trim());
    }
    return { kind: "num", type: to, length: n, values: out, valid: valid.indexOf(0) < 0 ? null : valid };
  }
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const s = strGet(col, i).trim();
    const v = s === "" ? Number.NaN : Number(s);
    if ((v !== v && s.toLowerCase() !== "nan") || (!float && !INT_RE.test(s))) valid[i] = 0;
    else x[i] = v;
  }
  return { kind: "num", type: "float64", length: n, values: x, valid: valid.indexOf(0) < 0 ? null : valid };
}
