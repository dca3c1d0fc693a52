// unique, groupHead and limitBatch against naive references.
import { describe, expect, it } from "vitest";
import { groupHead, limitBatch, unique, type Batch } from "@tessera/kernels";
import { makeBatch, numCol, randomColumn, rng, rowsOf, sameValue, strCol, type Cell } from "./relational-fixtures.js";

/** Group key equality for distinct/grouping: nulls equal nulls, otherwise by value. */
function sameKey(a: Cell, b: Cell): boolean {
  return (a === null && b === null) || sameValue(a, b);
}

function keyOf(b: Batch, row: Cell[], names: readonly string[]): Cell[] {
  return names.map((n) => row[b.fields.findIndex((f) => f.name === n)]!);
}

function randomBatch(seed: number, n: number): Batch {
  const r = rng(seed);
  return makeBatch({
    s: randomColumn(seed % 2 === 0 ? "dict" : "utf8", n, r, { distinct: 3 }),
    f: randomColumn("float64", n, r, { distinct: 3 }),
    i: randomColumn("int64", n, r, { distinct: 2 }),
    id: numCol("int32", Array.from({ length: n }, (_, j) => j)),
  });
}

describe("unique", () => {
  it("keeps the first or last row of each distinct subset value, in input order", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const b = randomBatch(seed, 1 + seed * 7);
      const rows = rowsOf(b);
      for (const subset of [["s"], ["f", "i"], ["s", "f", "i"]]) {
        for (const keep of ["first", "last"] as const) {
          const expected = rows.filter((row, j) => {
            const k = keyOf(b, row, subset);
            const same = rows.map((o, x) => ({ o, x })).filter(({ o }) => keyOf(b, o, subset).every((c, m) => sameKey(c, k[m]!)));
            return (keep === "first" ? same[0]!.x : same[same.length - 1]!.x) === j;
          });
          expect(rowsOf(unique(b, subset, keep)), `seed ${seed} ${subset.join(",")} ${keep}`).toEqual(expected);
        }
      }
    }
  });

  it("uses every column when the subset is null", () => {
    const b = makeBatch({ a: numCol("int32", [1, 1, null, null, 1]), s: strCol(["x", "x", null, null, "y"]) });
    expect(rowsOf(unique(b, null, "first"))).toEqual([[1, "x"], [null, null], [1, "y"]]);
  });
});

describe("groupHead", () => {
  it("keeps the first n rows of each group in input order", () => {
    for (let seed = 1; seed <= 15; seed++) {
      const b = randomBatch(seed, 40);
      const rows = rowsOf(b);
      for (const n of [0, 1, 2, 5]) {
        const keys = seed % 3 === 0 ? ["s"] : ["s", "i"];
        const expected = rows.filter((row, j) => {
          const k = keyOf(b, row, keys);
          const earlier = rows.slice(0, j).filter((o) => keyOf(b, o, keys).every((c, m) => sameKey(c, k[m]!)));
          return earlier.length < n;
        });
        expect(rowsOf(groupHead(b, keys, n)), `seed ${seed} n ${n}`).toEqual(expected);
      }
    }
  });
});

describe("limitBatch", () => {
  it("slices n rows from the offset, clamped to the batch", () => {
    const b = makeBatch({ a: numCol("int32", [0, 1, 2, 3, 4]) });
    expect(rowsOf(limitBatch(b, 2)).flat()).toEqual([0, 1]);
    expect(rowsOf(limitBatch(b, 2, 3)).flat()).toEqual([3, 4]);
    expect(rowsOf(limitBatch(b, 10, 4)).flat()).toEqual([4]);
    expect(limitBatch(b, 3, 9).length).toBe(0);
    expect(() => limitBatch(b, -1)).toThrow(expect.objectContaining({ code: "LIMIT_INVALID" }));
  });
});
