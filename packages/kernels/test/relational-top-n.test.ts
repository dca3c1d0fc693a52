// groupTopN: the rows sort + groupHead keeps, chosen without sorting, and reducible through a merge tree.
import { describe, expect, it } from "vitest";
import type { DType } from "@tessera/common";
import { concatBatches, groupHead, groupTopN, sliceBatch, sortBatch, type SortSpec } from "@tessera/kernels";
import { makeBatch, randomColumn, rng, rowsOf } from "./relational-fixtures.js";

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
});
