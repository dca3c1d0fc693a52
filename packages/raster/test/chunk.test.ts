// Raster chunks: invariants, byte accounting, transfer lists, crops and mosaics, and the binary codec.
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { chunkBytes, chunkTransferables, cropChunk, decodeChunk, encodeChunk, makeChunk, makeGrid, mosaicChunks, windowGrid } from "../src/index.js";
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
