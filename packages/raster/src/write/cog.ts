// A Cloud-Optimized GeoTIFF writer: tiled, DEFLATE with predictors, internal overviews, every IFD before any data
// (smallest overview's tiles first, the full image's last), GDAL's structural metadata, BigTIFF when needed.
import { PlanError } from "@tessera/common";
import type { BandArray } from "../chunk/band-array.js";
import { bytesPerPixel, dtypeOfBand, isFloatDType } from "../chunk/band-array.js";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";
import type { Grid } from "../grid/grid.js";
import { fullWindow } from "../grid/grid.js";
import { scaleAffine } from "../grid/affine.js";
import type { Resampling } from "../warp/resampling.js";
import { warpChunk } from "../warp/warp-chunk.js";
import { geoTags } from "./geo-tags.js";
import type { Predictor } from "./tile-encode.js";
import { encodeTile } from "./tile-encode.js";
import type { IfdEntry, TiffFlavour } from "./tiff-ifd.js";
import { FIELD, ifdSize, writeIfd } from "./tiff-ifd.js";

/** Plain-data options of "encode COG". */
export interface CogOptions {
  /** Tile width and height (a multiple of 16); default 256. */
  readonly tileSize?: number;
  /** "deflate" (default) or "none". */
  readonly compression?: "deflate" | "none";
  /** zlib level 1–9; default 6. */
  readonly level?: number;
  /** Default: 3 (floating point) for float bands, 2 (horizontal) for integer bands; 1 for none. */
  readonly predictor?: Predictor;
  /** Overview factors (2, 4, ...); default: halve until the image fits in one tile; [] for none. */
  readonly overviews?: readonly number[];
  /** How overviews are computed; default "nearest". */
  readonly overviewResampling?: Resampling;
  /** Force BigTIFF (true) or classic (false); default: BigTIFF only past 4 GiB. */
  readonly bigTiff?: boolean;
}

const GHOST = ["LAYOUT=IFDS_BEFORE_DATA", "BLOCK_ORDER=ROW_MAJOR", "BLOCK_LEADER=SIZE_AS_UINT4", "BLOCK_TRAILER=LAST_4_BYTES_REPEATED", "KNOWN_INCOMPATIBLE_EDITION=NO", " "].join("\n");

function ghostArea(): Buffer {
  const body = `${GHOST}\n`;
  return Buffer.from(`GDAL_STRUCTURAL_METADATA_SIZE=${String(body.length).padStart(6, "0")} bytes\n${body}`, "latin1");
}

const SAMPLE_FORMAT = (d: string): number => (d.startsWith("float") ? 3 : d.startsWith("int") ? 2 : 1);

function escapeXml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

function nodataText(v: number): string {
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  return String(v);
}

/** The default overview factors: 2, 4, ... while the image is larger than one tile. */
function autoOverviews(g: Grid, tile: number): number[] {
  const out: number[] = [];
  for (let f = 2; Math.ceil(g.width / (f / 2)) > tile || Math.ceil(g.height / (f / 2)) > tile; f *= 2) out.push(f);
  return out;
}

interface Level { readonly grid: Grid; readonly bands: readonly BandArray[]; readonly tiles: Uint8Array[][] }

/**
 * Encodes a whole raster (one chunk covering its grid) as a COG. All bands must share one pixel type; invalid pixels
 * are written as the band's nodata (the first band's nodata is the file's, as GDAL has one per file). An integer band
 * with invalid pixels and no nodata value is refused (RASTER_NO_NODATA), as is a CRS that is not an EPSG code.
 */
export function encodeCog(c: RasterChunk, opts: CogOptions = {}): Uint8Array {
  const tile = opts.tileSize ?? 256;
  if (!(tile >= 16 && tile % 16 === 0)) throw new PlanError("RASTER_BAD_TILE_SIZE", `COG tile size must be a multiple of 16, got ${tile}`);
  const dtype = dtypeOfBand(c.data[0] as BandArray);
  if (c.data.some((a) => dtypeOfBand(a) !== dtype)) throw new PlanError("RASTER_MIXED_TYPES", "a GeoTIFF holds one pixel type for all bands; cast the bands first");
  const nodata = c.nodata[0] ?? (isFloatDType(dtype) && c.valid.some((v) => v !== null) ? Number.NaN : null);
  if (nodata === null && c.valid.some((v) => v !== null)) {
    throw new PlanError("RASTER_NO_NODATA", `band ${c.bands[c.valid.findIndex((v) => v !== null)]} has invalid pixels but no nodata value to write them as`);
  }
  const predictor: Predictor = opts.predictor ?? (opts.compression === "none" ? 1 : isFloatDType(dtype) ? 3 : 2);
  if (predictor === 3 && !isFloatDType(dtype)) throw new PlanError("RASTER_BAD_PREDICTOR", "predictor 3 is for float bands");
  const level = opts.compression === "none" ? null : opts.level ?? 6;
  const fill = nodata ?? 0;

  // Full resolution with invalid pixels set to nodata, then each overview from it.
  const full = c.data.map((a, b) => {
    const v = c.valid[b];
    if (v === null || v === undefined || nodata === null) return a;
    const out = a.slice();
    for (let i = 0; i < v.length; i++) if (v[i] === 0) out[i] = nodata;
    return out;
  });
  const base = makeChunk({ grid: c.grid, window: fullWindow(c.grid), bands: c.bands, data: full, valid: c.valid, nodata: c.data.map(() => nodata) });
  const factors = opts.overviews ?? autoOverviews(c.grid, tile);
  const grids: Grid[] = [c.grid, ...factors.map((f) => {
    const width = Math.ceil(c.grid.width / f);
    const height = Math.ceil(c.grid.height / f);
    return { crs: c.grid.crs, transform: scaleAffine(c.grid.transform, c.grid.width / width, c.grid.height / height), width, height };
  })];
  const levels: Level[] = grids.map((g, k) => {
    const bands = k === 0 ? full : warpChunk(base, {
      srcGrid: c.grid, dstGrid: g, dstWindow: fullWindow(g), method: opts.overviewResampling ?? "nearest",
      scale: [g.width / c.grid.width, g.height / c.grid.height],
    }).data;
    const across = Math.ceil(g.width / tile);
    const down = Math.ceil(g.height / tile);
    const tiles = bands.map((band) => {
      const out: Uint8Array[] = [];
      for (let ty = 0; ty < down; ty++) for (let tx = 0; tx < across; tx++) out.push(encodeTile(band, g.width, g.height, tx, ty, tile, predictor, fill, level));
      return out;
    });
    return { grid: g, bands, tiles };
  });

  const dataBytes = levels.reduce((s, l) => s + l.tiles.flat().reduce((t, x) => t + x.length + 8, 0), 0);
  const bigTiff = opts.bigTiff ?? dataBytes > 0xffffffff - (1 << 24);
  const f: TiffFlavour = { bigTiff };
  const ghost = ghostArea();
  const headerSize = bigTiff ? 16 : 8;
  const spp = c.data.length;

  const entriesFor = (l: Level, k: number, offsets: number[], counts: number[]): IfdEntry[] => {
    const e: IfdEntry[] = [
      { tag: 254, type: FIELD.LONG, values: [k === 0 ? 0 : 1] },
      { tag: 256, type: FIELD.LONG, values: [l.grid.width] },
      { tag: 257, type: FIELD.LONG, values: [l.grid.height] },
      { tag: 258, type: FIELD.SHORT, values: Array(spp).fill(bytesPerPixel(dtype) * 8) },
      { tag: 259, type: FIELD.SHORT, values: [level === null ? 1 : 8] },
      { tag: 262, type: FIELD.SHORT, values: [1] },
      { tag: 277, type: FIELD.SHORT, values: [spp] },
      { tag: 284, type: FIELD.SHORT, values: [2] },
      { tag: 322, type: FIELD.SHORT, values: [tile] },
      { tag: 323, type: FIELD.SHORT, values: [tile] },
      { tag: 324, type: bigTiff ? FIELD.LONG8 : FIELD.LONG, values: offsets },
      { tag: 325, type: bigTiff ? FIELD.LONG8 : FIELD.LONG, values: counts },
      { tag: 339, type: FIELD.SHORT, values: Array(spp).fill(SAMPLE_FORMAT(dtype)) },
    ];
    if (predictor !== 1) e.push({ tag: 317, type: FIELD.SHORT, values: [predictor] });
    // Grey images have one colour channel; further bands are declared as unspecified extra samples.
    if (spp > 1) e.push({ tag: 338, type: FIELD.SHORT, values: Array(spp - 1).fill(0) });
    if (nodata !== null) e.push({ tag: 42113, type: FIELD.ASCII, values: nodataText(nodata) });
    if (k === 0) {
      e.push(...geoTags(l.grid));
      const items = c.bands.map((name, b) => `<Item name="DESCRIPTION" sample="${b}" role="description">${escapeXml(name)}</Item>`).join("");
      e.push({ tag: 42112, type: FIELD.ASCII, values: `<GDALMetadata>${items}</GDALMetadata>` });
    }
    return e;
  };

  // Pass 1: sizes. Pass 2: offsets. IFDs (full image first) right after the ghost area; data after the last IFD,
  // coarsest overview first; each tile wrapped in a 4-byte size leader and a repeat of its last 4 bytes.
  const placeholder = levels.map((l, k) => entriesFor(l, k, Array(l.tiles.flat().length).fill(0), Array(l.tiles.flat().length).fill(0)));
  const ifdAt: number[] = [];
  let at = headerSize + ghost.length;
  at += at & 1;
  for (const e of placeholder) { ifdAt.push(at); at += ifdSize(e, f); at += at & 1; }
  const offsets: number[][] = levels.map(() => []);
  for (let k = levels.length - 1; k >= 0; k--) {
    for (const t of (levels[k] as Level).tiles.flat()) { (offsets[k] as number[]).push(at + 4); at += t.length + 8; }
  }
  const out = new Uint8Array(at);
  const view = new DataView(out.buffer);
  out.set([0x49, 0x49], 0);
  if (bigTiff) { view.setUint16(2, 43, true); view.setUint16(4, 8, true); view.setBigUint64(8, BigInt(ifdAt[0] as number), true); }
  else { view.setUint16(2, 42, true); view.setUint32(4, ifdAt[0] as number, true); }
  out.set(ghost, headerSize);
  levels.forEach((l, k) => {
    const counts = l.tiles.flat().map((t) => t.length);
    writeIfd(view, ifdAt[k] as number, entriesFor(l, k, offsets[k] as number[], counts), ifdAt[k + 1] ?? 0, f);
    l.tiles.flat().forEach((t, i) => {
      const o = (offsets[k] as number[])[i] as number;
      view.setUint32(o - 4, t.length, true);
      out.set(t, o);
      out.set(t.subarray(Math.max(0, t.length - 4)), o + t.length);
    });
  });
  return out;
}
