// GeoTIFF tags for a grid: the transform (pixel scale + tie point, or a model transformation when rotated) and a
// GeoKey directory naming the EPSG CRS, PixelIsArea.
import { PlanError } from "@tessera/common";
import type { Grid } from "../grid/grid.js";
import { isNorthUp } from "../grid/affine.js";
import type { IfdEntry } from "./tiff-ifd.js";
import { FIELD } from "./tiff-ifd.js";

/** EPSG codes 4001–4999 are geographic 2D CRSs; other codes are treated as projected. */
function isGeographic(code: number): boolean {
  return code > 4000 && code < 5000;
}

/** The georeferencing tags of a grid. Throws RASTER_UNSUPPORTED_CRS for a CRS that is not "EPSG:<code>" (or empty). */
export function geoTags(g: Grid): IfdEntry[] {
  const t = g.transform;
  const tags: IfdEntry[] = isNorthUp(t)
    ? [
      { tag: 33550, type: FIELD.DOUBLE, values: [t[1], -t[5], 0] },
      { tag: 33922, type: FIELD.DOUBLE, values: [0, 0, 0, t[0], t[3], 0] },
    ]
    : [{ tag: 34264, type: FIELD.DOUBLE, values: [t[1], t[2], 0, t[0], t[4], t[5], 0, t[3], 0, 0, 0, 0, 0, 0, 0, 1] }];
  const keys: [number, number][] = [[1025, 1]];
  if (g.crs !== "") {
    const m = /^EPSG:(\d+)$/i.exec(g.crs.trim());
    if (m === null) throw new PlanError("RASTER_UNSUPPORTED_CRS", `cannot write CRS "${g.crs}" into a GeoTIFF: only EPSG codes are written`, { crs: g.crs });
    const code = Number(m[1]);
    keys.push([1024, isGeographic(code) ? 2 : 1], [isGeographic(code) ? 2048 : 3072, code]);
  }
  keys.sort((a, b) => a[0] - b[0]);
  tags.push({ tag: 34735, type: FIELD.SHORT, values: [1, 1, 0, keys.length, ...keys.flatMap(([k, v]) => [k, 0, 1, v])] });
  return tags;
}
