// Band math: Tessera expressions evaluated per chunk by the dataframe kernels, each band seen as a column whose
// nulls are the band's invalid pixels (zero-copy both ways).
import type { DType, Field } from "@tessera/common";
import { PlanError } from "@tessera/common";
import type { ExprNode } from "@tessera/expr";
import { containsAgg, outputName, typeOf } from "@tessera/expr";
import type { Batch, NumColumn } from "@tessera/kernels";
import { evalExpr } from "@tessera/kernels";
import type { BandArray, RasterDType } from "../chunk/band-array.js";
import { dtypeOfBand, isRasterDType } from "../chunk/band-array.js";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";

/** Plain-data arguments of a "band math on chunk" task: one output band per expression, named by its alias. */
export interface BandMathArgs {
  readonly exprs: readonly ExprNode[];
}

/** The pixel type a kernel result is stored as: booleans as uint8 (0/1), 64-bit integers as float64. */
function storedType(t: DType): RasterDType | null {
  if (t === "bool") return "uint8";
  if (t === "int64" || t === "uint64") return "float64";
  return isRasterDType(t) ? t : null;
}

/**
 * Output band names and pixel types of band math over bands with the given names and types; a PlanError names an
 * unknown band (listing those that exist), an aggregate, or a non-numeric result. Typing is the dataframe's:
 * integer + integer stays in the type (it wraps), division gives float64, so cast first when the sum may overflow.
 */
export function bandMathBands(bands: readonly { name: string; dtype: RasterDType }[], exprs: readonly ExprNode[]): { name: string; dtype: RasterDType }[] {
  const fields: Field[] = bands.map((b) => ({ name: b.name, type: b.dtype, nullable: true }));
  return exprs.map((e) => {
    if (containsAgg(e)) throw new PlanError("RASTER_AGG_IN_BAND_MATH", `band math is per pixel; "${outputName(e)}" contains an aggregate (use a reduction)`);
    const t = typeOf(e, fields);
    const dtype = storedType(t);
    if (dtype === null) throw new PlanError("RASTER_BAD_BAND_TYPE", `band math result "${outputName(e)}" is ${t}; raster bands hold numbers`);
    return { name: outputName(e), dtype };
  });
}

/** The chunk as a kernel Batch: one nullable numeric column per band, viewing the band and mask arrays. */
export function chunkToBatch(c: RasterChunk): Batch {
  const length = c.grid.width * c.grid.height;
  const columns: NumColumn[] = c.data.map((values, b) => ({ kind: "num", type: dtypeOfBand(values), length, values, valid: c.valid[b] ?? null }));
  return { fields: c.bands.map((name, b) => ({ name, type: (columns[b] as NumColumn).type, nullable: true })), columns, length };
}

function toBand(col: NumColumn, dtype: RasterDType): BandArray {
  const v = col.values;
  if (dtype === "float64" && (v instanceof BigInt64Array || v instanceof BigUint64Array)) return Float64Array.from(v, Number);
  return v as BandArray;
}

/**
 * Evaluates each expression over every pixel of the chunk. A pixel is invalid in the result when the expression is
 * null there (SQL null rules: any invalid input band makes arithmetic invalid; fillNull and when can restore it).
 * Float results under invalid pixels are set to NaN, and NaN is declared their nodata; integer results keep a mask
 * and no nodata value.
 */
export function bandMath(c: RasterChunk, args: BandMathArgs): RasterChunk {
  const out = bandMathBands(c.data.map((a, b) => ({ name: c.bands[b] as string, dtype: dtypeOfBand(a) })), args.exprs);
  const batch = chunkToBatch(c);
  const data: BandArray[] = [];
  const valid: (Uint8Array | null)[] = [];
  const nodata: (number | null)[] = [];
  args.exprs.forEach((e, i) => {
    const col = evalExpr(e, batch) as NumColumn;
    const dtype = (out[i] as { dtype: RasterDType }).dtype;
    let values = toBand(col, dtype);
    const mask = col.valid;
    const isFloat = dtype === "float32" || dtype === "float64";
    // Results may alias an input band (a bare band reference); copy before writing NaN under its nulls.
    if (mask !== null && isFloat) {
      if (c.data.includes(values)) values = values.slice();
      for (let p = 0; p < mask.length; p++) if (mask[p] === 0) values[p] = Number.NaN;
    }
    data.push(values);
    valid.push(mask);
    nodata.push(isFloat ? Number.NaN : null);
  });
  return makeChunk({ grid: c.grid, window: c.window, bands: out.map((o) => o.name), data, valid, nodata, time: c.time });
}
