// Key tables are sized from a sample: close enough to the distinct count that a large table is allocated once.
import { describe, expect, it } from "vitest";
import type { Column } from "@tessera/kernels";
import { expectedDistinct } from "../src/key-table.js";

function ints(n: number, groups: number, seed = 7): Column {
  let a = seed;
  const values = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    a = (Math.imul(a, 1103515245) + 12345) >>> 0;
    values[i] = a % groups;
  }
  return { kind: "num", type: "int32", length: n, values, valid: null };
}

describe("expectedDistinct", () => {
  it("estimates 10^5 values in 8 × 10^5 rows within 15% (then pads a tenth), for several samples", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const est = expectedDistinct(ints(800_000, 100_000, seed)) / 1.1;
      expect(est).toBeGreaterThan(85_000);
      expect(est).toBeLessThan(115_000);
    }
  });

  it("sizes a few repeated values small and all-distinct columns at their length", () => {
    expect(expectedDistinct(ints(1_000_000, 50))).toBeLessThan(100);
    const n = 300_000;
    const distinct: Column = { kind: "num", type: "int32", length: n, values: Int32Array.from({ length: n }, (_, i) => i), valid: null };
    expect(expectedDistinct(distinct)).toBe(n);
  });
});
