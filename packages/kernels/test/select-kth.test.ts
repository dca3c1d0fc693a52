// Quantiles by selection equal quantiles by sorting: every rank, with duplicates, NaNs, signed zeros and sorted input.
import { describe, expect, it } from "vitest";
import { minOf, nansLast, selectKth, signedZeroAt } from "../src/aggregate/select-kth.js";
import { aggFull } from "@tessera/kernels";
import { mulberry32 } from "@tessera/common";

const rng = mulberry32;

const same = (a: number, b: number): boolean => Object.is(a, b);

describe("selectKth", () => {
  const shapes: Record<string, (r: () => number, n: number) => Float64Array> = {
    uniform: (r, n) => Float64Array.from({ length: n }, () => r() * 1000 - 500),
    "few values": (r, n) => Float64Array.from({ length: n }, () => Math.floor(r() * 4) - 2),
    "signed zeros": (r, n) => Float64Array.from({ length: n }, () => [0, -0, 1, -1][Math.floor(r() * 4)] as number),
    sorted: (_r, n) => Float64Array.from({ length: n }, (_, i) => i),
    reversed: (_r, n) => Float64Array.from({ length: n }, (_, i) => n - i),
    "all equal": (_r, n) => new Float64Array(n).fill(7),
  };
  for (const [name, make] of Object.entries(shapes)) {
    it(`puts at every rank what a sort puts there: ${name}`, () => {
      const r = rng(name.length);
      for (const n of [1, 2, 3, 10, 101, 1000]) {
        const src = make(r, n);
        const sorted = src.slice().sort();
        for (let k = 0; k < n; k += Math.max(1, Math.floor(n / 37))) {
          const v = src.slice();
          let x = selectKth(v, 0, n, k);
          if (x === 0) x = signedZeroAt(v, 0, n, k);
          expect(same(x, sorted[k] as number), `${name} n=${n} k=${k}`).toBe(true);
          for (let i = 0; i < k; i++) expect(v[i]! <= v[k]!).toBe(true);
          for (let i = k + 1; i < n; i++) expect(v[i]! >= v[k]!).toBe(true);
          if (k + 1 < n) {
            let y = minOf(v, k + 1, n);
            if (y === 0) y = signedZeroAt(v, 0, n, k + 1);
            expect(same(y, sorted[k + 1] as number)).toBe(true);
          }
        }
      }
    });
  }

  it("moves NaNs last and keeps the other values", () => {
    const v = Float64Array.of(NaN, 3, NaN, 1, 2, NaN);
    expect(nansLast(v, 0, 6)).toBe(3);
    expect([...v.subarray(0, 3)].sort()).toEqual([1, 2, 3]);
    expect(v.subarray(3).every((x) => Number.isNaN(x))).toBe(true);
  });
});

describe("median and quantile kernels", () => {
  it("equal interpolation between sorted values, per group, with NaNs and nulls", () => {
    const r = rng(42);
    const n = 20_000;
    const groups = 37;
    const g = Int32Array.from({ length: n }, () => Math.floor(r() * groups));
    const x = Float64Array.from({ length: n }, () => (r() < 0.02 ? NaN : Math.round(r() * 200) / 4 - 25));
    const valid = Uint8Array.from({ length: n }, () => (r() < 0.05 ? 0 : 1));
    const batch = {
      fields: [{ name: "g", type: "int32" as const, nullable: false }, { name: "x", type: "float64" as const, nullable: true }],
      columns: [{ kind: "num" as const, type: "int32" as const, length: n, values: g, valid: null }, { kind: "num" as const, type: "float64" as const, length: n, values: x, valid }],
      length: n,
    };
    for (const q of [0, 0.1, 0.5, 0.9, 0.999, 1]) {
      const out = aggFull(batch, { keys: ["g"], aggs: [{ fn: "quantile", inputs: ["x"], name: "m", out: "float64", q }] });
      const keys = out.columns[0]!;
      const m = out.columns[1]!;
      if (keys.kind !== "num" || m.kind !== "num") throw new Error("numeric columns expected");
      for (let k = 0; k < out.length; k++) {
        const vals = Float64Array.from(x.filter((_, i) => g[i] === keys.values[k] && valid[i] === 1)).sort();
        const pos = q * (vals.length - 1);
        const lo = Math.floor(pos), hi = Math.ceil(pos);
        const want = lo === hi ? vals[lo]! : vals[lo]! + (pos - lo) * (vals[hi]! - vals[lo]!);
        expect(same(m.values[k] as number, want), `q=${q} group ${keys.values[k]}`).toBe(true);
      }
    }
  });
});
