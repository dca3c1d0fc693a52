// RasterChunk to one binary buffer and back: a JSON header, then each band's pixels and mask, 8-byte aligned, so a
// decoded chunk's arrays are views into the received buffer (no copies).
import { ExecutionError } from "@tessera/common";
import type { Affine } from "../grid/affine.js";
import type { BandArray, RasterDType } from "./band-array.js";
import { BAND_ARRAYS, bytesPerPixel, dtypeOfBand, isRasterDType } from "./band-array.js";
import type { RasterChunk } from "./raster-chunk.js";
import { makeChunk } from "./raster-chunk.js";

/** "TRC1": Tessera raster chunk, format version 1. */
const MAGIC = 0x31435254;
const PREFIX = 8;
const ALIGN = 8;

/** What the header says about one band's sections (byte offsets from the start of the buffer). */
interface BandSection { readonly dtype: RasterDType; readonly data: number; readonly valid: number }

interface ChunkHeader {
  readonly crs: string;
  readonly transform: Affine;
  readonly window: [number, number, number, number];
  readonly bands: readonly string[];
  /** Nodata values; NaN and infinities travel as strings because JSON has no spelling for them. */
  readonly nodata: readonly (number | string | null)[];
  readonly time: number | null;
  readonly sections: readonly BandSection[];
}

const align = (n: number): number => Math.ceil(n / ALIGN) * ALIGN;
const numToJson = (v: number | null): number | string | null => (v === null || Number.isFinite(v) ? v : String(v));
const numFromJson = (v: number | string | null): number | null => (typeof v === "string" ? Number(v) : v);

/**
 * Encodes a chunk as: u32 magic "TRC1", u32 header length H (little-endian), H bytes of UTF-8 JSON header
 * (crs, transform, window, bands, nodata, time, and per band its dtype and section offsets), zero padding to a
 * multiple of 8, then per band its pixels (little-endian) and, when it has one, its mask (one byte per pixel), each
 * section starting at a multiple of 8. A mask offset of -1 means every pixel is valid.
 */
export function encodeChunk(c: RasterChunk): Uint8Array {
  const pixels = c.window.width * c.window.height;
  // Offsets depend on the header's length, which depends on the offsets' digits: lay out sections relative to the
  // data start first, then shift by the final header size (digits only grow, so iterate until stable).
  const relative: { dtype: RasterDType; data: number; valid: number }[] = [];
  let at = 0;
  c.data.forEach((a, b) => {
    const dtype = dtypeOfBand(a);
    const data = at;
    at = align(at + pixels * bytesPerPixel(dtype));
    let valid = -1;
    if (c.valid[b] !== null && c.valid[b] !== undefined) { valid = at; at = align(at + pixels); }
    relative.push({ dtype, data, valid });
  });
  const body = at;
  let start = 0;
  let json = "";
  for (;;) {
    const sections = relative.map((s) => ({ dtype: s.dtype, data: s.data + start, valid: s.valid < 0 ? -1 : s.valid + start }));
    const header: ChunkHeader = {
      crs: c.grid.crs, transform: c.grid.transform, window: [c.window.x, c.window.y, c.window.width, c.window.height],
      bands: c.bands, nodata: c.nodata.map(numToJson), time: c.time, sections,
    };
    json = JSON.stringify(header);
    const next = align(PREFIX + Buffer.byteLength(json));
    if (next === start) break;
    start = next;
  }
  const out = new Uint8Array(start + body);
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  const headerBytes = Buffer.from(json, "utf8");
  view.setUint32(4, headerBytes.length, true);
  out.set(headerBytes, PREFIX);
  c.data.forEach((a, b) => {
    const s = relative[b] as BandSection;
    out.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), start + s.data);
    const v = c.valid[b];
    if (v !== null && v !== undefined) out.set(v, start + s.valid);
  });
  return out;
}

const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isNum = (v: unknown): boolean => v === null || typeof v === "number" || v === "NaN" || v === "Infinity" || v === "-Infinity";

/** The header's shape, checked before any field is used (frames come from peers and spill files). */
function checkHeader(h: ChunkHeader): void {
  const o = h as unknown as Record<string, unknown>;
  if (typeof o !== "object" || o === null) throw bad("header is not an object");
  const win = o["window"];
  if (!Array.isArray(win) || win.length !== 4 || !win.every(isInt) || (win[2] as number) < 0 || (win[3] as number) < 0) throw bad("bad window");
  const t = o["transform"];
  if (!Array.isArray(t) || t.length !== 6 || !t.every((v) => typeof v === "number" && Number.isFinite(v))) throw bad("bad transform");
  if (typeof o["crs"] !== "string") throw bad("bad crs");
  const bands = o["bands"];
  const sections = o["sections"];
  const nodata = o["nodata"];
  if (!Array.isArray(bands) || !bands.every((b) => typeof b === "string")) throw bad("bad band names");
  if (!Array.isArray(sections) || sections.length !== bands.length) throw bad("bad sections");
  for (const s of sections as unknown[]) {
    const r = s as Record<string, unknown> | null;
    if (typeof r !== "object" || r === null || !isInt(r["data"]) || !isInt(r["valid"])) throw bad("bad section");
  }
  if (!Array.isArray(nodata) || nodata.length !== bands.length || !nodata.every(isNum)) throw bad("bad nodata values");
  if (o["time"] !== null && !(typeof o["time"] === "number" && Number.isFinite(o["time"]))) throw bad("bad time");
}

function bad(msg: string): ExecutionError {
  return new ExecutionError("RASTER_BAD_CHUNK_FRAME", `cannot decode raster chunk: ${msg}`);
}

/** Options of decodeChunk. */
export interface DecodeChunkOptions {
  /** Copy the frame once into a SharedArrayBuffer and view that (so the chunk then crosses threads uncopied). */
  readonly shared?: boolean;
}

function sharedCopy(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
  out.set(bytes);
  return out;
}

/**
 * Decodes a buffer written by encodeChunk. The returned arrays view `bytes` (which must stay unmodified) when its
 * offset in its ArrayBuffer is a multiple of 8; otherwise the buffer is copied once to align it. With `shared`, the
 * arrays view one shared copy of the frame instead.
 */
export function decodeChunk(bytes: Uint8Array, opts: DecodeChunkOptions = {}): RasterChunk {
  if (bytes.byteLength < PREFIX) throw bad(`${bytes.byteLength} bytes is shorter than the prefix`);
  const buf = opts.shared === true ? sharedCopy(bytes) : bytes.byteOffset % ALIGN === 0 ? bytes : new Uint8Array(bytes);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0, true) !== MAGIC) throw bad("wrong magic (not a raster chunk frame)");
  const len = view.getUint32(4, true);
  if (PREFIX + len > buf.byteLength) throw bad("header runs past the end");
  let h: ChunkHeader;
  try {
    h = JSON.parse(Buffer.from(buf.buffer, buf.byteOffset + PREFIX, len).toString("utf8")) as ChunkHeader;
  } catch (e) {
    throw bad(`header is not JSON (${(e as Error).message})`);
  }
  checkHeader(h);
  const [x, y, width, height] = h.window;
  const pixels = width * height;
  const slice = (offset: number, dtype: RasterDType): BandArray => {
    const n = pixels * bytesPerPixel(dtype);
    if (offset < 0 || offset % ALIGN !== 0 || offset + n > buf.byteLength) throw bad(`section at ${offset} (${n} bytes) lies outside the frame`);
    return new BAND_ARRAYS[dtype](buf.buffer, buf.byteOffset + offset, pixels);
  };
  const data: BandArray[] = [];
  const valid: (Uint8Array | null)[] = [];
  for (const s of h.sections) {
    if (!isRasterDType(s.dtype)) throw bad(`unknown pixel type ${String(s.dtype)}`);
    data.push(slice(s.data, s.dtype));
    valid.push(s.valid < 0 ? null : (slice(s.valid, "uint8") as Uint8Array));
  }
  return makeChunk({
    grid: { crs: h.crs, transform: h.transform, width, height }, window: { x, y, width, height },
    bands: h.bands, data, valid, nodata: h.nodata.map(numFromJson), time: h.time,
  });
}
