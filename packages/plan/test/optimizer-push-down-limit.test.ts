// push-down-limit: limits sink below row-wise nodes, into scans and onto union inputs, never past sorts or filters.
import { describe, expect, it } from "vitest";
import { col } from "@tessera/expr";
import { explainPlan, pushDownLimit } from "@tessera/plan";
import type { PlanNode } from "@tessera/plan";
import { field, filter, limit, memoryScan, rename, select, sort, union, withColumns, withScan } from "./optimizer-fixtures.js";

const t = memoryScan("t", [field("a", "int64"), field("b", "int64")]);
const u = memoryScan("u", [field("a", "int64"), field("b", "int64")]);
const run = (p: PlanNode): string => {
  const out = pushDownLimit.apply(p);
  if (out === null) throw new Error("rule made no change");
  expect(pushDownLimit.apply(out)).toBeNull();
  return explainPlan(out);
};
const lines = (...xs: string[]): string => xs.join("\n");

describe("push-down-limit", () => {
  it("moves below select, withColumns and rename, then into the scan (keeping the limit)", () => {
    expect(run(limit(rename(withColumns(select(t, "a", "b"), col("a").add(1).alias("c")), { b: "bb" }), 5, 2))).toBe(lines(
      "Rename [b -> bb]",
      "  WithColumns [(col(a) + 1) as c]",
      "    Select [a, b]",
      "      Limit n=5 offset=2",
      "        Scan memory id=t partitions=1 rows=10 columns=* limit=7",
    ));
  });

  it("merges nested limits", () => {
    expect(run(limit(limit(t, 10, 3), 4, 2))).toBe(lines("Limit n=4 offset=5", "  Scan memory id=t partitions=1 rows=10 columns=* limit=9"));
    expect(run(limit(limit(t, 3), 4, 5))).toBe(lines("Limit n=0 offset=5", "  Scan memory id=t partitions=1 rows=10 columns=* limit=3"));
  });

  it("copies the limit onto each union input and keeps the outer one", () => {
    expect(run(limit(union(t, select(u, "a", "b")), 3, 1))).toBe(lines(
      "Limit n=3 offset=1",
      "  Union inputs=2",
      "    Limit n=4",
      "      Scan memory id=t partitions=1 rows=10 columns=* limit=4",
      "    Select [a, b]",
      "      Limit n=4",
      "        Scan memory id=u partitions=1 rows=10 columns=* limit=4",
    ));
  });

  it("stays above sorts, filters and scans with a predicate", () => {
    expect(pushDownLimit.apply(limit(sort(t, "a"), 5))).toBeNull();
    expect(pushDownLimit.apply(limit(filter(t, col("a").gt(1)), 5))).toBeNull();
    expect(pushDownLimit.apply(limit(withScan(t, { predicate: col("a").gt(1).node }), 5))).toBeNull();
  });

  it("does not pass an aggregating select", () => {
    expect(pushDownLimit.apply(limit(select(t, col("a").sum()), 1))).toBeNull();
  });
});
