// Gathering strings: runs of consecutive rows copied as one stretch, single rows, null rows (-1), empty and long values,
// and a column whose offsets do not start at 0, all equal to gathering value by value.
import { describe, expect, it } from "vitest";
import { columnToArray, takeColumn, type StrColumn } from "@tessera/kernels";
import { strCol } from "./relational-fixtures.js";

describe("takeColumn over strings", () => {
  const values = Array.from({ length: 3000 }, (_, i) => (i % 97 === 5 ? "" : i % 41 === 3 ? `long-${"x".repeat(i % 60)}-${i}` : `v${i}`));
  const expectTaken = (col: StrColumn, idx: number[]): void => {
    const all = columnToArray(col) as string[];
    const got = takeColumn(col, Int32Array.from(idx)) as StrColumn;
    expect(columnToArray({ ...got, valid: null })).toEqual(idx.map((i) => (i < 0 ? "" : all[i])));
    expect(got.offsets[0]).toBe(0);
    expect(got.offsets[idx.length]).toBe(got.bytes.length);
  };

  it("copies runs of consecutive rows, single rows and -1 rows in any mix", () => {
    let seed = 11;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 16777216;
    const col = strCol(values);
    // Ascending with gaps (a filter), runs broken by repeats and -1, random rows, runs to the very end.
    const ascending = values.map((_, i) => i).filter(() => rnd() < 0.8);
    const mixed = Array.from({ length: 4000 }, (_, j) => (j % 13 === 0 ? -1 : j % 7 === 0 ? 17 : Math.min(2999, Math.floor(j * 0.75))));
    const random = Array.from({ length: 2000 }, () => Math.floor(rnd() * 3000));
    for (const idx of [ascending, mixed, random, [2997, 2998, 2999], [-1, -1], [], [0]]) expectTaken(col, idx);
  });

  it("reads a column whose offsets start past 0 (a slice of a larger buffer)", () => {
    const col = strCol(values, 37);
    expect(col.offsets[0]).toBe(37);
    expectTaken(col, [5, 6, 7, 8, 100, 101, -1, 2999]);
  });
});
