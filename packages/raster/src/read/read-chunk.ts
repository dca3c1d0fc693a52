// Reading a window of a GeoTIFF level as a RasterChunk: the blocks it touches are fetched in merged ranged reads,
// decoded by geotiff.js's codecs (predictors included) and copied into one typed array per band.
import { IoError, PlanError } from "@tessera/common";
import { coalesceGapFor, coalesceRanges, storeFor } from "@tessera/io";
import type { WantedRange } from "@tessera/io";
import { getDecoder } from "geotiff";
import type { BandArray } from "../chunk/band-array.js";
import { BAND_ARRAYS, allocBand, bytesPerPixel } from "../chunk/band-array.js";
import type { RasterChunk } from "../chunk/raster-chunk.js";
import { makeChunk } from "../chunk/raster-chunk.js";
import { blocksOfWindow } from "../grid/chunking.js";
import { windowGrid } from "../grid/grid.js";
import type { Window } from "../grid/window.js";
import { windowContains } from "../grid/window.js";
import type { OpenLevel, OpenTiff } from "./open-tiff.js";
import { openTiff, tiffError } from "./open-tiff.js";
import { inflateBlock, useNodeCodecs } from "./node-codecs.js";
import { undoPredictor } from "./predictor.js";
import { validityOf } from "./validity.js";

/** Plain-data arguments of one chunk read (what a "read raster chunk" task carries). */
export interface ReadChunkArgs {
  /** Pixels to read, in the grid of the chosen level. */
  readonly window: Window;
  /** Band indices (0-based) to read, in this order; all bands when absent. */
  readonly bands?: readonly number[];
  /** 0 (default) reads the full resolution; k reads the k-th overview. */
  readonly overview?: number;
  /** Stamped on the chunk (time stacks). */
  readonly time?: number | null;
}

/**
 * Gaps up to this size are read through even on local stores: GDAL's COGs put a few bytes of leader and trailer
 * around every tile, so neighbouring tiles never quite touch.
 */
const MIN_GAP = 16 * 1024;

type Decoder = Awaited<ReturnType<typeof getDecoder>>;
const decoders = new WeakMap<OpenLevel, Promise<Decoder>>();

function decoderFor(level: OpenLevel): Promise<Decoder> {
  let d = decoders.get(level);
  if (d === undefined) {
    useNodeCodecs();
    d = (async () => getDecoder(level.compression, {
      tileWidth: level.block.blockWidth, tileHeight: level.block.blockHeight,
      planarConfiguration: level.planar, bitsPerSample: [...level.bitsPerSample],
      // Predictors are undone by undoPredictor, after decoding.
      predictor: 1, samplesPerPixel: level.samples,
      // Read only by the LERC decoder (its extra compression step); geotiff.js's parameter type omits it.
      ...({ LercParameters: await level.image.fileDirectory.loadValue("LercParameters") } as object),
    }))();
    decoders.set(level, d);
  }
  return d;
}

const asNumbers = (v: unknown): number[] => Array.from(v as ArrayLike<number | bigint>, Number);

/**
 * One block's decompressed bytes. DEFLATE goes straight to node:zlib from a view of the fetched range (no copy of the
 * compressed bytes); the other codecs through geotiff.js's decoders, which take an ArrayBuffer of their own.
 */
async function decodeBlock(decoder: Decoder, level: OpenLevel, bytes: Uint8Array): Promise<ArrayBuffer> {
  if (level.compression === 8 || level.compression === 32946) return inflateBlock(bytes);
  const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes.buffer as ArrayBuffer : bytes.slice().buffer;
  return await decoder.decode(own) as ArrayBuffer;
}

function swapBytes(buf: ArrayBuffer, width: number): void {
  const b = new Uint8Array(buf);
  for (let i = 0; i + width <= b.length; i += width) b.subarray(i, i + width).reverse();
}

interface BlockRead { readonly col: number; readonly row: number; readonly plane: number; readonly range: WantedRange | null }

/** Reads `args.window` of `url` (see ReadChunkArgs). Errors name the file: IO_BAD_TIFF for corrupt or truncated data. */
export async function readRasterChunk(url: string, args: ReadChunkArgs): Promise<RasterChunk> {
  const open = await openTiff(url);
  const level = open.levels[args.overview ?? 0];
  if (level === undefined) {
    throw new PlanError("RASTER_NO_OVERVIEW", `${url} has no overview ${args.overview ?? 0}; it has ${open.levels.length - 1}`, { url });
  }
  const { grid } = level;
  const w = args.window;
  if (!windowContains({ x: 0, y: 0, width: grid.width, height: grid.height }, w)) {
    throw new PlanError("RASTER_BAD_WINDOW", `window ${w.width}×${w.height} at (${w.x}, ${w.y}) lies outside ${url} (${grid.width}×${grid.height})`, { url });
  }
  const bands = args.bands ?? open.meta.bands.map((_, i) => i);
  for (const b of bands) {
    if (!(b >= 0 && b < level.samples)) throw new PlanError("RASTER_UNKNOWN_BAND", `${url} has no band ${b}; it has ${level.samples}`, { url });
  }
  try {
    const data = await readBands(url, open, level, w, bands);
    const nodata = open.meta.nodata;
    return makeChunk({
      grid: windowGrid(grid, w), window: w, bands: bands.map((b) => open.meta.bands[b] as string),
      data, valid: data.map((a) => validityOf(a, nodata)), nodata: data.map(() => nodata), time: args.time ?? null,
    });
  } catch (e) {
    throw tiffError(url, e);
  }
}

async function readBands(url: string, open: OpenTiff, level: OpenLevel, w: Window, bands: readonly number[]): Promise<BandArray[]> {
  const { block, grid, planar, samples } = level;
  const ifd = level.image.fileDirectory;
  const offsets = asNumbers(await ifd.loadValue(level.tiled ? "TileOffsets" : "StripOffsets"));
  const counts = asNumbers(await ifd.loadValue(level.tiled ? "TileByteCounts" : "StripByteCounts"));
  const across = Math.ceil(grid.width / block.blockWidth);
  const down = Math.ceil(grid.height / block.blockHeight);
  const planes = planar === 2 ? bands : [0];
  const reads: BlockRead[] = [];
  for (const { col, row } of blocksOfWindow(w, block)) {
    for (const plane of planes) {
      const index = plane * across * down + row * across + col;
      const offset = offsets[index];
      const length = counts[index];
      if (offset === undefined || length === undefined) throw new IoError("IO_BAD_TIFF", `block table of ${url} has no entry ${index}`, { url });
      if (offset + length > open.meta.bytes) {
        throw new IoError("IO_BAD_TIFF", `cannot read ${url}: block ${index} ends at byte ${offset + length} of a ${open.meta.bytes}-byte file (truncated)`, { url });
      }
      reads.push({ col, row, plane, range: length === 0 ? null : { key: String(reads.length), start: offset, length } });
    }
  }
  const wanted = reads.flatMap((r) => (r.range === null ? [] : [r.range]));
  const store = storeFor(url);
  const fetched = new Map<string, Uint8Array>();
  await Promise.all(coalesceRanges(wanted, Math.max(MIN_GAP, coalesceGapFor(url))).map(async (f) => {
    const bytes = await store.get(url, { offset: f.start, length: f.length });
    for (const r of f.ranges) fetched.set(r.key, bytes.subarray(r.start - f.start, r.start - f.start + r.length));
  }));

  const dtype = open.meta.dtype;
  const Ctor = BAND_ARRAYS[dtype];
  const bpp = bytesPerPixel(dtype);
  const out = bands.map(() => allocBand(dtype, w.width * w.height));
  const fill = open.meta.nodata ?? 0;
  const decoder = await decoderFor(level);
  // One buffer for every block's predictor-3 output (copied out into the bands right after).
  const scratch = level.predictor === 3 ? new ArrayBuffer(block.blockWidth * block.blockHeight * samples * bpp) : undefined;
  for (const r of reads) {
    const bx = r.col * block.blockWidth;
    const by = r.row * block.blockHeight;
    const rows = Math.min(block.blockHeight, grid.height - by);
    const x0 = Math.max(w.x, bx);
    const x1 = Math.min(w.x + w.width, bx + block.blockWidth, grid.width);
    const y0 = Math.max(w.y, by);
    const y1 = Math.min(w.y + w.height, by + rows);
    const stride = planar === 2 ? 1 : samples;
    const targets = planar === 2 ? [bands.indexOf(r.plane)] : bands.map((_, i) => i);
    if (r.range === null) {
      for (const t of targets) for (let y = y0; y < y1; y++) (out[t] as BandArray).fill(fill, (y - w.y) * w.width + (x0 - w.x), (y - w.y) * w.width + (x1 - w.x));
      continue;
    }
    const raw = await decodeBlock(decoder, level, fetched.get(r.range.key) as Uint8Array);
    // With pixel interleaving a predictor's neighbour is the same sample of the previous pixel (stride samples back).
    const decoded = undoPredictor(raw, level.predictor, block.blockWidth * stride, stride, bpp, url, scratch);
    if (!open.littleEndian && bpp > 1) swapBytes(decoded, bpp);
    const need = ((y1 - by - 1) * block.blockWidth + (x1 - bx)) * stride;
    const px = new Ctor(decoded, 0, Math.floor(raw.byteLength / bpp));
    if (px.length < need) {
      throw new IoError("IO_BAD_TIFF", `cannot read ${url}: block at (${r.col}, ${r.row}) decodes to ${px.length} values, expected at least ${need}`, { url });
    }
    for (const t of targets) {
      const dst = out[t] as BandArray;
      const sample = planar === 2 ? 0 : (bands[t] as number);
      for (let y = y0; y < y1; y++) {
        const from = (y - by) * block.blockWidth + (x0 - bx);
        const to = (y - w.y) * w.width + (x0 - w.x);
        if (stride === 1) dst.set(px.subarray(from, from + (x1 - x0)) as never, to);
        else for (let x = 0; x < x1 - x0; x++) dst[to + x] = px[(from + x) * stride + sample] as number;
      }
    }
  }
  return out;
}
