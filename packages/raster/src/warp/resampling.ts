// Resampling methods and what each needs: kernels sample around the target pixel's centre, aggregators take every
// source pixel the target pixel overlaps.
import { PlanError } from "@tessera/common";

export type Resampling = "nearest" | "bilinear" | "average" | "mode" | "min" | "max" | "sum";

interface MethodInfo {
  /** "kernel": value at the target centre; "area": over the target pixel's footprint. */
  readonly kind: "kernel" | "area";
  /** Filter radius in source pixels before stretching by the down-sampling ratio (GDAL's anGWKFilterRadius). */
  readonly radius: number;
}

export const RESAMPLING: Readonly<Record<Resampling, MethodInfo>> = {
  nearest: { kind: "kernel", radius: 0 },
  bilinear: { kind: "kernel", radius: 1 },
  average: { kind: "area", radius: 0 },
  mode: { kind: "area", radius: 0 },
  min: { kind: "area", radius: 0 },
  max: { kind: "area", radius: 0 },
  sum: { kind: "area", radius: 0 },
};

export function checkResampling(m: string): Resampling {
  if (!Object.prototype.hasOwnProperty.call(RESAMPLING, m)) {
    throw new PlanError("RASTER_BAD_RESAMPLING", `unknown resampling "${m}"; known: ${Object.keys(RESAMPLING).join(", ")}`);
  }
  return m as Resampling;
}

/**
 * Source pixels a kernel reaches on each side of the target centre: the radius stretched by the down-sampling
 * ratio (a 4× coarser target makes the bilinear tent 4 source pixels wide each side).
 */
export function kernelReach(m: Resampling, scale: readonly [number, number]): [number, number] {
  const r = RESAMPLING[m].radius;
  if (r === 0) return [0, 0];
  return [Math.ceil(r / Math.min(1, scale[0])), Math.ceil(r / Math.min(1, scale[1]))];
}
