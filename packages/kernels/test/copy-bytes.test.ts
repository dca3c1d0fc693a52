// copyBytes: short strings word by word, long ones with set, at any alignment, touching nothing around them.
import { describe, expect, it } from "vitest";
import { appendBytes, copyBytes, viewOf } from "../src/copy-bytes.js";

describe("copyBytes", () => {
  it("copies every length from 0 to 300 between unaligned offsets of views, and only those bytes", () => {
    const base = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37 + 11) & 255);
    const src = base.subarray(3);
    for (let n = 0; n <= 300; n++) {
      for (const [s, d] of [[0, 0], [1, 5], [7, 2]] as const) {
        const dstBase = new Uint8Array(700).fill(0xee);
        const dst = dstBase.subarray(1);
        copyBytes(src, viewOf(src), s, dst, viewOf(dst), d, n);
        expect(Array.from(dst.subarray(d, d + n)), `n ${n}`).toEqual(Array.from(src.subarray(s, s + n)));
        expect(dstBase[d], `n ${n}: the byte before`).toBe(0xee);
        expect(dst[d + n], `n ${n}: the byte after`).toBe(0xee);
      }
    }
  });
});

describe("appendBytes", () => {
  it("appends every length from 0 to 40 at unaligned offsets and buffer ends, writing nothing before d or past dst", () => {
    const src = Uint8Array.from({ length: 200 }, (_, i) => (i * 53 + 7) & 255);
    for (let n = 0; n <= 40; n++) {
      // s near src's end (exact copy then), d near dst's end, and both well inside.
      for (const [s, d] of [[0, 0], [3, 5], [200 - n, 9], [11, 60 - n], [200 - n, 60 - n]] as const) {
        const dstBase = new Uint8Array(62).fill(0xee);
        const dst = dstBase.subarray(1, 61);
        appendBytes(src, viewOf(src), s, dst, viewOf(dst), d, n);
        expect(Array.from(dst.subarray(d, d + n)), `n ${n} s ${s} d ${d}`).toEqual(Array.from(src.subarray(s, s + n)));
        expect(Array.from(dstBase.subarray(0, d + 1)).every((x) => x === 0xee), `n ${n}: nothing before d`).toBe(true);
        expect(dstBase[61], `n ${n}: nothing past dst`).toBe(0xee);
        // Past d + 16 (and past d + n for longer strings) nothing is written.
        const after = Math.max(d + n, d + 16);
        expect(Array.from(dst.subarray(after)).every((x) => x === 0xee), `n ${n} s ${s} d ${d}: nothing past d + max(n, 16)`).toBe(true);
      }
    }
  });

  it("strings appended one after another read back exactly", () => {
    const words = Array.from({ length: 500 }, (_, i) => "x".repeat(i % 23) + String(i));
    const enc = new TextEncoder();
    const src = enc.encode(words.join(""));
    const dst = new Uint8Array(src.length);
    const offsets = [0];
    let s = 0;
    for (const w of words) {
      const n = enc.encode(w).length;
      appendBytes(src, viewOf(src), s, dst, viewOf(dst), offsets[offsets.length - 1]!, n);
      s += n;
      offsets.push(offsets[offsets.length - 1]! + n);
    }
    const dec = new TextDecoder();
    expect(words.map((_, i) => dec.decode(dst.subarray(offsets[i], offsets[i + 1])))).toEqual(words);
  });
});
