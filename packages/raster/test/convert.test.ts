// Cells to rows (with lon/lat checked against PROJ through gdaltransform) and rows to cells (sums and counts
// checked against gdal_rasterize -add), and the round trip between them.
import { writeFileSync, readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Batch, NumColumn } from "@tessera/kernels";
import { columnToArray, makeNumColumn } from "@tessera/kernels";
import { chunkToRows, makeChunk, makeGrid, rasterizeFinalize, rasterizeMerge, rasterizePartial, windowGrid } from "../src/index.js";
import { gdal, tempDir } from "./gdal.js";

const tmp = tempDir("convert");
afterAll(() => tmp.cleanup());

const grid = makeGrid("EPSG:32633", [500000, 30, 0, 4600000, 0, -30], 40, 30);
const col = (b: Batch, name: string): unknown[] => columnToArray(b.columns[b.fields.findIndex((f) => f.name === name)] as NumColumn);

function sample() {
  const w = { x: 5, y: 3, width: 20, height: 10 };
  const v = Float32Array.from({ length: 200 }, (_, i) => i * 0.75 - 20);
  const ok = Uint8Array.from({ length: 200 }, (_, i) => (i % 9 === 4 ? 0 : 1));
  return makeChunk({ grid: windowGrid(grid, w), window: w, bands: ["temp"], data: [v], valid: [ok], nodata: [-1], time: Date.UTC(2023, 6, 1) });
}

describe("cells to rows", () => {
  it("emits pixel indices, centres, lon/lat (as PROJ computes them), time and the band with its nulls", () => {
    const c = sample();
    const b = chunkToRows(c);
    expect(b.fields.map((f) => f.name)).toEqual(["col", "row", "x", "y", "lon", "lat", "time", "temp"]);
    expect(b.length).toBe(200);
    expect(col(b, "col").slice(0, 2)).toEqual([5, 6]);
    expect(col(b, "row")[20]).toBe(4);
    expect(col(b, "x")[0]).toBe(500000 + 5.5 * 30);
    expect(col(b, "y")[0]).toBe(4600000 - 3.5 * 30);
    expect(col(b, "temp")[4]).toBeNull();
    expect(col(b, "temp")[5]).toBe(c.data[0]![5]);
    expect(col(b, "time")[0]).toBe(Date.UTC(2023, 6, 1));
    const xs = col(b, "x") as number[]; const ys = col(b, "y") as number[];
    const probe = [0, 57, 199];
    const lines = probe.map((i) => `${xs[i]} ${ys[i]}`).join("\n");
    writeFileSync(tmp.file("pts.txt"), lines);
    const res = gdal("/bin/sh", ["-c", `gdaltransform -s_srs EPSG:32633 -t_srs EPSG:4326 -output_xy < ${tmp.file("pts.txt")}`]).trim().split("\n").map((l) => l.split(/\s+/).map(Number));
    probe.forEach((i, k) => {
      expect(Math.abs((col(b, "lon")[i] as number) - res[k]![0]!)).toBeLessThan(1e-9);
      expect(Math.abs((col(b, "lat")[i] as number) - res[k]![1]!)).toBeLessThan(1e-9);
    });
  });

  it("drops pixels invalid in every band when asked, and can leave out lon/lat", () => {
    const b = chunkToRows(sample(), { dropInvalid: true, lonLat: false });
    expect(b.length).toBe(200 - 22);
    expect(b.fields.map((f) => f.name)).toEqual(["col", "row", "x", "y", "time", "temp"]);
    expect(col(b, "temp").every((v) => v !== null)).toBe(true);
  });
});

describe("rows to cells", () => {
  it("round-trips a chunk through rows (mean of one row per pixel)", () => {
    const c = sample();
    const rows = chunkToRows(c, { lonLat: false });
    const back = rasterizeFinalize(rasterizePartial(rows, { grid, window: c.window, x: "x", y: "y", value: "temp" }), "mean", "temp");
    for (let i = 0; i < 200; i++) {
      expect(back.valid[0]![i]).toBe(c.valid[0]![i]);
      if (c.valid[0]![i]) expect(back.data[0]![i]).toBe(c.data[0]![i]);
    }
  });

  it("sums and counts points per pixel as gdal_rasterize -add does, the same over two partitions merged", () => {
    let s = 99;
    const r = (): number => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
    const n = 3000;
    const xs = Float64Array.from({ length: n }, () => 500000 + r() * 1200);
    const ys = Float64Array.from({ length: n }, () => 4600000 - r() * 900);
    const vs = Float64Array.from({ length: n }, () => Math.round(r() * 1000) / 8);
    xs[0] = 500000 + 30 * 7; ys[0] = 4600000 - 30 * 9;  // on a pixel corner: goes right and down
    const features = Array.from(xs, (x, i) => ({ type: "Feature", properties: { v: vs[i] }, geometry: { type: "Point", coordinates: [x, ys[i]] } }));
    writeFileSync(tmp.file("pts.geojson"), JSON.stringify({ type: "FeatureCollection", features }));
    for (const [what, args] of [["sum", ["-a", "v", "-add"]], ["count", ["-burn", "1", "-add"]]] as const) {
      const out = tmp.file(`${what}.tif`);
      gdal("gdal_rasterize", ["-q", ...args, "-init", "0", "-ot", "Float64", "-te", "500000", "4599100", "501200", "4600000", "-tr", "30", "30", tmp.file("pts.geojson"), out]);
      gdal("gdal_translate", ["-q", "-of", "ENVI", out, `${out}.bin`]);
      const raw = readFileSync(`${out}.bin`);
      const want = new Float64Array(raw.byteLength / 8);
      new Uint8Array(want.buffer).set(raw);
      const batch = (from: number, to: number): Batch => ({
        fields: [{ name: "x", type: "float64", nullable: false }, { name: "y", type: "float64", nullable: false }, { name: "v", type: "float64", nullable: false }],
        columns: [makeNumColumn("float64", xs.slice(from, to)), makeNumColumn("float64", ys.slice(from, to)), makeNumColumn("float64", vs.slice(from, to))],
        length: to - from,
      });
      const args2 = { grid, window: { x: 0, y: 0, width: 40, height: 30 }, x: "x", y: "y", value: "v" };
      const one = rasterizeFinalize(rasterizePartial(batch(0, n), args2), what);
      const two = rasterizeFinalize(rasterizeMerge(rasterizePartial(batch(0, 1234), args2), rasterizePartial(batch(1234, n), args2)), what);
      for (let i = 0; i < want.length; i++) {
        const got = !one.valid[0] || one.valid[0][i] ? one.data[0]![i] : 0;
        expect(got, `${what} at ${i}`).toBe(want[i]);
        expect(two.data[0]![i]).toBe(one.data[0]![i]);
      }
    }
  });
});
