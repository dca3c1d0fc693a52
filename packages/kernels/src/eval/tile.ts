// Web-mercator tile kernels: tile numbers of coordinates (deg2num, no clamping), parent cells, bin indices.
import type { DType } from "@tessera/common";
import type { TileFn } from "@tessera/expr";
import type { NumColumn } from "../column.js";
import { nullColumn } from "../build.js";
import { bitwise } from "./bitwise.js";
import { litColumn } from "./broadcast.js";
import { andValid, normValid, numbersOf, validOrOnes } from "./validity.js";

const DEG_TO_RAD = Math.PI / 180;
const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** Writes trunc(t[i]) into out as int32; rows whose value is not finite or out of range become null. */
function truncToInt32(t: Float64Array, inValid: Uint8Array | null): NumColumn {
  const n = t.length;
  const out = new Int32Array(n);
  let valid: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    const v = Math.trunc(t[i] as number);
    if (v >= INT32_MIN && v <= INT32_MAX) out[i] = v;
    else (valid ??= validOrOnes(inValid, n))[i] = 0;
  }
  return { kind: "num", type: "int32", length: n, values: out, valid: normValid(valid ?? (inValid === null ? null : inValid.slice())) };
}

/** x = trunc((lng + 180) / 360 * 2^z), evaluated in that order (the reference implementation's rounding). */
function tileX(col: NumColumn, zoom: number): NumColumn {
  const lng = numbersOf(col);
  const n = 2 ** zoom;
  const t = new Float64Array(lng.length);
  for (let i = 0; i < t.length; i++) t[i] = (((lng[i] as number) + 180) / 360) * n;
  return truncToInt32(t, col.valid);
}

/** y = trunc((1 - asinh(tan(lat * π/180)) / π) / 2 * 2^z), with π/180 one constant as in the reference. */
function tileY(col: NumColumn, zoom: number): NumColumn {
  const lat = numbersOf(col);
  const n = 2 ** zoom;
  const t = new Float64Array(lat.length);
  for (let i = 0; i < t.length; i++) t[i] = ((1 - Math.asinh(Math.tan((lat[i] as number) * DEG_TO_RAD)) / Math.PI) / 2) * n;
  return truncToInt32(t, col.valid);
}

/** (x mod 2^b) + (y mod 2^b) * 2^b; two's-complement `&` is floor modulo, so negative cells work too. */
function tileBin(cx: NumColumn, cy: NumColumn, binLevel: number): NumColumn {
  const n = cx.length;
  if (cx.type === "null" || cy.type === "null") return nullColumn("int32", n) as NumColumn;
  const mask = 2 ** binLevel - 1;
  const x = numbersOf(cx);
  const y = numbersOf(cy);
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = ((x[i] as number) & mask) + (((y[i] as number) & mask) << binLevel);
  return { kind: "num", type: "int32", length: n, values: out, valid: normValid(andValid(cx.valid, cy.valid)) };
}

type TileKernel = (args: readonly NumColumn[], level: number, out: DType) => NumColumn;

const TILE_KERNELS: Record<TileFn, TileKernel> = {
  x: ([c], z) => (c!.type === "null" ? (nullColumn("int32", c!.length) as NumColumn) : tileX(c!, z)),
  y: ([c], z) => (c!.type === "null" ? (nullColumn("int32", c!.length) as NumColumn) : tileY(c!, z)),
  // floor(cell / 2^levels) is an arithmetic right shift, exact for int64 cells as well.
  parent: ([c], levels, out) => bitwise("shiftRight", c!, litColumn(levels, "int32", c!.length) as NumColumn, out),
  bin: ([cx, cy], b) => tileBin(cx!, cy!, b),
};

/** Evaluates tile function `fn` over its argument columns (see `tile` in @tessera/expr for the definitions). */
export function tileFn(fn: TileFn, args: readonly NumColumn[], level: number, out: DType): NumColumn {
  return TILE_KERNELS[fn](args, level, out);
}
