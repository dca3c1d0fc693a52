// Georeferencing from TIFF tags: the affine transform (tie point + scale, or a full model transformation) and the
// CRS from the GeoKey directory, with PixelIsPoint files shifted to the corner convention as GDAL does.
import type { Affine } from "../grid/affine.js";
import { pointToAreaAffine } from "../grid/affine.js";

/** GeoKey ids used here (GeoTIFF 1.1, section 7). */
const GT_MODEL_TYPE = 1024;
const GT_RASTER_TYPE = 1025;
const GEOGRAPHIC_TYPE = 2048;
const PROJECTED_CS_TYPE = 3072;
const RASTER_PIXEL_IS_POINT = 2;
const USER_DEFINED = 32767;

/** Tag values as read from an IFD (numbers or arrays of them); absent tags are undefined. */
export interface GeoTags {
  readonly modelPixelScale?: ArrayLike<number>;
  readonly modelTiepoint?: ArrayLike<number>;
  readonly modelTransformation?: ArrayLike<number>;
  readonly geoKeyDirectory?: ArrayLike<number>;
}

/** GeoKey id → its short value (keys stored in other tags are skipped; none of those used here are). */
export function parseGeoKeys(dir: ArrayLike<number> | undefined): Map<number, number> {
  const keys = new Map<number, number>();
  if (dir === undefined || dir.length < 4) return keys;
  const count = dir[3] as number;
  for (let i = 0; i < count; i++) {
    const at = 4 + i * 4;
    if (at + 3 >= dir.length) break;
    if (dir[at + 1] === 0) keys.set(dir[at] as number, dir[at + 3] as number);
  }
  return keys;
}

/** "EPSG:<code>" from the projected or geographic CS key; "" when there is none or it is user-defined. */
export function crsFromGeoKeys(keys: Map<number, number>): string {
  const projected = keys.get(PROJECTED_CS_TYPE);
  const geographic = keys.get(GEOGRAPHIC_TYPE);
  const model = keys.get(GT_MODEL_TYPE);
  const code = model === 2 ? geographic : projected ?? geographic;
  return code !== undefined && code > 0 && code !== USER_DEFINED ? `EPSG:${code}` : "";
}

/**
 * The corner-based geotransform of the full-resolution image. A rotated file (ModelTransformation) keeps its
 * rotation terms. Without georeferencing tags, GDAL's default [0, 1, 0, 0, 0, 1] applies.
 */
export function affineFromTags(tags: GeoTags, keys: Map<number, number>): Affine {
  let t: Affine = [0, 1, 0, 0, 0, 1];
  const m = tags.modelTransformation;
  const tie = tags.modelTiepoint;
  const scale = tags.modelPixelScale;
  if (m !== undefined && m.length >= 8) {
    t = [m[3] as number, m[0] as number, m[1] as number, m[7] as number, m[4] as number, m[5] as number];
  } else if (tie !== undefined && tie.length >= 6 && scale !== undefined && scale.length >= 2) {
    const [i, j, , x, y] = [tie[0], tie[1], tie[2], tie[3], tie[4]] as number[];
    const sx = scale[0] as number;
    const sy = scale[1] as number;
    t = [x! - i! * sx, sx, 0, y! + j! * sy, 0, -sy];
  } else {
    return t;
  }
  return keys.get(GT_RASTER_TYPE) === RASTER_PIXEL_IS_POINT ? pointToAreaAffine(t) : t;
}

/** True when the file declares PixelIsPoint (its tie point names a pixel centre). */
export function isPixelIsPoint(keys: Map<number, number>): boolean {
  return keys.get(GT_RASTER_TYPE) === RASTER_PIXEL_IS_POINT;
}

/** GDAL_NODATA (tag 42113) text to a number: "nan", "inf", "-inf" and decimals; null when absent or unreadable. */
export function parseNodata(text: unknown): number | null {
  if (typeof text !== "string") return null;
  const s = text.replace(/\0+$/, "").trim().toLowerCase();
  if (s === "") return null;
  if (s === "nan" || s === "-nan") return Number.NaN;
  if (s === "inf" || s === "+inf") return Number.POSITIVE_INFINITY;
  if (s === "-inf") return Number.NEGATIVE_INFINITY;
  const v = Number(s);
  return Number.isNaN(v) ? null : v;
}
