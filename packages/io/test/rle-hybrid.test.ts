// The RLE / bit-packing hybrid decoder against a reference encoder written from the Parquet spec, for every bit width.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@tessera/common";
import { decodeRleHybrid, decodeRleLookup32, decodeRleLookup64, decodeValidity } from "../src/parquet/pages/rle-hybrid.js";

function uleb(n: number, out: number[]): void {
  let v = n;
  while (v >= 128) { out.push((v % 128) | 128); v = Math.floor(v / 128); }
  out.push(v);
}

/** Encodes `values` as alternating RLE runs and bit-packed groups (the shapes writers produce). */
function encode(values: readonly number[], width: number, rand: () => number, maxGroups = 3): Uint8Array {
  const out: number[] = [];
  let i = 0;
  while (i < values.length) {
    const v = values[i] as number;
    let run = 1;
    while (i + run < values.length && values[i + run] === v) run++;
    if (run >= 8 || rand() < 0.2) {
      uleb(run * 2, out);
      for (let k = 0; k < Math.ceil(width / 8); k++) out.push(Math.floor(v / 2 ** (8 * k)) % 256);
      i += run;
      continue;
    }
    const groups = 1 + Math.floor(rand() * maxGroups);
    uleb(groups * 2 + 1, out);
    const bits: number[] = [];
    for (let j = 0; j < groups * 8; j++) {
      const x = values[i + j] ?? 0;  // padding past the end, as writers do
      for (let b = 0; b < width; b++) bits.push(Math.floor(x / 2 ** b) % 2);
    }
    for (let b = 0; b < bits.length; b += 8) {
      let byte = 0;
      for (let k = 0; k < 8; k++) byte |= (bits[b + k] ?? 0) << k;
      out.push(byte);
    }
    i += groups * 8;
  }
  return Uint8Array.from(out);
}

describe("RLE / bit-packing hybrid", () => {
  it("decodes every bit width from 0 to 32, runs and bit-packed groups mixed, ending mid-group", () => {
    const rand = mulberry32(7);
    for (let width = 0; width <= 32; width++) {
      const n = 1000 + Math.floor(rand() * 37);
      const max = 2 ** width;
      const values = Array.from({ length: n }, () => (rand() < 0.3 ? max - 1 : Math.floor(rand() * max)));
      const bytes = encode(values, width, rand);
      const out = new Int32Array(n);
      decodeRleHybrid(bytes, 0, bytes.length, width, n, out);
      expect(Array.from(out, (x) => x >>> 0), `width ${width}`).toEqual(values);
    }
  });

  it("looks dictionary indices of every bit width up as it decodes them, long bit-packed runs and buffer ends included", () => {
    const rand = mulberry32(13);
    for (let width = 0; width <= 32; width++) {
      const n = 2000 + Math.floor(rand() * 37);
      const size = Math.min(2 ** width, 5000);
      const values = Array.from({ length: n }, () => Math.floor(rand() * size));
      // Runs of up to 64 groups, inside a larger buffer (the page is a view at an offset, the data end is the view's end).
      const encoded = encode(values, width, rand, 64);
      const page = new Uint8Array(encoded.length + 5);
      page.set(encoded, 5);
      const bytes = page.subarray(5);
      const t32 = Int32Array.from({ length: size }, (_, k) => 3 * k - 7);
      const o32 = new Int32Array(n + 4);
      decodeRleLookup32(bytes, 0, bytes.length, width, n, t32, size, o32, 4);
      expect(Array.from(o32.subarray(4)), `width ${width}`).toEqual(values.map((v) => 3 * v - 7));
      const t64 = Float64Array.from({ length: size }, (_, k) => k / 3);
      const o64 = new Float64Array(n + 2);
      decodeRleLookup64(bytes, 0, bytes.length, width, n, t64, size, o64, 2);
      expect(Array.from(o64.subarray(2)), `width ${width}`).toEqual(values.map((v) => v / 3));
      if (size >= 2) {
        // An index past the table (here one entry shorter), wherever it falls, is refused.
        const short = size - 1;
        const at = (i: number): number[] => values.map((v, k) => (k === i ? short : v % short));
        const late = encode(at(n - 3), width, rand, 64);
        expect(() => decodeRleLookup32(late, 0, late.length, width, n, t32, short, new Int32Array(n), 0), `width ${width}`).toThrow(/past the dictionary/);
        const early = encode(at(17), width, rand, 64);
        expect(() => decodeRleLookup64(early, 0, early.length, width, n, t64, short, new Float64Array(n), 0), `width ${width}`).toThrow(/past the dictionary/);
      }
    }
  });

  it("reads validity from definition levels and counts the nulls", () => {
    const rand = mulberry32(11);
    const levels = Array.from({ length: 777 }, (_, i) => (i % 50 < 30 ? 1 : rand() < 0.5 ? 1 : 0));
    const bytes = encode(levels, 1, rand);
    const valid = new Uint8Array(800).fill(9);
    const nulls = decodeValidity(bytes, 0, bytes.length, 777, valid, 10, new Int32Array(800));
    expect(Array.from(valid.subarray(10, 787))).toEqual(levels);
    expect(nulls).toBe(levels.filter((l) => l === 0).length);
    expect(valid[9]).toBe(9);
    expect(valid[787]).toBe(9);
  });

  it("rejects data that ends before the values it should hold", () => {
    const bytes = encode([5, 5, 5, 5, 5, 5, 5, 5], 3, () => 0.9);  // one RLE run of 8
    expect(() => decodeRleHybrid(bytes, 0, bytes.length, 3, 20, new Int32Array(20))).toThrow(/ends after 8 of 20/);
  });
});
