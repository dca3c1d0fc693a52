// Band math through the dataframe kernels: NDVI with masks, null rules, typing, and plan-time errors.
import { describe, expect, it } from "vitest";
import { col, lit } from "@tessera/expr";
import { bandMath, bandMathBands, chunkToBatch, makeChunk, makeGrid, windowGrid } from "../src/index.js";

const grid = makeGrid("EPSG:32633", [500000, 10, 0, 4600000, 0, -10], 100, 100);
const w = { x: 10, y: 20, width: 30, height: 20 };
const n = 600;

function chunk() {
  const red = Uint16Array.from({ length: n }, (_, i) => 500 + (i * 37) % 900);
  const nir = Uint16Array.from({ length: n }, (_, i) => 1500 + (i * 53) % 2500);
  const redOk = Uint8Array.from({ length: n }, (_, i) => (i % 11 === 0 ? 0 : 1));
  const nirOk = Uint8Array.from({ length: n }, (_, i) => (i % 13 === 0 ? 0 : 1));
  return makeChunk({ grid: windowGrid(grid, w), window: w, bands: ["red", "nir"], data: [red, nir], valid: [redOk, nirOk], nodata: [0, 0], time: 42 });
}

describe("band math", () => {
  it("computes NDVI per pixel; a pixel invalid in either band is invalid (NaN) in the result", () => {
    const c = chunk();
    const nir = col("nir").cast("float64");
    const red = col("red").cast("float64");
    const out = bandMath(c, { exprs: [nir.sub(red).div(nir.add(red)).alias("ndvi").node] });
    expect(out.bands).toEqual(["ndvi"]);
    expect(out.data[0]).toBeInstanceOf(Float64Array);
    expect(out.time).toBe(42);
    expect(out.grid).toEqual(c.grid);
    const v = out.data[0] as Float64Array;
    const ok = out.valid[0] as Uint8Array;
    for (let i = 0; i < n; i++) {
      const valid = i % 11 !== 0 && i % 13 !== 0;
      expect(ok[i]).toBe(valid ? 1 : 0);
      if (valid) {
        const a = c.data[1]![i]!; const b = c.data[0]![i]!;
        expect(v[i]).toBe((a - b) / (a + b));
      } else expect(Number.isNaN(v[i])).toBe(true);
    }
    expect(Number.isNaN(out.nodata[0])).toBe(true);
  });

  it("fillNull restores invalid pixels; comparisons give uint8 bands; several expressions give several bands", () => {
    const c = chunk();
    const out = bandMath(c, { exprs: [col("red").fillNull(lit(0)).alias("red0").node, col("nir").gt(lit(3000)).alias("bright").node] });
    expect(out.bands).toEqual(["red0", "bright"]);
    expect(out.valid[0]).toBeNull();
    expect(out.data[0]![0]).toBe(0);
    expect(out.data[0]![1]).toBe(c.data[0]![1]);
    expect(out.data[1]).toBeInstanceOf(Uint8Array);
    expect(out.data[1]![5]).toBe(c.data[1]![5]! > 3000 ? 1 : 0);
  });

  it("sees bands as zero-copy kernel columns whose nulls are the masks", () => {
    const c = chunk();
    const b = chunkToBatch(c);
    expect(b.columns[0]!.kind === "num" && b.columns[0]!.values).toBe(c.data[0]);
    expect(b.columns[1]!.valid).toBe(c.valid[1]);
    expect(b.fields.map((f) => f.type)).toEqual(["uint16", "uint16"]);
  });

  it("fails at plan time for an unknown band (listing the bands), an aggregate, or a string result", () => {
    const bands = [{ name: "red", dtype: "uint16" as const }, { name: "nir", dtype: "uint16" as const }];
    expect(() => bandMathBands(bands, [col("swir").add(lit(1)).node])).toThrow(/swir.*red, nir/);
    expect(() => bandMathBands(bands, [col("red").sum().node])).toThrow(/aggregate/);
    expect(() => bandMathBands(bands, [lit("x").node])).toThrow(/utf8/);
    expect(bandMathBands(bands, [col("red").add(col("nir")).node])).toEqual([{ name: "red", dtype: "uint16" }]);
  });
});
