// What collect() returns for a raster: its grid, band names and times, and one whole-grid chunk per time slice.
import { PlanError } from "@tessera/common";
import type { BandArray, Grid, RasterChunk } from "@tessera/raster";
import { bandIndex } from "@tessera/raster";

/**
 * A computed raster. `slices[t]` covers the whole grid (one per time; one with time null without a time dimension);
 * its `data[b]` are the band's pixels row-major and `valid[b]` its mask (null: every pixel valid).
 */
export class RasterResult {
  constructor(
    readonly grid: Grid,
    readonly bands: readonly string[],
    readonly times: readonly (number | null)[],
    readonly slices: readonly RasterChunk[],
  ) {}

  private slice(t: number): RasterChunk {
    const s = this.slices[t];
    if (s === undefined) throw new PlanError("RASTER_BAD_TIME_INDEX", `the raster has ${this.slices.length} time slices, no index ${t}`);
    return s;
  }

  /** The pixels of band `name` at time index `t` (default 0). */
  band(name: string, t = 0): BandArray {
    const s = this.slice(t);
    return s.data[bandIndex(s, name)] as BandArray;
  }

  /** The validity mask of band `name` at time index `t` (1 = valid), null when every pixel is valid. */
  valid(name: string, t = 0): Uint8Array | null {
    const s = this.slice(t);
    return s.valid[bandIndex(s, name)] ?? null;
  }
}
