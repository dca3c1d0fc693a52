// The per-row accumulation loops take several rows per iteration when there are no nulls: they must give exactly
// (bit for bit) what adding one row at a time in row order gives, for every length (the rows past the last whole
// step included) and when neighbouring rows fall in one group.
import { describe, expect, it } from "vitest";
import { mulberry32 } from "@tessera/common";
import { countValid, ddSum, plainSum, sumAndCount } from "../src/aggregate/accumulate.js";

function reference(ids: Int32Array, x: Float64Array, groups: number): { N: Float64Array; P: Float64Array; H: Float64Array; L: Float64Array } {
  const N = new Float64Array(groups), P = new Float64Array(groups), H = new Float64Array(groups), L = new Float64Array(groups);
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i] as number, b = x[i] as number;
    N[g] = (N[g] as number) + 1;
    P[g] = (P[g] as number) + b;
    const a = H[g] as number, s = a + b, bb = s - a;
    H[g] = s;
    L[g] = (L[g] as number) + ((a - (s - bb)) + (b - bb));
  }
  return { N, P, H, L };
}

describe("accumulation loops without nulls", () => {
  const rand = mulberry32(5);
  for (const groups of [1, 3, 50]) {
    it(`match one row at a time for lengths 0 to 41 and a long column, ${groups} group(s)`, () => {
      for (const n of [...Array.from({ length: 42 }, (_, k) => k), 10_001]) {
        // Runs of one group (neighbours in one group) and values whose sums round, so order shows in the bits.
        const ids = Int32Array.from({ length: n }, (_, i) => (i % 7 < 3 ? 0 : Math.floor(rand() * groups)));
        const x = Float64Array.from({ length: n }, () => (rand() - 0.3) * 10 ** Math.floor(rand() * 12));
        const want = reference(ids, x, groups);
        const N = new Float64Array(groups), P = new Float64Array(groups), H = new Float64Array(groups), L = new Float64Array(groups);
        countValid(ids, null, N);
        plainSum(ids, x, null, P);
        ddSum(ids, x, null, H, L);
        expect(Array.from(N), `n ${n}`).toEqual(Array.from(want.N));
        expect(Array.from(P), `n ${n}`).toEqual(Array.from(want.P));
        expect(Array.from(H), `n ${n}`).toEqual(Array.from(want.H));
        expect(Array.from(L), `n ${n}`).toEqual(Array.from(want.L));
        // Sums with their counts in one pass (fresh ids: counted while summing), then again with the counts known.
        for (const fresh of [true, false]) {
          for (const exact of [true, false]) {
            const ids2 = fresh ? ids.slice() : ids;
            const H2 = new Float64Array(groups), L2 = new Float64Array(groups), N2 = new Float64Array(groups);
            sumAndCount(ids2, x, exact, H2, L2, N2);
            expect(Array.from(N2), `n ${n} exact ${exact}`).toEqual(Array.from(want.N));
            expect(Array.from(H2), `n ${n} exact ${exact}`).toEqual(Array.from(exact ? want.P : want.H));
            expect(Array.from(L2), `n ${n} exact ${exact}`).toEqual(exact ? Array.from(new Float64Array(groups)) : Array.from(want.L));
          }
        }
      }
    });
  }
});
