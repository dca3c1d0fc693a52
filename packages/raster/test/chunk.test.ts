// Raster chunks: invariants, byte accounting, transfer lists, crops and mosaics, and the binary codec.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import {
  allocBand, blankChunk, chunkBytes, chunkTransferables, cropChunk, decodeChunk, encodeChunk, isRasterChunk, makeChunk, makeGrid, mosaicChunks, shareChunk,
  windowGrid,
} from "../src/index.js";
import type { RasterChunk } from "../src/index.js";

const parent = makeGrid("EPSG:3857", [1000, 10, 0, 5000, 0, -10], 100, 80);

function sample(): RasterChunk {
  const w = { x: 20, y: 10, width: 7, height: 5 };
  const red = Int16Array.from({ length: 35 }, (_, i) => (i % 6 === 0 ? -32768 : i * 3 - 40));
  const mask = Uint8Array.from(red, (v) => (v === -32768 ? 0 : 1));
  const ndvi = Float32Array.from({ length: 35 }, (_, i) => i / 35 - 0.25);
  return makeChunk({ grid: windowGrid(parent, w), window: w, bands: ["red", "ndvi"], data: [red, ndvi], valid: [mask, null], nodata: [-32768, Number.NaN], time: Date.UTC(2024, 5, 1) });
}

describe("RasterChunk", () => {
  it("rejects arrays and masks of the wrong size", () => {
    const w = { x: 0, y: 0, width: 4, height: 4 };
    expect(() => makeChunk({ grid: windowGrid(parent, w), window: w, bands: ["a"], data: [new Float32Array(15)] })).toThrow(/15 pixels, expected 16/);
    expect(() => makeChunk({ grid: windowGrid(parent, w), window: w, bands: ["a"], data: [new Float32Array(16)], valid: [new Uint8Array(3)] })).toThrow(/mask/);
  });

  it("counts bytes of values and masks, and lists each buffer once for transfer", () => {
    const c = sample();
    expect(chunkBytes(c)).toBe(35 * 2 + 35 + 35 * 4);
    expect(chunkTransferables(c)).toHaveLength(3);
    const shared = new ArrayBuffer(80);
    const w = { x: 0, y: 0, width: 2, height: 5 };
    const two = makeChunk({ grid: windowGrid(parent, w), window: w, bands: ["a", "b"], data: [new Float32Array(shared, 0, 10), new Float32Array(shared, 40, 10)] });
    expect(chunkTransferables(two)).toEqual([shared]);
  });

  it("crops a sub-window and mosaics chunks back into one", () => {
    const c = sample();
    const left = cropChunk(c, { x: 20, y: 10, width: 3, height: 5 });
    const right = cropChunk(c, { x: 23, y: 10, width: 4, height: 5 });
    expect(left.grid.transform).toEqual([1200, 10, 0, 4900, 0, -10]);
    expect(right.grid.transform).toEqual([1230, 10, 0, 4900, 0, -10]);
    const whole = mosaicChunks([left, right], parent, c.window);
    expect([...whole.data[0]!]).toEqual([...c.data[0]!]);
    expect([...whole.valid[0]!]).toEqual([...c.valid[0]!]);
    // Every pixel of the second band ends up valid: no mask, as a read chunk would have.
    expect(whole.valid[1]).toBeNull();
    expect(whole.grid).toEqual(c.grid);
  });
});

describe("chunk helpers", () => {
  it("recognize a chunk by its shape, and not a Batch or plain data", () => {
    expect(isRasterChunk(sample())).toBe(true);
    expect(isRasterChunk(decodeChunk(encodeChunk(sample())))).toBe(true);
    expect(isRasterChunk({ fields: [], columns: [], length: 0 })).toBe(false);
    expect(isRasterChunk({ grid: parent, window: { width: 1 }, bands: ["a"], data: [[1]], valid: [null], nodata: [null] })).toBe(false);
    expect(isRasterChunk(null)).toBe(false);
  });

  it("bands are allocated in shared memory; shareChunk copies only what is not", () => {
    expect(allocBand("float32", 4).buffer).toBeInstanceOf(SharedArrayBuffer);
    const c = sample();
    const s = shareChunk(c);
    expect(s.data.every((a) => a.buffer instanceof SharedArrayBuffer)).toBe(true);
    expect([...s.data[0]!]).toEqual([...c.data[0]!]);
    expect(shareChunk(s).data[0]).toBe(s.data[0]);
  });

  it("a blank chunk holds each band's nodata value and marks every pixel invalid", () => {
    const w = { x: 4, y: 2, width: 3, height: 2 };
    const b = blankChunk(parent, w, [{ name: "i", dtype: "int16", nodata: -1 }, { name: "f", dtype: "float32", nodata: null }, { name: "u", dtype: "uint8", nodata: null }], 7);
    expect([...b.data[0]!]).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(b.data[1]!.every(Number.isNaN)).toBe(true);
    expect([...b.data[2]!]).toEqual([0, 0, 0, 0, 0, 0]);
    expect(b.valid.every((v) => v !== null && v.every((x) => x === 0))).toBe(true);
    expect(b.nodata).toEqual([-1, Number.NaN, null]);
    expect(b.time).toBe(7);
    expect(b.grid).toEqual(windowGrid(parent, w));
  });
});

describe("chunk codec", () => {
  it("round-trips values, masks, nodata (NaN included), grid, window and time", () => {
    const c = sample();
    const d = decodeChunk(encodeChunk(c));
    expect(d.grid).toEqual(c.grid);
    expect(d.window).toEqual(c.window);
    expect(d.bands).toEqual(["red", "ndvi"]);
    expect(d.data[0]).toBeInstanceOf(Int16Array);
    expect([...d.data[0]!]).toEqual([...c.data[0]!]);
    expect([...d.data[1]!]).toEqual([...c.data[1]!]);
    expect([...d.valid[0]!]).toEqual([...c.valid[0]!]);
    expect(d.valid[1]).toBeNull();
    expect(d.nodata[0]).toBe(-32768);
    expect(Number.isNaN(d.nodata[1])).toBe(true);
    expect(d.time).toBe(c.time);
  });

  it("decodes to views of the received buffer, each section 8-byte aligned", () => {
    const bytes = encodeChunk(sample());
    const d = decodeChunk(bytes);
    for (const a of [...d.data, d.valid[0]!]) {
      expect(a.buffer).toBe(bytes.buffer);
      expect(a.byteOffset % 8).toBe(0);
    }
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    const copy = decodeChunk(shifted.subarray(3));
    expect(copy.data[0]!.buffer).not.toBe(shifted.buffer);
    expect([...copy.data[1]!]).toEqual([...d.data[1]!]);
  });

  it("refuses frames that are not raster chunks or are cut short", () => {
    const bytes = encodeChunk(sample());
    expect(() => decodeChunk(new Uint8Array(4))).toThrow(/shorter than the prefix/);
    expect(() => decodeChunk(new Uint8Array(64))).toThrow(/wrong magic/);
    expect(() => decodeChunk(bytes.slice(0, bytes.length - 16))).toThrow(/outside the frame/);
  });

  it("refuses a header that lies about its shape before using any field of it", () => {
    const forge = (edit: (h: Record<string, unknown>) => void): Uint8Array => {
      const bytes = encodeChunk(sample());
      const len = new DataView(bytes.buffer).getUint32(4, true);
      const h = JSON.parse(Buffer.from(bytes.subarray(8, 8 + len)).toString("utf8")) as Record<string, unknown>;
      edit(h);
      const json = Buffer.from(JSON.stringify(h).padEnd(len, " ").slice(0, len));
      const out = bytes.slice();
      out.set(json, 8);
      return out;
    };
    expect(() => decodeChunk(forge((h) => { h["window"] = [0, 0, -3, 5]; }))).toThrow(/bad window/);
    expect(() => decodeChunk(forge((h) => { h["transform"] = [1, 2, 3]; }))).toThrow(/bad transform/);
    expect(() => decodeChunk(forge((h) => { h["sections"] = []; }))).toThrow(/bad sections/);
    expect(() => decodeChunk(forge((h) => { h["nodata"] = ["x", 1]; }))).toThrow(/bad nodata/);
  });

  it("decodes into one shared copy when asked (so the chunk then crosses threads without copies)", () => {
    const bytes = encodeChunk(sample());
    const d = decodeChunk(bytes, { shared: true });
    expect(d.data.every((a) => a.buffer instanceof SharedArrayBuffer && a.buffer !== (bytes.buffer as unknown))).toBe(true);
    expect(Buffer.from(encodeChunk(d)).equals(Buffer.from(bytes))).toBe(true);
  });
});

describe("between threads", () => {
  it("a chunk posted with its transfer list moves to a worker thread without copies and comes back whole", async () => {
    const c = sample();
    const want = encodeChunk(c);
    const worker = new Worker("const { parentPort } = require('node:worker_threads'); parentPort.once('message', (m) => parentPort.postMessage(m, [...new Set([...m.data, ...m.valid.filter(Boolean)].map((a) => a.buffer))]));", { eval: true });
    try {
      const back = new Promise<RasterChunk>((resolve, reject) => { worker.once("message", resolve); worker.once("error", reject); });
      worker.postMessage(c, chunkTransferables(c));
      expect(c.data[0]!.byteLength).toBe(0); // moved, not copied
      const got = await back;
      expect(Buffer.from(encodeChunk(got)).equals(Buffer.from(want))).toBe(true);
    } finally {
      await worker.terminate();
    }
  });
});
