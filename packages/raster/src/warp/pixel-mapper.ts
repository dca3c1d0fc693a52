// Target pixel positions to source pixel positions, in GDAL's order of operations: target geotransform, CRS
// transform, inverse source geotransform (so positions match gdalwarp -et 0 to the last bit).
import type { Grid } from "../grid/grid.js";
import { invertAffine } from "../grid/affine.js";
import type { PixelMapper } from "../grid/halo.js";
import { crsTransform } from "./crs.js";

/** The mapper for warping `src` onto `dst`; `where` names the data in a CRS error. */
export function warpMapper(src: Grid, dst: Grid, where?: string): PixelMapper {
  const t = dst.transform;
  const inv = invertAffine(src.transform);
  const toSrcCrs = crsTransform(dst.crs, src.crs, where);
  return (xs, ys) => {
    for (let i = 0; i < xs.length; i++) {
      const c = xs[i] as number;
      const r = ys[i] as number;
      xs[i] = t[0] + c * t[1] + r * t[2];
      ys[i] = t[3] + c * t[4] + r * t[5];
    }
    toSrcCrs(xs, ys);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const y = ys[i] as number;
      xs[i] = inv[0] + x * inv[1] + y * inv[2];
      ys[i] = inv[3] + x * inv[4] + y * inv[5];
    }
  };
}
