// merge-filters: stacked filters become one, conjuncts in order, repeats dropped.
import { describe, expect, it } from "vitest";
import { col } from "@tessera/expr";
import { mergeFilters } from "@tessera/plan";
import { field, filter, memoryScan, sort } from "./optimizer-fixtures.js";

const scan = memoryScan("t", [field("a", "int64"), field("b", "int64")]);

describe("merge-filters", () => {
  it("merges filter(filter(x, a), b) into filter(x, a AND b)", () => {
    const p = filter(filter(scan, col("a").gt(1)), col("b").lt(5));
    expect(mergeFilters.apply(p)).toEqual(filter(scan, col("a").gt(1).and(col("b").lt(5))));
  });

  it("merges three filters in one application and drops a repeated conjunct", () => {
    const p = filter(filter(filter(scan, col("a").gt(1)), col("b").lt(5)), col("a").gt(1));
    expect(mergeFilters.apply(p)).toEqual(filter(scan, col("a").gt(1).and(col("b").lt(5))));
  });

  it("leaves filters separated by another node alone", () => {
    expect(mergeFilters.apply(filter(sort(filter(scan, col("a").gt(1)), "a"), col("b").lt(5)))).toBeNull();
  });
});
