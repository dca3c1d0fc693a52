// Validity masks from nodata values: integers compare exactly, floats also treat NaN as missing.
import type { BandArray } from "../chunk/band-array.js";
import { allocMask } from "../chunk/band-array.js";

/**
 * The mask of a band (1 = valid), or null when every pixel is valid. A pixel is invalid when it equals `nodata`
 * (NaN nodata matches NaN) and, for float bands, whenever it is NaN.
 */
export function validityOf(values: BandArray, nodata: number | null): Uint8Array | null {
  const isFloat = values instanceof Float32Array || values instanceof Float64Array;
  const n = values.length;
  let mask: Uint8Array | null = null;
  const mark = (i: number): void => {
    if (mask === null) { mask = allocMask(n); mask.fill(1); }
    mask[i] = 0;
  };
  if (nodata !== null && !Number.isNaN(nodata)) {
    for (let i = 0; i < n; i++) {
      const v = values[i] as number;
      if (v === nodata || (isFloat && v !== v)) mark(i);
    }
  } else if (isFloat) {
    for (let i = 0; i < n; i++) { const v = values[i] as number; if (v !== v) mark(i); }
  }
  return mask;
}
