// groupTopN: the rows sort + groupHead keeps, chosen without sorting, and reducible through a merge tree.
import { describe, expect, it } from "vitest";
import type { DType } from "@tessera/common";
import { concatBatches, groupHead, groupTopN, groupTopNPartial, sliceBatch, sortBatch, type SortSpec } from "@tessera/kernels";
import { makeBatch, numCol, randomColumn, rng, rowsOf } from "./relational-fixtures.js";

const TYPES: (DType | "dict")[] = ["int32", "int64", "uint32", "float32", "float64", "date32", "utf8", "dict", "bool"];

describe("groupTopN", () => {
  it("keeps exactly the rows of sort then groupHead (ties to the earlier row), for every key type, direction and null placement", () => {
    const r = rng(3);
    for (const type of TYPES) {
      for (const [n, distinct] of [[200, 5], [500, 1000]] as const) {
        const b = makeBatch({
          g: randomColumn("int32", n, r, { distinct: 12 }),
          k: randomColumn(type, n, r, { distinct }),
          k2: randomColumn("float64", n, r, { distinct: 3 }),
        });
        for (const descending of [false, true]) {
          for (const nullsLast of [false, true]) {
            const spec: SortSpec = { by: ["k", "k2"], descending: [descending, !descending], nullsLast: [nullsLast, !nullsLast] };
            for (const head of [0, 1, 2, 5]) {
              const want = groupHead(sortBatch(b, spec), ["g"], head);
              const got = sortBatch(groupTopN(b, ["g"], head, spec), spec);
              expect(rowsOf(got), `${type} n=${n} desc=${descending} nl=${nullsLast} head=${head}`).toEqual(rowsOf(want));
            }
          }
        }
      }
    }
  });

  it("returns kept rows in input order, so partitions' results concatenated in order reduce to the same rows", () => {
    const r = rng(4);
    const n = 3000;
    const b = makeBatch({ g: randomColumn("utf8", n, r, { distinct: 40 }), v: randomColumn("float64", n, r, { distinct: 50 }) });
    const spec: SortSpec = { by: ["v"], descending: [true], nullsLast: [true] };
    const whole = groupTopN(b, ["g"], 2, spec);
    const parts = [0, 1, 2, 3, 4].map((p) => groupTopN(sliceBatch(b, p * 600, (p + 1) * 600), ["g"], 2, spec));
    const tree = groupTopN(concatBatches([groupTopN(concatBatches(parts.slice(0, 3)), ["g"], 2, spec), ...parts.slice(3)]), ["g"], 2, spec);
    expect(rowsOf(tree)).toEqual(rowsOf(whole));
    expect(rowsOf(sortBatch(whole, spec))).toEqual(rowsOf(groupHead(sortBatch(b, spec), ["g"], 2)));
  });

  it("a partition's partial passes its rows on when most would be kept, else reduces; the merge tree gives the same rows either way", () => {
    const r = rng(5);
    const spec: SortSpec = { by: ["v"], descending: [true], nullsLast: [true] };
    const batch = (n: number, groups: number) => makeBatch({
      g: numCol("int32", Array.from({ length: n }, () => Math.floor(r() * groups))),
      v: randomColumn("float64", n, r, { distinct: 1000, nulls: 0.05 }),
    });
    // 20,000 rows in 50,000 possible groups: about 16,500 groups, each kept whole (head 2 keeps ~97% of the rows).
    const many = batch(20_000, 50_000);
    expect(groupTopNPartial(many, ["g"], 2, spec)).toBe(many);
    // 20,000 rows in 100 groups: reduced to at most 200 rows, as groupTopN does.
    const few = batch(20_000, 100);
    const reduced = groupTopNPartial(few, ["g"], 2, spec);
    expect(reduced.length).toBeLessThanOrEqual(200);
    expect(rowsOf(reduced)).toEqual(rowsOf(groupTopN(few, ["g"], 2, spec)));
    // Partitions of both kinds, reduced by a merge tree: the rows sort + groupHead keeps over the whole input.
    for (const groups of [100, 3000, 50_000]) {
      const whole = batch(24_000, groups);
      const parts = [0, 1, 2, 3, 4, 5].map((p) => groupTopNPartial(sliceBatch(whole, p * 4000, (p + 1) * 4000), ["g"], 2, spec));
      const tree = groupTopN(concatBatches([groupTopN(concatBatches(parts.slice(0, 4)), ["g"], 2, spec), ...parts.slice(4)]), ["g"], 2, spec);
      expect(rowsOf(sortBatch(tree, spec)), `groups=${groups}`).toEqual(rowsOf(groupHead(sortBatch(whole, spec), ["g"], 2)));
    }
  });
});
