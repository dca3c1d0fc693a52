// Elementwise math: sqrt exp log sin cos tan atan asinh (→ float64) and floor ceil round (same type; round half away from zero).
import type { NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { isFloat } from "@tessera/common";
import { allocArray } from "../dtype-arrays.js";
import { numbersOf } from "./validity.js";

export type FloatFn = "sqrt" | "exp" | "log" | "sin" | "cos" | "tan" | "atan" | "asinh";
export type RoundFn = "floor" | "ceil" | "round";

const FLOAT_FNS: Record<FloatFn, (x: Float64Array, out: Float64Array) => void> = {
  sqrt: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i] as number); },
  exp: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.exp(x[i] as number); },
  log: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.log(x[i] as number); },
  sin: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.sin(x[i] as number); },
  cos: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.cos(x[i] as number); },
  tan: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.tan(x[i] as number); },
  atan: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.atan(x[i] as number); },
  asinh: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.asinh(x[i] as number); },
};

const ROUND_FNS: Record<RoundFn, (x: Float64Array, out: Float64Array | Float32Array) => void> = {
  floor: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.floor(x[i] as number); },
  ceil: (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.ceil(x[i] as number); },
  round: (x, o) => {
    for (let i = 0; i < o.length; i++) {
      const v = x[i] as number;
      o[i] = v < 0 ? -Math.round(-v) : Math.round(v);
    }
  },
};

/** A float64 function of a numeric column (log of x <= 0 and sqrt of x < 0 follow IEEE: -Infinity / NaN). */
export function floatMath(fn: FloatFn, col: NumColumn): NumColumn {
  const n = col.length;
  if (col.type === "null") return nullColumn("float64", n) as NumColumn;
  const out = new Float64Array(n);
  FLOAT_FNS[fn](numbersOf(col), out);
  return { kind: "num", type: "float64", length: n, values: out, valid: col.valid };
}

/** floor / ceil / round keeping the type; integers are returned as they are. */
export function roundMath(fn: RoundFn, col: NumColumn): NumColumn {
  if (!isFloat(col.type)) return col;
  const out = allocArray(col.type, col.length) as Float64Array | Float32Array;
  ROUND_FNS[fn](numbersOf(col), out);
  return { kind: "num", type: col.type, length: col.length, values: out, valid: col.valid };
}
