// Test helpers: GDAL as the oracle (fixtures made with GDAL at test time, its outputs dumped raw), temp folders.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { BandArray, RasterDType } from "../src/index.js";
import { BAND_ARRAYS } from "../src/index.js";

/** Runs a GDAL command line tool, failing the test with its stderr when it fails. */
export function gdal(tool: string, args: readonly string[]): string {
  return execFileSync(tool, [...args], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

export function tempDir(name: string): { dir: string; file: (n: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), `tessera-raster-${name}-`));
  return { dir, file: (n) => path.join(dir, n), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

const ENVI_TYPE: Record<RasterDType, number> = { uint8: 1, int16: 2, int32: 3, float32: 4, float64: 5, uint16: 12, uint32: 13, int8: 1 };

/**
 * Writes band-sequential raw pixels as an ENVI file GDAL can translate (`bands` arrays of width × height).
 * int8 is written as bytes and converted by the caller with -ot Int8 (ENVI has no signed byte).
 */
export function writeEnvi(file: string, width: number, height: number, bands: readonly BandArray[], dtype: RasterDType): void {
  const hdr = ["ENVI", `samples = ${width}`, `lines = ${height}`, `bands = ${bands.length}`, "header offset = 0",
    "file type = ENVI Standard", `data type = ${ENVI_TYPE[dtype]}`, "interleave = bsq", "byte order = 0"].join("\n");
  writeFileSync(file.replace(/\.bin$/, ".hdr"), `${hdr}\n`);
  const parts = bands.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength));
  writeFileSync(file, Buffer.concat(parts));
}

/** GDAL's own reading of a raster: every band dumped raw by `gdal_translate -of ENVI` (band-sequential). */
export function gdalPixels(file: string, dtype: RasterDType, dumpTo: string): BandArray[] {
  gdal("gdal_translate", ["-q", "-of", "ENVI", "-co", "INTERLEAVE=BSQ", file, dumpTo]);
  const info = JSON.parse(gdal("gdalinfo", ["-json", file])) as { size: [number, number]; bands: unknown[] };
  const [w, h] = info.size;
  const raw = readFileSync(dumpTo);
  const buf = new Uint8Array(raw.byteLength);
  buf.set(raw);
  const Ctor = BAND_ARRAYS[dtype];
  return info.bands.map((_, b) => new Ctor(buf.buffer, b * w * h * Ctor.BYTES_PER_ELEMENT, w * h));
}

export interface GdalInfo {
  readonly size: [number, number];
  readonly geoTransform?: number[];
  readonly bands: { noDataValue?: number | string; description?: string; block: [number, number] }[];
  readonly coordinateSystem?: { wkt: string };
  readonly metadata?: Record<string, Record<string, string>>;
}

export function gdalInfo(file: string): GdalInfo {
  return JSON.parse(gdal("gdalinfo", ["-json", file])) as GdalInfo;
}

/** Byte-for-byte equality of two typed arrays (NaN payloads included). */
export function sameBytes(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), Buffer.from(b.buffer, b.byteOffset, b.byteLength)) === 0;
}

/** Deterministic pseudo-random values for a pixel type, with runs and smooth parts so codecs and predictors get work. */
export function pattern(dtype: RasterDType, n: number, seed: number): BandArray {
  const a = new BAND_ARRAYS[dtype](n);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const smooth = Math.sin(i / 37) * 100 + (i % 97);
    const noise = (s >>> 8) / (1 << 24);
    const v = i % 500 < 40 ? 7 : smooth + noise * 50;
    switch (dtype) {
      case "float32": case "float64": a[i] = v * 1.37 - 40 + noise; break;
      case "uint8": a[i] = Math.abs(Math.round(v)) % 256; break;
      case "int8": a[i] = (Math.round(v) % 256) - 128; break;
      case "int16": a[i] = Math.round(v * 80) - 9000; break;
      case "uint16": a[i] = Math.abs(Math.round(v * 300)) % 65536; break;
      case "int32": a[i] = Math.round(v * 1e5) - 2e7; break;
      case "uint32": a[i] = Math.abs(Math.round(v * 1e6)) % 4294967296; break;
    }
  }
  return a;
}
