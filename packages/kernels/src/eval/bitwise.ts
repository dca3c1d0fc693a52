// Bitwise kernels: bitAnd and shiftRight (arithmetic shift for signed types, logical for unsigned), exact on int64 words.
import type { DType } from "@tessera/common";
import type { NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { allocArray, isBigIntType, int64Words } from "../dtype-arrays.js";
import { andValid, numbersOf, wordsOf } from "./validity.js";

function shift64(w: Int32Array, i: number, lo: number, hi: number, s: number, unsigned: boolean): void {
  if (s <= 0) { w[2 * i] = lo; w[2 * i + 1] = hi; return; }
  if (s >= 64) { const f = unsigned ? 0 : hi >> 31; w[2 * i] = f; w[2 * i + 1] = f; return; }
  if (s >= 32) {
    w[2 * i] = unsigned ? hi >>> (s - 32) : hi >> (s - 32);
    w[2 * i + 1] = unsigned ? 0 : hi >> 31;
    return;
  }
  w[2 * i] = (lo >>> s) | (hi << (32 - s));
  w[2 * i + 1] = unsigned ? hi >>> s : hi >> s;
}

/** l & r or l >> r in the promoted integer type `out`. Shift counts past the width fill with the sign (0 when unsigned). */
export function bitwise(fn: "bitAnd" | "shiftRight", l: NumColumn, r: NumColumn, out: DType): NumColumn {
  const n = l.length;
  if (l.type === "null" || r.type === "null" || out === "null") return nullColumn(out, n) as NumColumn;
  const valid = andValid(l.valid, r.valid);
  const values = allocArray(out, n);
  const unsigned = out.startsWith("uint");
  if (isBigIntType(out)) {
    const a = wordsOf(l);
    const w = int64Words(values as BigInt64Array);
    if (fn === "bitAnd") {
      const b = wordsOf(r);
      for (let i = 0; i < 2 * n; i++) w[i] = (a[i] as number) & (b[i] as number);
    } else {
      const s = numbersOf(r);
      for (let i = 0; i < n; i++) shift64(w, i, a[2 * i] as number, a[2 * i + 1] as number, s[i] as number, unsigned);
    }
    return { kind: "num", type: out, length: n, values, valid };
  }
  const a = numbersOf(l);
  const b = numbersOf(r);
  const o = values as Int32Array;
  if (fn === "bitAnd") {
    for (let i = 0; i < n; i++) o[i] = (a[i] as number) & (b[i] as number);
  } else if (unsigned) {
    for (let i = 0; i < n; i++) { const s = b[i] as number; o[i] = s >= 32 ? 0 : (a[i] as number) >>> Math.max(0, s); }
  } else {
    for (let i = 0; i < n; i++) { const s = b[i] as number; o[i] = (a[i] as number) >> Math.min(31, Math.max(0, s)); }
  }
  return { kind: "num", type: out, length: n, values, valid };
}
