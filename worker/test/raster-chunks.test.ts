// Raster chunks as task results, like Batches: byte-accounted exactly, spilled and read back exactly, moved between
// the main thread and pool threads without copies either way, and fetched by a peer over WebSockets.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PeerPool, silentLogger } from "@tessera/protocol";
import type { RasterChunk } from "@tessera/raster";
import { chunkBytes, encodeCog, makeChunk, makeGrid, windowGrid } from "@tessera/raster";
import { MemoryStore, PeerServer, SpillingStore, ThreadPool, decodeSpill, encodeSpill, sizeOf } from "@tessera/worker";
import { TEST_OPS_MODULE } from "@tessera/worker/testing";

const parent = makeGrid("EPSG:32633", [500000, 10, 0, 4600000, 0, -10], 64, 48);

function chunk(seed: number): RasterChunk {
  const w = { x: 16, y: 8, width: 32, height: 24 };
  const n = w.width * w.height;
  const red = Int16Array.from({ length: n }, (_, i) => (i % 11 === 0 ? -32768 : (i * seed) % 3000));
  const mask = Uint8Array.from(red, (v) => (v === -32768 ? 0 : 1));
  const ndvi = Float32Array.from({ length: n }, (_, i) => (i % 13 === 0 ? Number.NaN : Math.sin(i * seed) / 2));
  const ndviMask = Uint8Array.from(ndvi, (v) => (Number.isNaN(v) ? 0 : 1));
  return makeChunk({
    grid: windowGrid(parent, w), window: w, bands: ["red", "ndvi"], data: [red, ndvi], valid: [mask, ndviMask],
    nodata: [-32768, Number.NaN], time: Date.UTC(2024, 6, seed),
  });
}

function expectSameChunk(got: RasterChunk, want: RasterChunk): void {
  expect(got.grid).toEqual(want.grid);
  expect(got.window).toEqual(want.window);
  expect(got.bands).toEqual(want.bands);
  expect(got.time).toBe(want.time);
  expect(got.nodata[0]).toBe(want.nodata[0]);
  expect(got.nodata[1]).toBeNaN();
  got.data.forEach((a, b) => {
    expect(a.constructor).toBe(want.data[b]!.constructor);
    expect(Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(want.data[b]!.buffer, want.data[b]!.byteOffset, want.data[b]!.byteLength))).toBe(true);
    expect([...got.valid[b]!]).toEqual([...want.valid[b]!]);
  });
}

const dirs: string[] = [];
afterAll(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }); });
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), "tessera-raster-worker-"));
  dirs.push(d);
  return d;
}

describe("raster chunks in the worker's data store", () => {
  it("are accounted exactly by their values and masks, as a Batch is by its buffers", () => {
    const c = chunk(3);
    expect(sizeOf(c)).toBe(chunkBytes(c));
    expect(sizeOf(c)).toBe(32 * 24 * (2 + 1 + 4 + 1));
    const store = new MemoryStore();
    expect(store.put("k", c)).toBe(chunkBytes(c));
  });

  it("spill to disk past the target and read back exactly, into shared memory", async () => {
    const a = chunk(1);
    const b = chunk(2);
    const store = new SpillingStore({ memoryLimit: chunkBytes(a) * 1.5, target: 1, spillDir: tempDir(), workerId: "w" });
    store.put("a", a);
    store.put("b", b);
    expect(store.isSpilled("a")).toBe(true);
    expect(store.spillWrites).toBe(1);
    expect(store.nbytes("a")).toBe(chunkBytes(a));
    const [back] = (await store.load(["a"])) as [RasterChunk];
    expectSameChunk(back, a);
    expect(back.data.every((x) => x.buffer instanceof SharedArrayBuffer)).toBe(true);
    expectSameChunk(decodeSpill(encodeSpill(b)) as RasterChunk, b);
    await store.close();
  });
});

describe("raster chunks between the main thread and pool threads", () => {
  const pool = new ThreadPool({ threads: 1, opModules: [TEST_OPS_MODULE] });
  afterAll(() => pool.close());

  it("come back from a thread without a copy: the thread and the main thread see one memory", async () => {
    const c = (await pool.run({ key: "m", op: "make-chunk", args: { n: 1000 }, inputs: [] })) as RasterChunk;
    expect(c.data[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(c.data[0]![0]).toBe(0);
    // The thread writes into the chunk it returned (it kept a reference): the main thread's copy changes with it.
    expect(await pool.run({ key: "p", op: "poke-chunk", args: { value: 42, held: true }, inputs: [] })).toBe(0);
    expect(c.data[0]![0]).toBe(42);
  });

  it("go to a thread without a copy: a write in the thread shows in the main thread's chunk", async () => {
    const c = (await pool.run({ key: "m2", op: "make-chunk", args: { n: 100 }, inputs: [] })) as RasterChunk;
    expect(await pool.run({ key: "p2", op: "poke-chunk", args: { value: -5, held: false }, inputs: [c] })).toBe(0);
    expect(c.data[0]![0]).toBe(-5);
  });

  it("are read and warped by the production op in a thread, and returned in shared memory", async () => {
    const dir = tempDir();
    const grid = makeGrid("EPSG:32633", [500000, 10, 0, 4600000, 0, -10], 64, 48);
    const values = Float32Array.from({ length: 64 * 48 }, (_, i) => (i % 64) + Math.floor(i / 64) * 100);
    const file = join(dir, "src.tif");
    writeFileSync(file, encodeCog(makeChunk({ grid, window: { x: 0, y: 0, width: 64, height: 48 }, bands: ["v"], data: [values] }), { tileSize: 16 }));
    const dst = makeGrid("EPSG:32633", [500000, 20, 0, 4600000, 0, -20], 32, 24);
    const out = (await pool.run({
      key: "r", op: "raster-chunk", inputs: [], args: {
        source: { type: "read", url: file, window: { x: 0, y: 0, width: 64, height: 48 }, bands: [0], overview: 0, time: null },
        steps: [
          { t: "bandMath", exprs: [{ op: "alias", arg: { op: "binary", fn: "mul", left: { op: "col", name: "v" }, right: { op: "lit", value: 2, dtype: "float64" } }, name: "v2" }] },
          { t: "warp", srcGrid: grid, dstGrid: dst, dstWindow: { x: 0, y: 0, width: 32, height: 24 }, method: "nearest", scale: [0.5, 0.5] },
        ],
      },
    })) as RasterChunk;
    expect(out.bands).toEqual(["v2"]);
    expect(out.data[0]!.buffer).toBeInstanceOf(SharedArrayBuffer);
    // Nearest on a 2× coarser grid takes the source pixel under each target centre: (2i + 1, 2j + 1).
    for (const [i, j] of [[0, 0], [5, 3], [31, 23]] as const) expect(out.data[0]![j * 32 + i]).toBe(2 * ((2 * i + 1) + (2 * j + 1) * 100));
  });

  it("a malformed raster task fails with BAD_OP_ARGS naming the op, before it reads anything", async () => {
    await expect(pool.run({
      key: "bad", op: "raster-chunk", inputs: [],
      args: { source: { type: "read", url: "/nope.tif", window: { x: 0, y: 0, width: 1 << 20, height: 1 << 20 }, bands: [0], overview: 0, time: null }, steps: [] },
    })).rejects.toMatchObject({ code: "BAD_OP_ARGS", message: expect.stringMatching(/op raster-chunk: bad args: .*pixel bound/) });
  });
});

describe("raster chunks fetched by a peer over WebSockets", () => {
  it("arrive whole from the holding worker's peer listener, in one data frame with other values", async () => {
    const store = new MemoryStore();
    const c = chunk(5);
    store.put("chunk", c);
    store.put("n", 7);
    const server = await PeerServer.start({
      serve: async (keys) => ({ data: new Map(keys.filter((k) => store.has(k)).map((k) => [k, store.read([k])[0]])), missing: keys.filter((k) => !store.has(k)) }),
    });
    const peers = new PeerPool({ token: null, log: silentLogger, label: "test" });
    try {
      const got = await peers.gather(server.address(), ["chunk", "n", "gone"]);
      expect(got.missing).toEqual(["gone"]);
      expect(got.data.get("n")).toBe(7);
      const back = got.data.get("chunk") as RasterChunk;
      expectSameChunk(back, c);
      expect(back.data.every((x) => x.buffer instanceof SharedArrayBuffer)).toBe(true);
      // One shared buffer holds the frame: the pixels plus a header of a few hundred bytes, all accounted.
      expect(sizeOf(back)).toBeGreaterThanOrEqual(chunkBytes(back));
      expect(sizeOf(back)).toBeLessThan(chunkBytes(back) + 4096);
    } finally {
      peers.close();
      await server.close();
    }
  });
});
