// Raster op contracts: the checks accept what lowering builds, bound what handlers allocate, and list the URLs touched.
import { describe, expect, it } from "vitest";
import { MAX_RASTER_PIXELS, MAX_ZONE_VERTICES, OP_CONTRACTS, storageOf, validateArgs } from "@tessera/ops";
import type { OpContract, RasterChunkArgs } from "@tessera/ops";

const grid = { crs: "EPSG:32633", transform: [500000, 10, 0, 4600000, 0, -10], width: 1024, height: 1024 };
const window = { x: 0, y: 0, width: 256, height: 256 };
const read = { type: "read", url: "s3://b/a.tif", window, bands: [0, 2], overview: 0, time: null };

function refuse(op: keyof typeof OP_CONTRACTS, args: unknown, message: RegExp): void {
  let err: unknown;
  try { validateArgs<unknown>(op, OP_CONTRACTS[op] as OpContract<unknown>, args); } catch (e) { err = e; }
  expect(err).toMatchObject({ code: "BAD_OP_ARGS", details: { op } });
  expect((err as Error).message).toMatch(message);
}

describe("raster op contracts", () => {
  it("accept a read with fused band math, a warp and a zonal partial", () => {
    const args = {
      source: read,
      steps: [
        { t: "bandMath", exprs: [{ op: "alias", arg: { op: "col", name: "b1" }, name: "x" }] },
        { t: "warp", srcGrid: grid, dstGrid: { ...grid, width: 256, height: 256 }, dstWindow: window, method: "average", scale: [0.25, 0.25] },
        { t: "zonalPartial", zones: [{ id: 7, rings: [[0.5, 0.5, 10, 0.5, 10, 9]] }], rule: "allTouched", bands: ["x"] },
      ],
    };
    expect(validateArgs("raster-chunk", OP_CONTRACTS["raster-chunk"], args)).toBe(args as unknown as RasterChunkArgs);
  });

  it.each([
    ["a window over the pixel bound", { source: { ...read, window: { x: 0, y: 0, width: MAX_RASTER_PIXELS, height: 2 } }, steps: [] }, /pixel bound/],
    ["a transform of five terms", { source: { type: "blank", grid: { ...grid, transform: [0, 1, 0, 0, 1] }, window, bands: [], time: null }, steps: [] }, /expected 6 items/],
    ["an infinite transform term", { source: { type: "blank", grid: { ...grid, transform: [0, Infinity, 0, 0, 0, 1] }, window, bands: [], time: null }, steps: [] }, /finite/],
    ["an unknown resampling", { source: read, steps: [{ t: "warp", srcGrid: grid, dstGrid: grid, dstWindow: window, method: "cubic", scale: [1, 1] }] }, /\.method: expected one of/],
    ["a warp scale that would stretch a kernel without bound", { source: read, steps: [{ t: "warp", srcGrid: grid, dstGrid: grid, dstWindow: window, method: "bilinear", scale: [1e-9, 1] }] }, /warp scale/],
    ["an unknown step", { source: read, steps: [{ t: "eval", code: "x" }] }, /unknown t "eval"/],
    ["too many zone vertices", { source: read, steps: [{ t: "zonalPartial", zones: [{ id: 1, rings: [new Array(MAX_ZONE_VERTICES + 2).fill(0)] }], rule: "center", bands: [] }] }, /longer than/],
    ["an unknown pixel type", { source: { type: "blank", grid, window, bands: [{ name: "a", dtype: "complex64", nodata: null }], time: null }, steps: [] }, /\.dtype: expected one of/],
  ])("refuse %s, naming the op", (_what, args, message) => refuse("raster-chunk", args, message));

  it("bound a COG by its grid's pixels and check tiles' coordinates and colormaps", () => {
    const options = { tileSize: 256, compression: "deflate", level: 6, predictor: null, overviews: null, overviewResampling: "nearest" };
    refuse("raster-cog", { url: "file:///o.tif", grid: { ...grid, width: 1 << 20, height: 1 << 20 }, bands: [], options }, /pixel bound/);
    refuse("raster-tile", { url: "file:///t", tile: { z: 40, x: 0, y: 0 }, format: "png", colormap: null, band: 0 }, /\.z: 40 is outside/);
    refuse("raster-tile", { url: "file:///t", tile: { z: 1, x: 0, y: 0 }, format: "png", colormap: { stops: [[0, [0, 0]]] }, band: 0 }, /colour/);
  });

  it("bound a pipeline's grid split by its number of windows", () => {
    const fields = [{ name: "x", type: "float64", nullable: false }];
    const split = (shape: { width: number; height: number }) => ({ source: { type: "inputs", count: 1, fields }, steps: [{ t: "gridSplit", grid, shape, x: "x", y: "x", crs: null }], fields });
    expect(() => validateArgs("pipeline", OP_CONTRACTS.pipeline, split({ width: 256, height: 256 }))).not.toThrow();
    expect(() => validateArgs("pipeline", OP_CONTRACTS.pipeline, split({ width: 1, height: 1 }))).toThrow(/1048576 windows is over the 65536 bound/);
  });

  it("list the URLs each task reads and writes", () => {
    expect(storageOf("raster-chunk", { source: read, steps: [] })).toEqual({ reads: ["s3://b/a.tif"], writes: [] });
    expect(storageOf("raster-chunk", { source: { type: "mosaic", grid, window, bands: [], time: null }, steps: [] })).toEqual({ reads: [], writes: [] });
    const options = { tileSize: 256, compression: "deflate", level: 6, predictor: 3, overviews: [2, 4], overviewResampling: "average" };
    expect(storageOf("raster-cog", { url: "s3://b/out.tif", grid, bands: [{ name: "v", dtype: "float32", nodata: null }], options })).toEqual({ reads: [], writes: ["s3://b/out.tif"] });
    expect(storageOf("raster-tile", { url: "s3://b/tiles/", tile: { z: 3, x: 4, y: 2 }, format: "f32", colormap: null, band: 0 })).toEqual({ reads: [], writes: ["s3://b/tiles/3/4/2.f32"] });
    expect(storageOf("raster-tile-commit", { url: "s3://b/tiles", token: "abc", format: "png", minZoom: 0, maxZoom: 3 })).toEqual({ reads: ["s3://b/tiles"], writes: [] });
  });
});
