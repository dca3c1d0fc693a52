// Cells to rows: a chunk as a kernels Batch with one row per pixel (pixel column and row, centre x and y in the
// grid's CRS, lon and lat, the time for stack slices, then one nullable column per band).
import { PlanError } from "@tessera/common";
import type { Field } from "@tessera/common";
import type { Batch, Column } from "@tessera/kernels";
import { makeNumColumn } from "@tessera/kernels";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { allocBand, dtypeOfBand } from "../chunk/band-array.js";
import { crsTransform } from "../warp/crs.js";

/** Plain-data arguments of "cells to rows". */
export interface ToRowsArgs {
  /** Bands to emit (all by default). */
  readonly bands?: readonly string[];
  /** Add lon/lat (EPSG:4326) columns; default true. */
  readonly lonLat?: boolean;
  /** Leave out pixels invalid in every emitted band; default false (they become rows of nulls). */
  readonly dropInvalid?: boolean;
}

/**
 * Rows in row-major pixel order. `col`/`row` (int32) index the pixel in the chunk's parent grid; `x`/`y` are its
 * centre in the grid's CRS; `lon`/`lat` that centre in EPSG:4326; `time` (timestamp[ms]) only for stack slices.
 */
export function chunkToRows(c: RasterChunk, args: ToRowsArgs = {}): Batch {
  const names = args.bands ?? c.bands;
  const idx = names.map((name) => {
    const i = c.bands.indexOf(name);
    if (i < 0) throw new PlanError("RASTER_UNKNOWN_BAND", `band "${name}" not found; bands: ${c.bands.join(", ")}`);
    return i;
  });
  const { width, height } = c.window;
  let keep: Int32Array | null = null;
  if (args.dropInvalid === true) {
    const ids: number[] = [];
    for (let p = 0; p < width * height; p++) if (idx.some((b) => { const v = c.valid[b]; return v === null || v === undefined || v[p] === 1; })) ids.push(p);
    keep = Int32Array.from(ids);
  }
  const n = keep === null ? width * height : keep.length;
  const pixel = (k: number): number => (keep === null ? k : keep[k] as number);
  const cols = new Int32Array(n);
  const rows = new Int32Array(n);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const t = c.grid.transform;
  for (let k = 0; k < n; k++) {
    const p = pixel(k);
    const cx = p % width;
    const cy = (p - cx) / width;
    cols[k] = c.window.x + cx;
    rows[k] = c.window.y + cy;
    xs[k] = t[0] + (cx + 0.5) * t[1] + (cy + 0.5) * t[2];
    ys[k] = t[3] + (cx + 0.5) * t[4] + (cy + 0.5) * t[5];
  }
  const fields: Field[] = [];
  const columns: Column[] = [];
  const add = (name: string, col: Column): void => { fields.push({ name, type: col.type, nullable: col.valid !== null }); columns.push(col); };
  add("col", makeNumColumn("int32", cols));
  add("row", makeNumColumn("int32", rows));
  add("x", makeNumColumn("float64", xs));
  add("y", makeNumColumn("float64", ys));
  if (args.lonLat !== false) {
    const lon = xs.slice();
    const lat = ys.slice();
    crsTransform(c.grid.crs, "EPSG:4326")(lon, lat);
    add("lon", makeNumColumn("float64", lon));
    add("lat", makeNumColumn("float64", lat));
  }
  if (c.time !== null) add("time", makeNumColumn("timestamp[ms]", new BigInt64Array(n).fill(BigInt(c.time))));
  idx.forEach((b, j) => {
    const values = c.data[b]!;
    const valid = c.valid[b] ?? null;
    if (keep === null) { add(names[j] as string, makeNumColumn(dtypeOfBand(values), values, valid)); return; }
    const v = allocBand(dtypeOfBand(values), n);
    const ok = valid === null ? null : new Uint8Array(n);
    for (let k = 0; k < n; k++) { const p = keep[k] as number; v[k] = values[p] as number; if (ok !== null) ok[k] = valid![p] as number; }
    add(names[j] as string, makeNumColumn(dtypeOfBand(values), v, ok));
  });
  return { fields, columns, length: n };
}
