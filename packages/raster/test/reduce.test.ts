// Reductions: exact sums (checked against BigInt arithmetic), space statistics identical for every chunking and
// merge order, and per-pixel time statistics identical for every spatial chunking.
import { describe, expect, it } from "vitest";
import {
  cropChunk, emptyReduceState, expansionAdd, expansionMerge, expansionRound, makeChunk, makeGrid, mosaicChunks, reduceAdd, reduceBand,
  reduceFinalize, reduceSpaceFinalize, reduceSpaceMerge, reduceSpacePartial, reduceSpaceRows, reduceTimeFinalize, reduceTimeMerge, reduceTimePartial,
} from "../src/index.js";
import { columnToArray } from "@tessera/kernels";
import type { RasterChunk, SpacePartial, Window } from "../src/index.js";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 2 ** 32; };
}

describe("exact sums", () => {
  it("round the exact total correctly, whatever the grouping (BigInt oracle)", () => {
    const r = rng(1);
    const xs = Array.from({ length: 5000 }, () => Math.floor(r() * 2 ** 24) * 2 ** Math.floor(r() * 80 - 40) * (r() < 0.5 ? -1 : 1));
    const exact = xs.reduce((acc, x) => acc + BigInt(x * 2 ** 40), 0n);
    const want = Number(exact) / 2 ** 40;
    const whole: number[] = [];
    for (const x of xs) expansionAdd(whole, x);
    expect(expansionRound(whole)).toBe(want);
    const parts = [0, 1, 2, 3, 4, 5, 6].map(() => [] as number[]);
    xs.forEach((x, i) => expansionAdd(parts[(i * 7919) % 7]!, x));
    const merged: number[] = [];
    for (const p of parts.reverse()) expansionMerge(merged, p);
    expect(expansionRound(merged)).toBe(want);
    expect(xs.reduce((a, b) => a + b, 0)).not.toBe(want); // naive left-to-right summation does not get it
  });

  it("keeps infinities and NaN as IEEE sums would", () => {
    const s = emptyReduceState();
    for (const x of [1, Infinity, 2]) reduceAdd(s, x);
    expect(reduceFinalize(s).sum).toBe(Infinity);
    reduceAdd(s, -Infinity);
    expect(Number.isNaN(reduceFinalize(s).sum)).toBe(true);
  });
});

const W = 1000;
const H = 700;
const grid = makeGrid("EPSG:4326", [0, 0.01, 0, 10, 0, -0.01], W, H);

function raster(seed: number, time: number | null): RasterChunk {
  const r = rng(seed);
  const v = Float32Array.from({ length: W * H }, (_, i) => 1e4 + Math.sin(i / 999) * 1e3 + r() * 1e-2);
  const ok = Uint8Array.from({ length: W * H }, () => (r() < 0.07 ? 0 : 1));
  return makeChunk({ grid, window: { x: 0, y: 0, width: W, height: H }, bands: ["t"], data: [v], valid: [ok], nodata: [-1], time });
}

function tiles(c: RasterChunk, size: number): Window[] {
  const out: Window[] = [];
  for (let y = 0; y < H; y += size) for (let x = 0; x < W; x += size) out.push({ x, y, width: Math.min(size, W - x), height: Math.min(size, H - y) });
  return out;
}

describe("band reductions", () => {
  it("float32 and 16-bit bands reduce to exactly the state reduceAdd builds one value at a time (subnormals, huge values, NaN, ±Infinity)", () => {
    const r = rng(5);
    const f = new Float32Array(300_000);
    for (let i = 0; i < f.length; i++) f[i] = (r() - 0.3) * 2 ** Math.floor(r() * 60 - 30);
    f.set([1e-40, -3e-45, 3.4e38, -3.4e38, 1e-30, 7, 0, -0, Number.NaN, Infinity], 0);
    const valid = Uint8Array.from(f, (_, i) => (i % 11 === 3 ? 0 : 1));
    const keep = Uint8Array.from(f, (_, i) => (i % 7 === 5 ? 0 : 1));
    const i16 = Int16Array.from({ length: 2_200_000 }, () => Math.floor(r() * 65536) - 32768);
    const u8 = Uint8Array.from({ length: 1000 }, () => Math.floor(r() * 256));
    for (const [values, v, k] of [[f, valid, keep], [f.subarray(10), null, undefined], [i16, null, undefined], [u8, null, undefined]] as const) {
      const fast = emptyReduceState();
      reduceBand(fast, values, v, k);
      const slow = emptyReduceState();
      for (let i = 0; i < values.length; i++) if ((v === null || v[i] === 1) && (k === undefined || k[i] === 1)) reduceAdd(slow, values[i]!);
      expect(reduceFinalize(fast)).toEqual(reduceFinalize(slow));
      expect(expansionRound(fast.sumSq)).toBe(expansionRound(slow.sumSq));
    }
  });
});

describe("reductions over space", () => {
  it("give bit-identical statistics for chunk sizes 256, 512 and the whole raster, in any merge order", () => {
    const c = raster(7, null);
    const results = [256, 512, 1024].map((size, k) => {
      const parts: SpacePartial[] = tiles(c, size).map((w) => reduceSpacePartial(cropChunk(c, w)));
      if (k === 1) parts.reverse();
      return reduceSpaceFinalize(reduceSpaceMerge(parts)[0]!)[0]!.stats;
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    // Against a plain two-pass computation in doubles.
    const v = c.data[0]!; const ok = c.valid[0]!;
    let n = 0; let s = 0; let min = Infinity;
    for (let i = 0; i < v.length; i++) if (ok[i]) { n++; s += v[i]!; min = Math.min(min, v[i]!); }
    const mean = s / n;
    let m2 = 0;
    for (let i = 0; i < v.length; i++) if (ok[i]) m2 += (v[i]! - mean) ** 2;
    const st = results[0]!;
    expect(st.count).toBe(n);
    expect(st.mean).toBeCloseTo(mean, 6);
    expect(Math.abs(st.var! - m2 / (n - 1)) / (m2 / (n - 1))).toBeLessThan(1e-9);
    expect(st.min).toBe(min);
  });

  it("keep one partial per time, sorted by time", () => {
    const parts = [raster(1, 300), raster(2, 100)].map((c) => reduceSpacePartial(cropChunk(c, { x: 0, y: 0, width: 100, height: 100 })));
    expect(reduceSpaceMerge(parts).map((p) => p.time)).toEqual([100, 300]);
  });
});

describe("spatial statistics as rows", () => {
  it("one row per time and band: time, band, then the statistics asked for, nulls where undefined", () => {
    const grid = makeGrid("EPSG:3857", [0, 1, 0, 0, 0, -1], 2, 2);
    const w = { x: 0, y: 0, width: 2, height: 2 };
    const chunk = (time: number, a: number[], valid: number[]): RasterChunk => makeChunk({
      grid, window: w, bands: ["a", "b"], data: [Float64Array.from(a), Float64Array.from([1, 1, 1, 1])], valid: [Uint8Array.from(valid), null], time,
    });
    const merged = reduceSpaceMerge([reduceSpacePartial(chunk(20, [9, 9, 9, 9], [0, 0, 0, 0])), reduceSpacePartial(chunk(10, [1, 2, 3, 4], [1, 1, 1, 0]))]);
    const rows = reduceSpaceRows(merged, ["count", "mean", "std"], true);
    expect(rows.fields.map((f) => `${f.name}:${f.type}`)).toEqual(["time:timestamp[ms]", "band:utf8", "count:int64", "mean:float64", "std:float64"]);
    expect(rows.columns.map((c) => columnToArray(c))).toEqual([[10, 10, 20, 20], ["a", "b", "a", "b"], [3, 4, 0, 4], [2, 1, null, 1], [1, 0, null, 0]]);
    expect(reduceSpaceRows(merged, ["max"], false).fields.map((f) => f.name)).toEqual(["band", "max"]);
  });
});

describe("reductions over time", () => {
  it("per-pixel statistics are the same for any spatial chunking and match a direct computation", () => {
    const slices = [raster(11, 1), raster(12, 2), raster(13, 3), raster(14, 4)];
    const run = (size: number): RasterChunk => {
      const outs = tiles(slices[0]!, size).map((w) => {
        const states = slices.map((s) => reduceTimePartial(cropChunk(s, w)));
        const merged = states.slice(1).reduce((a, b) => reduceTimeMerge(a, b), states[0]!);
        return reduceTimeFinalize(merged, ["count", "mean", "min", "max", "std"]);
      });
      return mosaicChunks(outs, grid, { x: 0, y: 0, width: W, height: H });
    };
    const a = run(256);
    const b = run(1024);
    expect(a.bands).toEqual(["t_count", "t_mean", "t_min", "t_max", "t_std"]);
    a.data.forEach((d, i) => expect(Buffer.from(d.buffer).equals(Buffer.from(b.data[i]!.buffer))).toBe(true));
    for (const i of [0, 12345, 456789]) {
      const vals = slices.filter((s) => s.valid[0]![i]).map((s) => s.data[0]![i]!);
      expect(a.data[0]![i]).toBe(vals.length);
      if (vals.length > 0) {
        expect(a.data[1]![i]).toBeCloseTo(vals.reduce((x, y) => x + y, 0) / vals.length, 8);
        expect(a.data[2]![i]).toBe(Math.min(...vals));
      }
    }
  });
});
