// Raster test helpers: GDAL as the oracle (fixtures written by GDAL, its outputs dumped raw), comparisons of arrays.
import { readFileSync } from "node:fs";
import { gdal, gdalInfo } from "../../packages/raster/test/gdal.js";

export { gdal, gdalInfo, sameBytes, tempDir, writeEnvi } from "../../packages/raster/test/gdal.js";
export { NODATA, makeWarpSource, sourceValues } from "../../packages/raster/test/warp-fixture.js";

/** Resampling names as gdalwarp spells them. */
export const GDAL_RESAMPLING = { nearest: "near", bilinear: "bilinear", average: "average", mode: "mode", min: "min", max: "max", sum: "sum" } as const;

/** Band 1 of a raster as GDAL reads it, as raw Float32 values, and its size. */
export function gdalFloat32(file: string, dump: string): { values: Float32Array; width: number; height: number; geoTransform: number[] } {
  gdal("gdal_translate", ["-q", "-of", "ENVI", "-b", "1", "-ot", "Float32", file, dump]);
  const raw = readFileSync(dump);
  const values = new Float32Array(raw.byteLength / 4);
  new Uint8Array(values.buffer).set(raw);
  const info = gdalInfo(file);
  return { values, width: info.size[0], height: info.size[1], geoTransform: info.geoTransform ?? [] };
}

/** gdalwarp -ovr NONE -et 0 with `args` into `out`, then its band 1 as Float32. */
export function gdalwarpFloat32(src: string, out: string, args: readonly string[]): { values: Float32Array; width: number; height: number; geoTransform: number[] } {
  gdal("gdalwarp", ["-q", "-overwrite", "-ovr", "NONE", "-et", "0", ...args, src, out]);
  return gdalFloat32(out, `${out}.bin`);
}

/** Largest relative difference over pixels that differ (0 when all are equal). */
export function maxRelError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    const a = got[i] as number;
    const b = want[i] as number;
    if (a === b) continue;
    worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(b), 1e-30));
  }
  return worst;
}

/** The pixels where the mask says invalid and where GDAL wrote the nodata value must be the same ones. */
export function maskMismatches(valid: Uint8Array | null, want: ArrayLike<number>, nodata: number): number {
  let bad = 0;
  for (let i = 0; i < want.length; i++) if ((want[i] === nodata) !== (valid !== null && valid[i] === 0)) bad++;
  return bad;
}

/** Byte-for-byte equality of two typed arrays. */
export function sameArray(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
