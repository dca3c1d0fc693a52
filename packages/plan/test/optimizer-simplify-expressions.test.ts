// simplify-expressions: constant folding, boolean identities, filter(true) removed, filter(false) emptied.
import { describe, expect, it } from "vitest";
import { col, lit } from "@tessera/expr";
import { explainPlan, simplifyExpressions } from "@tessera/plan";
import type { PlanNode } from "@tessera/plan";
import { field, filter, memoryScan, select, withColumns } from "./optimizer-fixtures.js";

const scan = memoryScan("t", [field("a", "int64"), field("b", "bool"), field("s", "utf8")]);
const run = (p: PlanNode): string | null => {
  const out = simplifyExpressions.apply(p);
  return out === null ? null : explainPlan(out);
};

describe("simplify-expressions", () => {
  it("folds arithmetic and comparisons over literals", () => {
    const p = filter(scan, col("a").gt(lit(2).add(3).mul(10)).and(lit("x").eq("x")));
    expect(run(p)).toBe(["Filter (col(a) > 50)", "  Scan memory id=t partitions=1 rows=10 columns=*"].join("\n"));
  });

  it("applies and/or identities and double negation", () => {
    const p = filter(scan, col("b").not().not().or(lit(false)).and(lit(true)));
    expect(run(p)).toBe(["Filter col(b)", "  Scan memory id=t partitions=1 rows=10 columns=*"].join("\n"));
  });

  it("removes a filter that is always true", () => {
    expect(simplifyExpressions.apply(filter(scan, lit(1).lt(2)))).toBe(scan);
  });

  it("turns a filter that is always false or null into limit 0", () => {
    const expected = ["Limit n=0", "  Scan memory id=t partitions=1 rows=10 columns=*"].join("\n");
    expect(run(filter(scan, col("a").gt(1).and(lit(false))))).toBe(expected);
    expect(run(filter(scan, lit(null).eq(1)))).toBe(expected);
  });

  it("propagates nulls with Kleene logic: null AND false is false, null OR true is true", () => {
    expect(run(select(scan, lit(null, "bool").and(false).alias("x"), lit(null, "bool").or(true).alias("y"))))
      .toBe(["Select [false as x, true as y]", "  Scan memory id=t partitions=1 rows=10 columns=*"].join("\n"));
  });

  it("keeps output names by re-aliasing folded projections", () => {
    const out = simplifyExpressions.apply(withColumns(scan, lit(true).and(col("b"))));
    expect(out).toEqual(withColumns(scan, col("b").alias("literal")));
  });

  it("does not fold what could overflow, divide by zero or depend on collation", () => {
    const p = select(scan, lit(2147483647, "int32").add(lit(1, "int32")).alias("o"), lit(1).div(0).alias("d"), lit("\uff21").lt("z").alias("c"), lit(-7).mod(2).alias("m"));
    expect(simplifyExpressions.apply(p)).toBeNull();
  });

  it("leaves an aggregate that would fold to a literal alone (a select must stay all-aggregate)", () => {
    expect(simplifyExpressions.apply(select(scan, col("b").max().and(lit(false))))).toBeNull();
  });

  it("folds a scan predicate and drops it when it becomes true", () => {
    const s = { ...scan, predicate: lit(3).gt(1).node };
    expect(simplifyExpressions.apply(s)).toEqual(scan);
  });

  it("returns null when there is nothing to fold", () => {
    expect(simplifyExpressions.apply(filter(scan, col("a").gt(1)))).toBeNull();
  });
});
