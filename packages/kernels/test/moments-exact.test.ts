// Second moments over small integers take plain double sums (exact there); past the bound they stay double-double.
import { describe, expect, it } from "vitest";
import type { AggCall } from "@tessera/expr";
import type { Column, NumColumn } from "../src/column.js";
import { CORR, STD } from "../src/aggregate/moments.js";
import { countValid, ddSum, ddSumProd } from "../src/aggregate/accumulate.js";
import { integerMagnitude, productSumIsExact } from "../src/aggregate/inputs.js";
import type { Groups } from "../src/aggregate/kernel.js";
import { rng } from "./helpers.js";

const ROWS = 5000;
const GROUPS = 37;

function groups(seed: number): Groups {
  const r = rng(seed);
  const ids = Int32Array.from({ length: ROWS }, () => Math.floor(r() * GROUPS));
  return { ids, count: GROUPS, firstRow: new Int32Array(GROUPS) };
}

function int32(seed: number, magnitude: number, nulls: boolean): NumColumn {
  const r = rng(seed);
  const values = Int32Array.from({ length: ROWS }, () => Math.round((r() * 2 - 1) * magnitude));
  const valid = nulls ? Uint8Array.from({ length: ROWS }, () => (r() < 0.1 ? 0 : 1)) : null;
  return { kind: "num", type: "int32", length: ROWS, values, valid };
}

const values = (c: Column): Float64Array => (c as NumColumn).values as Float64Array;

/** The states as double-double sums compute them: n, then (hi, lo) of Σx, Σy, Σxy, Σx², Σy² (corr's layout). */
function ddStates(g: Groups, x: Int32Array, y: Int32Array, valid: Uint8Array | null): Float64Array[] {
  const N = new Float64Array(g.count);
  countValid(g.ids, valid, N);
  const out = [N];
  for (const [u, v] of [[x, null], [y, null], [x, y], [x, x], [y, y]] as const) {
    const H = new Float64Array(g.count);
    const L = new Float64Array(g.count);
    if (v === null) ddSum(g.ids, u, valid, H, L);
    else ddSumProd(g.ids, u, v, valid, H, L);
    out.push(H, L);
  }
  return out;
}

function bothValid(a: NumColumn, b: NumColumn): Uint8Array | null {
  if (a.valid === null || b.valid === null) return a.valid ?? b.valid;
  return a.valid.map((v, i) => v & (b.valid as Uint8Array)[i]!);
}

const CALL = { fn: "corr", inputs: ["x", "y"], name: "c" } as unknown as AggCall;

describe("second moments over integers", () => {
  it("bounds an integer array's magnitude; float arrays have none", () => {
    expect(integerMagnitude(Int32Array.of(3, -7, 5))).toBe(7);
    expect(integerMagnitude(Int32Array.of(0, 9, -2))).toBe(9);
    expect(integerMagnitude(Int32Array.of(-2147483648))).toBe(2147483648);
    expect(integerMagnitude(Uint32Array.of(1, 4294967295))).toBe(4294967295);
    expect(integerMagnitude(Int16Array.of(1))).toBe(65535);
    expect(integerMagnitude(new Int32Array(0))).toBe(0);
    expect(integerMagnitude(Float64Array.of(1, 2))).toBe(Infinity);
    expect(productSumIsExact(2 ** 20, 2 ** 11, 2 ** 20)).toBe(true);
    expect(productSumIsExact(2 ** 20, 2 ** 12, 2 ** 20)).toBe(false);
    expect(productSumIsExact(Infinity, 1, 10)).toBe(false);
    expect(productSumIsExact(0, Infinity, 10)).toBe(false);
  });

  for (const nulls of [false, true]) {
    it(`small integers give the double-double states bit for bit${nulls ? ", with nulls" : ""}`, () => {
      const g = groups(1);
      const x = int32(2, 5, nulls);
      const y = int32(3, 1000, nulls);
      const got = CORR.partial(g, [x, y], CALL).map(values);
      expect(got).toEqual(ddStates(g, x.values as Int32Array, y.values as Int32Array, bothValid(x, y)));
      const std = STD.partial(g, [y], CALL).map(values);
      const ref = ddStates(g, y.values as Int32Array, y.values as Int32Array, y.valid);
      expect(std).toEqual([ref[0], ref[1], ref[2], ref[7], ref[8]]);
    });
  }

  it("integers past the bound keep double-double sums (plain ones would round)", () => {
    const g = groups(4);
    const x = int32(5, 2 ** 30, false);
    const y = int32(6, 2 ** 30, true);
    const ref = ddStates(g, x.values as Int32Array, y.values as Int32Array, bothValid(x, y));
    // The products are near 2^60: their plain sums lose bits, so the lo parts are not all zero.
    expect(ref[6]?.some((v) => v !== 0)).toBe(true);
    expect(CORR.partial(g, [x, y], CALL).map(values)).toEqual(ref);
  });
});
