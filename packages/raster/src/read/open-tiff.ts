// Opening a GeoTIFF through the object store: its levels (full image and overviews), pixel type, bands, nodata,
// georeferencing and block layout, parsed once per file version and kept in a small per-thread cache.
import { IoError, isTesseraError } from "@tessera/common";
import { storeFor } from "@tessera/io";
import { GeoTIFF } from "geotiff";
import type { GeoTIFFImage } from "geotiff";
import type { BlockShape } from "../grid/chunking.js";
import type { Grid } from "../grid/grid.js";
import { scaleAffine } from "../grid/affine.js";
import type { RasterDType } from "../chunk/band-array.js";
import { affineFromTags, crsFromGeoKeys, isPixelIsPoint, parseGeoKeys, parseNodata } from "./geokeys.js";
import { StoreSource } from "./store-source.js";
import { checkCodec } from "./tiff-codecs.js";

/** One resolution level of a file: the full image (level 0) or an overview, with its layout. */
export interface RasterLevel {
  readonly grid: Grid;
  readonly block: BlockShape;
  readonly tiled: boolean;
}

/**
 * What a plan needs to know about a GeoTIFF, as plain data. `bands` are the band descriptions GDAL stored, or
 * "b1", "b2", ...; `nodata` is GDAL's per-file nodata value (null when none). `overviews` are ordered from finest
 * to coarsest and are read only when asked.
 */
export interface RasterMeta {
  readonly url: string;
  readonly bytes: number;
  readonly grid: Grid;
  readonly bands: readonly string[];
  readonly dtype: RasterDType;
  readonly nodata: number | null;
  readonly block: BlockShape;
  readonly tiled: boolean;
  readonly compression: string;
  readonly predictor: number;
  readonly interleave: "pixel" | "band";
  readonly bigTiff: boolean;
  readonly pixelIsPoint: boolean;
  readonly overviews: readonly RasterLevel[];
}

/** A level as the block reader needs it: the geotiff.js image plus the values it decodes with. */
export interface OpenLevel extends RasterLevel {
  readonly image: GeoTIFFImage;
  readonly compression: number;
  readonly predictor: number;
  readonly samples: number;
  readonly bitsPerSample: readonly number[];
  readonly planar: 1 | 2;
}

export interface OpenTiff {
  readonly meta: RasterMeta;
  readonly levels: readonly OpenLevel[];
  readonly source: StoreSource;
  readonly littleEndian: boolean;
}

const CACHE_ENTRIES = 64;
const cache = new Map<string, Promise<OpenTiff>>();

/** Turns anything thrown while parsing or decoding a TIFF into an IoError naming the file. */
export function tiffError(url: string, e: unknown): IoError {
  if (isTesseraError(e)) {
    if (e.code === "IO_BAD_RANGE") return new IoError("IO_BAD_TIFF", `cannot read ${url}: truncated TIFF (${e.message})`, { url });
    if (e instanceof IoError) return e;
  }
  const why = e instanceof Error ? e.message : String(e);
  return new IoError("IO_BAD_TIFF", `cannot read ${url}: not a readable GeoTIFF (${why})`, { url });
}

function dtypeOf(url: string, format: number, bits: number): RasterDType {
  const key = `${format}:${bits}`;
  const table: Record<string, RasterDType> = {
    "1:8": "uint8", "1:16": "uint16", "1:32": "uint32", "2:8": "int8", "2:16": "int16", "2:32": "int32", "3:32": "float32", "3:64": "float64",
  };
  const t = table[key];
  if (t === undefined) {
    const kind = format === 1 ? "unsigned" : format === 2 ? "signed" : format === 3 ? "float" : `sample format ${format}`;
    throw new IoError("IO_UNSUPPORTED_TYPE", `cannot read ${url}: ${bits}-bit ${kind} pixels are not supported`, { url });
  }
  return t;
}

/** Band descriptions from the GDAL_METADATA tag (42112), or null for a band without one. */
function bandDescriptions(xml: unknown, bands: number): (string | null)[] {
  const out: (string | null)[] = Array.from({ length: bands }, () => null);
  if (typeof xml !== "string") return out;
  const re = /<Item\s+name="DESCRIPTION"\s+sample="(\d+)"\s+role="description"\s*>([^<]*)<\/Item>/g;
  for (let m = re.exec(xml); m !== null; m = re.exec(xml)) {
    const i = Number(m[1]);
    if (i < bands) out[i] = (m[2] as string).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, "\"").replace(/&amp;/g, "&");
  }
  return out;
}

async function openLevel(url: string, image: GeoTIFFImage): Promise<OpenLevel & { readonly dtype: RasterDType }> {
  const ifd = image.fileDirectory;
  const width = image.getWidth();
  const height = image.getHeight();
  const tiled = image.isTiled;
  const block: BlockShape = tiled
    ? { blockWidth: image.getTileWidth(), blockHeight: image.getTileHeight() }
    : { blockWidth: width, blockHeight: Math.min(height, Number(await ifd.loadValue("RowsPerStrip")) || height) };
  const samples = image.getSamplesPerPixel();
  const bitsPerSample = Array.from({ length: samples }, (_, s) => image.getBitsPerSample(s));
  const formats = Array.from({ length: samples }, (_, s) => image.getSampleFormat(s));
  const dtype = dtypeOf(url, formats[0] ?? 1, bitsPerSample[0] ?? 8);
  for (let s = 1; s < samples; s++) {
    if (dtypeOf(url, formats[s] ?? 1, bitsPerSample[s] ?? 8) !== dtype) {
      throw new IoError("IO_UNSUPPORTED_TYPE", `cannot read ${url}: bands of different pixel types`, { url });
    }
  }
  const compression = Number(await ifd.loadValue("Compression")) || 1;
  checkCodec(url, compression);
  const predictor = Number(await ifd.loadValue("Predictor")) || 1;
  const planar = (Number(await ifd.loadValue("PlanarConfiguration")) || 1) === 2 ? 2 : 1;
  const grid: Grid = { crs: "", transform: [0, 1, 0, 0, 0, 1], width, height };
  return { grid, block, tiled, image, compression, predictor, samples, bitsPerSample, planar, dtype };
}

async function openUncached(url: string, bytes: number): Promise<OpenTiff> {
  const source = new StoreSource(storeFor(url), url, bytes);
  try {
    // geotiff.js types its source as BaseSource; StoreSource implements the part it calls (fetch, fileSize, close).
    const tiff = await GeoTIFF.fromSource(source as never);
    const count = await tiff.getImageCount();
    const images: GeoTIFFImage[] = [];
    for (let i = 0; i < count; i++) images.push(await tiff.getImage(i));
    const first = images[0];
    if (first === undefined) throw new Error("no images");
    const ifd = first.fileDirectory;
    const keys = parseGeoKeys(await ifd.loadValue("GeoKeyDirectory"));
    const transform = affineFromTags({
      modelPixelScale: await ifd.loadValue("ModelPixelScale"),
      modelTiepoint: await ifd.loadValue("ModelTiepoint"),
      modelTransformation: await ifd.loadValue("ModelTransformation"),
    }, keys);
    const crs = crsFromGeoKeys(keys);
    const full = await openLevel(url, first);
    const levels: OpenLevel[] = [{ ...full, grid: { crs, transform, width: full.grid.width, height: full.grid.height } }];
    for (const image of images.slice(1)) {
      const kind = Number(image.fileDirectory.getValue("NewSubfileType") ?? 0);
      // Bit 0: a reduced-resolution copy; bit 2: a transparency mask (GDAL's internal masks), skipped here.
      if ((kind & 1) === 0 || (kind & 4) !== 0) continue;
      const lv = await openLevel(url, image);
      const sx = full.grid.width / lv.grid.width;
      const sy = full.grid.height / lv.grid.height;
      levels.push({ ...lv, grid: { crs, transform: scaleAffine(transform, sx, sy), width: lv.grid.width, height: lv.grid.height } });
    }
    const descriptions = bandDescriptions(await ifd.loadValue("GDAL_METADATA"), full.samples);
    const top = levels[0] as OpenLevel;
    const meta: RasterMeta = {
      url, bytes, grid: top.grid,
      bands: descriptions.map((d, i) => d ?? `b${i + 1}`),
      dtype: full.dtype,
      nodata: parseNodata(await ifd.loadValue("GDAL_NODATA")),
      block: top.block, tiled: top.tiled,
      compression: checkCodec(url, top.compression), predictor: top.predictor,
      // GDAL calls a single-band file band-interleaved whatever its PlanarConfiguration says.
      interleave: top.planar === 2 || full.samples === 1 ? "band" : "pixel",
      bigTiff: tiff.bigTiff, pixelIsPoint: isPixelIsPoint(keys),
      overviews: levels.slice(1).map((l) => ({ grid: l.grid, block: l.block, tiled: l.tiled })),
    };
    return { meta, levels, source, littleEndian: tiff.littleEndian };
  } catch (e) {
    throw tiffError(url, e);
  }
}

/**
 * The parsed file, from the cache when the object's size and modification time are unchanged (one HEAD request),
 * else parsed from its header (usually one more ranged read for a COG). Never lists.
 */
export async function openTiff(url: string): Promise<OpenTiff> {
  const info = await storeFor(url).head(url);
  const key = `${url}\u0000${info.size}\u0000${info.mtimeMs ?? ""}`;
  let p = cache.get(key);
  if (p === undefined) {
    p = openUncached(url, info.size);
    p.catch(() => cache.delete(key));
    cache.set(key, p);
    while (cache.size > CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  return p;
}

/** The plain-data description of a GeoTIFF (see RasterMeta). */
export async function readRasterMeta(url: string): Promise<RasterMeta> {
  return (await openTiff(url)).meta;
}
