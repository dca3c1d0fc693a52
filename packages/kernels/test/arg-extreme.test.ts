// The row each group's min or max comes from: integer columns of every width, the ends of int32, ties and nulls.
import { describe, expect, it } from "vitest";
import type { NumColumn } from "../src/column.js";
import { argExtreme } from "../src/aggregate/pick.js";
import type { Groups } from "../src/aggregate/kernel.js";
import { rng } from "./helpers.js";

/** The earliest row holding the group's min (sign -1) or max (sign 1) valid value, or -1. */
function naive(ids: Int32Array, count: number, v: ArrayLike<number>, valid: Uint8Array | null, sign: 1 | -1): number[] {
  const best = Array<number>(count).fill(-1);
  for (let i = 0; i < ids.length; i++) {
    if (valid !== null && valid[i] === 0) continue;
    const g = ids[i] as number;
    const k = best[g] as number;
    if (k === -1 || sign * ((v[i] as number) - (v[k] as number)) > 0) best[g] = i;
  }
  return best;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

describe("argExtreme over integers", () => {
  const r = rng(21);
  const n = 6000;
  const count = 40;
  const ids = Int32Array.from({ length: n }, () => Math.floor(r() * (count - 2)));
  // Groups count-2 and count-1: one holds only nulls, the other only int32's ends.
  ids[0] = count - 2;
  ids[1] = count - 1;
  ids[2] = count - 1;
  const g: Groups = { ids, count, firstRow: new Int32Array(count) };
  const valid = Uint8Array.from({ length: n }, (_, i) => (i === 0 || r() < 0.1 ? 0 : 1));
  for (let i = 0; i < n; i++) if (ids[i] === count - 2) valid[i] = 0;

  const cases: [string, NumColumn["values"], NumColumn["type"]][] = [
    ["int32 with int32's ends and ties", Int32Array.from({ length: n }, (_, i) => (i < 3 ? (i === 1 ? INT32_MIN : INT32_MAX) : Math.floor(r() * 20) - 10 + (r() < 0.01 ? INT32_MIN : 0))), "int32"],
    ["int8", Int8Array.from({ length: n }, () => Math.floor(r() * 256) - 128), "int8"],
    ["uint16", Uint16Array.from({ length: n }, () => Math.floor(r() * 65536)), "uint16"],
    ["uint32 past int32", Uint32Array.from({ length: n }, () => Math.floor(r() * 2 ** 32)), "uint32"],
  ];
  for (const [name, values, type] of cases) {
    for (const sign of [1, -1] as const) {
      it(`${name}, ${sign > 0 ? "max" : "min"}: the earliest row holding it, -1 for a group of nulls`, () => {
        for (const nulls of [valid, null]) {
          const col = { kind: "num", type, length: n, values, valid: nulls } as NumColumn;
          const got = Array.from(argExtreme(g, col, sign));
          expect(got).toEqual(naive(ids, count, values as ArrayLike<number>, nulls, sign));
          if (nulls !== null) expect(got[count - 2]).toBe(-1);
        }
      });
    }
  }

  it("a group whose only values are int32's far end still gets its first valid row", () => {
    const col: NumColumn = { kind: "num", type: "int32", length: 4, values: Int32Array.of(INT32_MIN, INT32_MIN, 5, INT32_MAX), valid: Uint8Array.of(0, 1, 1, 1) };
    const two: Groups = { ids: Int32Array.of(0, 0, 1, 1), count: 2, firstRow: Int32Array.of(0, 2) };
    expect(Array.from(argExtreme(two, col, 1))).toEqual([1, 3]);
    const ends: NumColumn = { ...col, values: Int32Array.of(1, INT32_MAX, INT32_MAX, INT32_MAX) };
    expect(Array.from(argExtreme(two, ends, -1))).toEqual([1, 2]);
  });
});
