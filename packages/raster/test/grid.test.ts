// The grid model: affine transforms (rotated too), windows, chunking by whole blocks, and source windows with halos.
import { describe, expect, it } from "vitest";
import {
  applyAffine, blocksOfWindow, chunkShape, chunkWindows, gridBounds, invertAffine, makeGrid, mappedBox, pointToAreaAffine,
  sourceWindowFor, windowGrid,
} from "../src/index.js";
import type { Affine, PixelMapper } from "../src/index.js";

const affineMapper = (dst: Affine, src: Affine): PixelMapper => {
  const inv = invertAffine(src);
  return (xs, ys) => {
    for (let i = 0; i < xs.length; i++) {
      const [x, y] = applyAffine(dst, xs[i] as number, ys[i] as number);
      const [c, r] = applyAffine(inv, x, y);
      xs[i] = c; ys[i] = r;
    }
  };
};

describe("affine transforms", () => {
  it("inverts north-up and rotated transforms so pixel → world → pixel returns the same position", () => {
    const rotated: Affine = [1000, 0.8, 0.6, 5000, 0.6, -0.8];
    for (const t of [[-180, 0.25, 0, 90, 0, -0.25] as Affine, rotated]) {
      const inv = invertAffine(t);
      for (const [c, r] of [[0, 0], [10.5, 3.25], [1023, 511]] as const) {
        const [x, y] = applyAffine(t, c, r);
        const [c2, r2] = applyAffine(inv, x, y);
        expect(c2).toBeCloseTo(c, 9);
        expect(r2).toBeCloseTo(r, 9);
      }
    }
    expect(() => invertAffine([0, 1, 2, 0, 2, 4])).toThrow(/cannot be inverted/);
  });

  it("rotated grids have bounds from all four corners", () => {
    const g = makeGrid("EPSG:32633", [0, 1, 1, 0, -1, 1], 10, 10);
    // corners: (0,0), (10,-10), (10,10), (20,0)
    expect(gridBounds(g)).toEqual({ minX: 0, minY: -10, maxX: 20, maxY: 10 });
  });

  it("moves a PixelIsPoint tie point half a pixel up-left, along rotated axes too", () => {
    expect(pointToAreaAffine([10, 2, 0, 20, 0, -2])).toEqual([9, 2, 0, 21, 0, -2]);
    expect(pointToAreaAffine([10, 2, 1, 20, 1, -2])).toEqual([8.5, 2, 1, 20.5, 1, -2]);
  });

  it("a window's grid starts at the window's corner with the parent's resolution", () => {
    const g = makeGrid("EPSG:4326", [-180, 0.5, 0, 90, 0, -0.5], 720, 360);
    expect(windowGrid(g, { x: 10, y: 4, width: 5, height: 6 }).transform).toEqual([-175, 0.5, 0, 88, 0, -0.5]);
    expect(() => makeGrid("EPSG:4326", [0, 1, 0, 0, 0, -1], 1.5, 2)).toThrow(/whole/);
  });
});

describe("chunking", () => {
  it("chunks are whole multiples of the file's tiles, nearest to the wanted size", () => {
    expect(chunkShape({ blockWidth: 256, blockHeight: 256 }, 600)).toEqual({ width: 512, height: 512 });
    expect(chunkShape({ blockWidth: 256, blockHeight: 256 }, 100)).toEqual({ width: 256, height: 256 });
    expect(chunkShape({ blockWidth: 1000, blockHeight: 3 }, 512)).toEqual({ width: 1000, height: 513 });
  });

  it("chunk windows cover every pixel exactly once, and touch whole blocks", () => {
    const g = makeGrid("", [0, 1, 0, 0, 0, -1], 1000, 700);
    const block = { blockWidth: 256, blockHeight: 256 };
    const wins = chunkWindows(g, block, 512);
    const hits = new Uint8Array(1000 * 700);
    for (const w of wins) {
      expect(w.x % 512).toBe(0);
      expect(w.y % 512).toBe(0);
      for (let r = w.y; r < w.y + w.height; r++) for (let c = w.x; c < w.x + w.width; c++) hits[r * 1000 + c]! += 1;
    }
    expect(hits.every((h) => h === 1)).toBe(true);
    expect(blocksOfWindow({ x: 250, y: 0, width: 10, height: 300 }, block)).toEqual([
      { col: 0, row: 0 }, { col: 1, row: 0 }, { col: 0, row: 1 }, { col: 1, row: 1 },
    ]);
  });
});

describe("source windows", () => {
  const src: Affine = [0, 1, 0, 1024, 0, -1];
  const dst: Affine = [0, 4, 0, 1024, 0, -4];

  it("a factor-4 target window maps to four times its extent, grown by the kernel's reach and clipped", () => {
    const map = affineMapper(dst, src);
    expect(mappedBox({ x: 8, y: 8, width: 16, height: 16 }, map)).toEqual({ x0: 32, y0: 32, x1: 96, y1: 96 });
    expect(sourceWindowFor({ x: 8, y: 8, width: 16, height: 16 }, map, { width: 1024, height: 1024 }, 4, 4))
      .toEqual({ x: 27, y: 27, width: 74, height: 74 });
    expect(sourceWindowFor({ x: 0, y: 0, width: 16, height: 16 }, map, { width: 1024, height: 1024 }, 4, 4))
      .toEqual({ x: 0, y: 0, width: 69, height: 69 });
    expect(sourceWindowFor({ x: 300, y: 0, width: 16, height: 16 }, map, { width: 1024, height: 1024 }, 0, 0)).toBeNull();
  });

  it("a rotated target grid reads the box around its rotated footprint", () => {
    const rotated: Affine = [512, Math.SQRT1_2, Math.SQRT1_2, 512, Math.SQRT1_2, -Math.SQRT1_2];
    const box = mappedBox({ x: 0, y: 0, width: 100, height: 100 }, affineMapper(rotated, src));
    expect(box).not.toBeNull();
    expect(box!.x0).toBeCloseTo(512, 6);
    expect(box!.x1).toBeCloseTo(512 + 100 * Math.SQRT2, 6);
    expect(box!.y0).toBeCloseTo(512 - 50 * Math.SQRT2, 6);
    expect(box!.y1).toBeCloseTo(512 + 50 * Math.SQRT2, 6);
  });
});
