// Codes of a null-free int32 key column: each row's value minus the column's minimum, the range as the count, with
// the minimum and maximum anywhere in the column (first row, last row, negative values) and for one or no rows.
import { describe, expect, it } from "vitest";
import { columnFromValues } from "@tessera/kernels";
import { columnCodes } from "../src/key-codes.js";

describe("small int32 key codes", () => {
  const cases: number[][] = [
    [5, 9, 7, 5, 6],          // minimum first
    [9, 7, 8, 3],             // minimum last
    [0, -4, 12, -4, 3],       // negative minimum in the middle, maximum after it
    [2147483647, 2147483640], // the int32 maximum
    [-2147483648, -2147483600],
    [42],
  ];
  for (const values of cases) {
    it(`codes [${values.join(", ")}] as value minus minimum`, () => {
      const min = Math.min(...values), max = Math.max(...values);
      const { codes, count } = columnCodes(columnFromValues("int32", values));
      expect(Array.from(codes)).toEqual(values.map((v) => v - min));
      expect(count).toBe(max - min + 1);
    });
  }

  it("codes no rows as no codes", () => {
    const { codes, count } = columnCodes(columnFromValues("int32", []));
    expect(codes.length).toBe(0);
    expect(count).toBe(0);
  });
});
