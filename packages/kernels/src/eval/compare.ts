// Comparison kernels eq neq lt lte gt gte: numbers as doubles, int64 and timestamps exactly, strings by UTF-8 bytes.
import { isTemporal } from "@tessera/common";
import type { BinaryFn } from "@tessera/expr";
import type { Column, NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { isBigIntType, isIntegerLike } from "../dtype-arrays.js";
import { compareWords } from "../int64-math.js";
import { compareBytes } from "../strings.js";
import { finerTemporal } from "../temporal-units.js";
import { castColumn } from "./cast.js";
import { strAccess } from "./str-access.js";
import { andValid, numbersOf, wordsOf } from "./validity.js";

export type CmpFn = Extract<BinaryFn, "eq" | "neq" | "lt" | "lte" | "gt" | "gte">;

type FloatCmp = (a: Float64Array, b: Float64Array, out: Uint8Array) => void;
const FLOAT_CMP: Record<CmpFn, FloatCmp> = {
  eq: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i] === b[i] ? 1 : 0; },
  neq: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i] !== b[i] ? 1 : 0; },
  lt: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) < (b[i] as number) ? 1 : 0; },
  lte: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) <= (b[i] as number) ? 1 : 0; },
  gt: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) > (b[i] as number) ? 1 : 0; },
  gte: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) >= (b[i] as number) ? 1 : 0; },
};

/** Maps three-way signs (-1, 0, 1) to the comparison's 0/1 in place. */
const SIGN_TO_BOOL: Record<CmpFn, (s: Int8Array, out: Uint8Array) => void> = {
  eq: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = s[i] === 0 ? 1 : 0; },
  neq: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = s[i] !== 0 ? 1 : 0; },
  lt: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = (s[i] as number) < 0 ? 1 : 0; },
  lte: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = (s[i] as number) <= 0 ? 1 : 0; },
  gt: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = (s[i] as number) > 0 ? 1 : 0; },
  gte: (s, o) => { for (let i = 0; i < o.length; i++) o[i] = (s[i] as number) >= 0 ? 1 : 0; },
};

function boolCol(values: Uint8Array, valid: Uint8Array | null): NumColumn {
  return { kind: "num", type: "bool", length: values.length, values, valid };
}

/** Three-way signs of string rows. A one-entry dictionary side (a literal) compares each dictionary entry once. */
function strSigns(l: Column, r: Column): Int8Array {
  const n = l.length;
  const a = strAccess(l);
  const b = strAccess(r);
  const signs = new Int8Array(n);
  if (a.idx !== null && b.idx !== null && b.entries === 1) {
    const bs = b.offsets[0] as number;
    const be = b.offsets[1] as number;
    const entry = new Int8Array(a.entries);
    for (let k = 0; k < a.entries; k++) entry[k] = Math.sign(compareBytes(a.bytes, a.offsets[k] as number, a.offsets[k + 1] as number, b.bytes, bs, be));
    for (let i = 0; i < n; i++) signs[i] = entry[a.idx[i] as number] as number;
    return signs;
  }
  if (a.idx !== null && b.idx !== null && a.entries === 1) {
    const neg = strSigns(r, l);
    for (let i = 0; i < n; i++) signs[i] = -(neg[i] as number);
    return signs;
  }
  for (let i = 0; i < n; i++) {
    const ka = a.idx === null ? i : (a.idx[i] as number);
    const kb = b.idx === null ? i : (b.idx[i] as number);
    signs[i] = Math.sign(compareBytes(a.bytes, a.offsets[ka] as number, a.offsets[ka + 1] as number, b.bytes, b.offsets[kb] as number, b.offsets[kb + 1] as number));
  }
  return signs;
}

/** l (fn) r as a bool column; null where either side is null. Temporal sides of different units compare in the finer unit. */
export function compare(fn: CmpFn, l0: Column, r0: Column): NumColumn {
  const n = l0.length;
  if (l0.type === "null" || r0.type === "null") return nullColumn("bool", n) as NumColumn;
  const valid = andValid(l0.valid, r0.valid);
  const out = new Uint8Array(n);
  if (l0.kind !== "num" || r0.kind !== "num") {
    SIGN_TO_BOOL[fn](strSigns(l0, r0), out);
    return boolCol(out, valid);
  }
  let l: NumColumn = l0;
  let r: NumColumn = r0;
  if (isTemporal(l.type) && isTemporal(r.type) && l.type !== r.type) {
    const t = finerTemporal(l.type, r.type);
    l = castColumn(l, t) as NumColumn;
    r = castColumn(r, t) as NumColumn;
  }
  if (isIntegerLike(l.type) && isIntegerLike(r.type) && (isBigIntType(l.type) || isBigIntType(r.type))) {
    const a = wordsOf(l);
    const b = wordsOf(r);
    const signs = new Int8Array(n);
    for (let i = 0; i < n; i++) signs[i] = compareWords(a, i, b, i);
    SIGN_TO_BOOL[fn](signs, out);
    return boolCol(out, valid);
  }
  FLOAT_CMP[fn](numbersOf(l), numbersOf(r), out);
  return boolCol(out, valid);
}
