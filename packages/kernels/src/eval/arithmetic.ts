// Arithmetic kernels: add sub mul div mod pow (SQL nulls; x/0 is IEEE ±Infinity/NaN and x%0 is null, as DuckDB), neg, abs.
import type { DType } from "@tessera/common";
import { isTemporal } from "@tessera/common";
import type { BinaryFn } from "@tessera/expr";
import type { NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { allocArray, isBigIntType, int64Words } from "../dtype-arrays.js";
import { numberToWords } from "../int64-math.js";
import { andValid, normValid, numbersOf, validOrOnes, wordsOf } from "./validity.js";

export type ArithFn = Extract<BinaryFn, "add" | "sub" | "mul" | "div" | "mod" | "pow">;

/** A loop over doubles: writes out[i]; clears valid[i] where the result is undefined (division by zero). */
type FloatKernel = (a: Float64Array, b: Float64Array, out: Float64Array, valid: Uint8Array) => void;

const FLOAT_KERNELS: Record<ArithFn, FloatKernel> = {
  add: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) + (b[i] as number); },
  sub: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) - (b[i] as number); },
  mul: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) * (b[i] as number); },
  div: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = (a[i] as number) / (b[i] as number); },
  mod: (a, b, o, v) => {
    for (let i = 0; i < o.length; i++) {
      const d = b[i] as number;
      if (d === 0) v[i] = 0;
      else o[i] = (a[i] as number) % d;
    }
  },
  pow: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.pow(a[i] as number, b[i] as number); },
};

/** Exact int64 fallback (BigInt per row, wrapping to 64 bits) for results past 2^53. */
const BIG_KERNELS: Record<"add" | "sub" | "mul" | "mod", (x: bigint, y: bigint) => bigint> = {
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  mod: (x, y) => x % y,
};

const SAFE = 9007199254740992;

function maxAbs(x: Float64Array, valid: Uint8Array | null): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const v = Math.abs(x[i] as number);
    if (v > m) m = v;
  }
  return m;
}

function bigValues(col: NumColumn): BigInt64Array {
  const w = wordsOf(col);
  return new BigInt64Array(w.buffer, w.byteOffset, col.length);
}

function bigArith(fn: "add" | "sub" | "mul" | "mod", l: NumColumn, r: NumColumn, out: DType, valid: Uint8Array): NumColumn {
  const n = l.length;
  const a = bigValues(l);
  const b = bigValues(r);
  const res = allocArray(out, n) as BigInt64Array;
  const k = BIG_KERNELS[fn];
  for (let i = 0; i < n; i++) {
    if (valid[i] === 0) continue;
    const y = b[i] as bigint;
    if (fn === "mod" && y === 0n) { valid[i] = 0; continue; }
    res[i] = BigInt.asIntN(64, k(a[i] as bigint, y));
  }
  return { kind: "num", type: out, length: n, values: res, valid: normValid(valid) };
}

/**
 * l (fn) r with result type `out` (from typeOf). Doubles carry the computation; integer results are written to the
 * output type (32-bit and narrower wrap like Arrow's unchecked kernels; int32 mul uses Math.imul to wrap exactly).
 * int64 results are exact: when any operand or result passes 2^53 the kernel recomputes with BigInt.
 */
export function arith(fn: ArithFn, l: NumColumn, r: NumColumn, out: DType): NumColumn {
  const n = l.length;
  if (l.type === "null" || r.type === "null") return nullColumn(out, n) as NumColumn;
  const valid = validOrOnes(andValid(l.valid, r.valid), n);
  const a = numbersOf(l);
  const b = numbersOf(r);
  const res = new Float64Array(n);
  (FLOAT_KERNELS[fn])(a, b, res, valid);
  if (out === "float64") return { kind: "num", type: out, length: n, values: res, valid: normValid(valid) };
  if (isBigIntType(out)) {
    const bigIn = isBigIntType(l.type) || isBigIntType(r.type);
    const unsafe = maxAbs(res, valid) >= SAFE || (bigIn && (maxAbs(a, valid) >= SAFE || maxAbs(b, valid) >= SAFE));
    if (unsafe && fn !== "div" && fn !== "pow") return bigArith(fn, l, r, out, valid);
    const values = allocArray(out, n) as BigInt64Array;
    const w = int64Words(values);
    for (let i = 0; i < n; i++) numberToWords(w, i, valid[i] === 0 ? 0 : (res[i] as number));
    return { kind: "num", type: out, length: n, values, valid: normValid(valid) };
  }
  const values = allocArray(out, n);
  if (fn === "mul" && (out === "int32" || out === "uint32")) {
    const o = values as Int32Array;
    for (let i = 0; i < n; i++) o[i] = Math.imul(a[i] as number, b[i] as number);
  } else {
    const o = values as Float64Array;
    for (let i = 0; i < n; i++) o[i] = res[i] as number;
  }
  return { kind: "num", type: out, length: n, values, valid: normValid(valid) };
}

/** -x and |x| in the input's type (int64 exact through BigInt past 2^53). */
export function negAbs(fn: "neg" | "abs", col: NumColumn): NumColumn {
  const n = col.length;
  if (col.type === "null") return col;
  const t = col.type;
  if (isBigIntType(t) && !isTemporal(t)) {
    const x = numbersOf(col);
    if (maxAbs(x, col.valid) >= SAFE) {
      const src = bigValues(col);
      const big = allocArray(t, n) as BigInt64Array;
      for (let i = 0; i < n; i++) {
        const v = src[i] as bigint;
        big[i] = BigInt.asIntN(64, fn === "neg" || v < 0n ? -v : v);
      }
      return { kind: "num", type: t, length: n, values: big, valid: col.valid };
    }
    const values = allocArray(t, n) as BigInt64Array;
    const w = int64Words(values);
    for (let i = 0; i < n; i++) { const v = x[i] as number; numberToWords(w, i, fn === "neg" ? -v : Math.abs(v)); }
    return { kind: "num", type: t, length: n, values, valid: col.valid };
  }
  const x = numbersOf(col);
  const values = allocArray(t, n) as Float64Array;
  if (fn === "neg") for (let i = 0; i < n; i++) values[i] = -(x[i] as number);
  else for (let i = 0; i < n; i++) values[i] = Math.abs(x[i] as number);
  return { kind: "num", type: t, length: n, values, valid: col.valid };
}
