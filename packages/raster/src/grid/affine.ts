// Affine geotransforms in GDAL's order, about pixel corners: x = t0 + col·t1 + row·t2, y = t3 + col·t4 + row·t5.
import { ExecutionError } from "@tessera/common";

/** Six coefficients [t0, t1, t2, t3, t4, t5]; (col, row) = (0, 0) is the outer corner of the first pixel (PixelIsArea). */
export type Affine = readonly [number, number, number, number, number, number];

/** World coordinates of pixel position (col, row); fractional positions allowed (col + 0.5 is a centre). */
export function applyAffine(t: Affine, col: number, row: number): [number, number] {
  return [t[0] + col * t[1] + row * t[2], t[3] + col * t[4] + row * t[5]];
}

/** True when the transform has no rotation or shear terms. */
export function isNorthUp(t: Affine): boolean {
  return t[2] === 0 && t[4] === 0;
}

/**
 * The inverse transform (world → pixel). Computed as GDAL's GDALInvGeoTransform does (same operations in the same
 * order), so pixel positions derived from it match gdalwarp's to the last bit. Throws for a singular transform.
 */
export function invertAffine(t: Affine): Affine {
  if (t[2] === 0 && t[4] === 0 && t[1] !== 0 && t[5] !== 0) {
    return [-t[0] / t[1], 1 / t[1], 0, -t[3] / t[5], 0, 1 / t[5]];
  }
  const det = t[1] * t[5] - t[2] * t[4];
  const magnitude = Math.max(Math.max(Math.abs(t[1]), Math.abs(t[2])), Math.max(Math.abs(t[4]), Math.abs(t[5])));
  if (Math.abs(det) <= 1e-10 * magnitude * magnitude) {
    throw new ExecutionError("RASTER_SINGULAR_TRANSFORM", `geotransform [${t.join(", ")}] cannot be inverted`);
  }
  const inv = 1 / det;
  return [
    (t[2] * t[3] - t[0] * t[5]) * inv, t[5] * inv, -t[2] * inv,
    (-t[1] * t[3] + t[0] * t[4]) * inv, -t[4] * inv, t[1] * inv,
  ];
}

/** The transform of a sub-grid whose pixel (0, 0) is pixel (col, row) of `t`. */
export function offsetAffine(t: Affine, col: number, row: number): Affine {
  const [x, y] = applyAffine(t, col, row);
  return [x, t[1], t[2], y, t[4], t[5]];
}

/** The transform of the same extent sampled `sx` times coarser across and `sy` times coarser down. */
export function scaleAffine(t: Affine, sx: number, sy: number): Affine {
  return [t[0], t[1] * sx, t[2] * sy, t[3], t[4] * sx, t[5] * sy];
}

/**
 * PixelIsPoint georeferencing (the tie point names a pixel centre) to this model's corner convention: the corner
 * lies half a pixel up and left of the first centre. GDAL applies the same shift when it reads such a file.
 */
export function pointToAreaAffine(t: Affine): Affine {
  return [t[0] - 0.5 * t[1] - 0.5 * t[2], t[1], t[2], t[3] - 0.5 * t[4] - 0.5 * t[5], t[4], t[5]];
}

export function affineEquals(a: Affine, b: Affine): boolean {
  return a.every((v, i) => v === b[i]);
}
