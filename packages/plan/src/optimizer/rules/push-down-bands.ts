// Rule push-down-bands: a raster read under a frame decodes only the bands the raster's band math uses (see
// raster/narrow-bands.ts); the frame made from it keeps every band it had, so its schema is unchanged.
import { narrowBands } from "../../raster/narrow-bands.js";
import { rewritePlan } from "../rewrite.js";
import type { OptimizerRule } from "../rule.js";

export const pushDownBands: OptimizerRule = {
  name: "push-down-bands",
  apply(plan) {
    return rewritePlan(plan, (n) => {
      if (n.kind !== "fromRaster") return null;
      // Rows, zonal and overall statistics cover every band of the raster: nothing above narrows it further.
      const raster = narrowBands(n.raster, null);
      return raster === n.raster ? null : { ...n, raster };
    });
  },
};
