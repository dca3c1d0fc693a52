// copyBytes: short strings word by word, long ones with set, at any alignment, touching nothing around them.
import { describe, expect, it } from "vitest";
import { copyBytes, viewOf } from "../src/copy-bytes.js";

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
