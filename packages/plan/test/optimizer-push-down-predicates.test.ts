// push-down-predicates: conjuncts sink through row-wise nodes, joins and aggregates into scan predicates.
import { describe, expect, it } from "vitest";
import { col, lit } from "@tessera/expr";
import { explainPlan, pushDownPredicates } from "@tessera/plan";
import type { JoinHow, PlanNode } from "@tessera/plan";
import { aggregate, drop, field, filter, join, limit, memoryScan, rename, select, sort, union, withColumns, withScan } from "./optimizer-fixtures.js";

const t = memoryScan("t", [field("a", "int64"), field("b", "int64"), field("s", "utf8")]);
const L = memoryScan("L", [field("id", "int64"), field("v", "int64"), field("name", "utf8")]);
const R = memoryScan("R", [field("id", "int64"), field("v", "int64"), field("w", "float64")]);
const run = (p: PlanNode): string => {
  const out = pushDownPredicates.apply(p);
  if (out === null) throw new Error("rule made no change");
  return explainPlan(out);
};
const lines = (...xs: string[]): string => xs.join("\n");

describe("push-down-predicates", () => {
  it("moves a filter into the scan and removes it", () => {
    expect(pushDownPredicates.apply(filter(t, col("a").gt(1)))).toEqual(withScan(t, { predicate: col("a").gt(1).node }));
  });

  it("ANDs with an existing scan predicate", () => {
    const scan = withScan(t, { predicate: col("a").gt(1).node });
    expect(pushDownPredicates.apply(filter(scan, col("b").lt(5)))).toEqual(withScan(t, { predicate: col("a").gt(1).and(col("b").lt(5)).node }));
  });

  it("passes select aliases and renames back to source names", () => {
    const p = filter(rename(select(t, col("a").alias("x"), "b"), { b: "y" }), col("x").gt(1).and(col("y").lt(5)));
    expect(run(p)).toBe(lines(
      "Rename [b -> y]",
      "  Select [col(a) as x, b]",
      "    Scan memory id=t partitions=1 rows=10 columns=* predicate=((col(a) > 1) and (col(b) < 5))",
    ));
  });

  it("keeps conjuncts on computed columns above withColumns and moves the rest", () => {
    const p = filter(withColumns(t, col("a").mul(2).alias("c")), col("c").gt(10).and(col("b").lt(5)));
    expect(run(p)).toBe(lines(
      "Filter (col(c) > 10)",
      "  WithColumns [(col(a) * 2) as c]",
      "    Scan memory id=t partitions=1 rows=10 columns=* predicate=(col(b) < 5)",
    ));
  });

  it("passes through sort and drop", () => {
    expect(run(filter(drop(sort(t, "a"), "s"), col("b").eq(3)))).toBe(lines(
      "Drop [s]",
      "  Sort by=[a]",
      "    Scan memory id=t partitions=1 rows=10 columns=* predicate=(col(b) == 3)",
    ));
  });

  it("never moves a filter below a limit, nor into a scan that has a limit", () => {
    expect(pushDownPredicates.apply(filter(limit(t, 5), col("a").gt(1)))).toBeNull();
    expect(pushDownPredicates.apply(filter(withScan(t, { limit: 5 }), col("a").gt(1)))).toBeNull();
  });

  it("copies a filter into every union input", () => {
    const u = memoryScan("u", [field("a", "int64"), field("b", "int64"), field("s", "utf8")]);
    expect(run(filter(union(t, u), col("s").eq("x")))).toBe(lines(
      "Union inputs=2",
      "  Scan memory id=t partitions=1 rows=10 columns=* predicate=(col(s) == \"x\")",
      "  Scan memory id=u partitions=1 rows=10 columns=* predicate=(col(s) == \"x\")",
    ));
  });

  it("moves group-key conjuncts below an aggregate and keeps aggregate conjuncts above", () => {
    const p = filter(aggregate(t, [col("s").alias("k")], [col("a").sum()]), col("k").eq("x").and(col("a").gt(10)));
    expect(run(p)).toBe(lines(
      "Filter (col(a) > 10)",
      "  Aggregate keys=[col(s) as k] aggs=[sum(col(a)) as a]",
      "    Scan memory id=t partitions=1 rows=10 columns=* predicate=(col(s) == \"x\")",
    ));
  });

  describe("joins", () => {
    const j = (how: JoinHow): PlanNode => join(L, R, ["id"], ["id"], how);
    const pred = col("name").eq("n").and(col("v_right").gt(1)).and(col("v").lt(col("w")));

    it("inner: left conjuncts go left, right ones right with the suffix undone, mixed ones stay", () => {
      expect(run(filter(j("inner"), pred))).toBe(lines(
        "Filter (col(v) < col(w))",
        "  Join inner left_on=[id] right_on=[id] suffix=\"_right\"",
        "    Scan memory id=L partitions=1 rows=10 columns=* predicate=(col(name) == \"n\")",
        "    Scan memory id=R partitions=1 rows=10 columns=* predicate=(col(v) > 1)",
      ));
    });

    it("inner: a conjunct on the join key also filters the right side", () => {
      expect(run(filter(j("inner"), col("id").gt(7)))).toBe(lines(
        "Join inner left_on=[id] right_on=[id] suffix=\"_right\"",
        "  Scan memory id=L partitions=1 rows=10 columns=* predicate=(col(id) > 7)",
        "  Scan memory id=R partitions=1 rows=10 columns=* predicate=(col(id) > 7)",
      ));
    });

    it("left: nothing goes into the null-producing right side", () => {
      expect(run(filter(j("left"), pred))).toBe(lines(
        "Filter ((col(v_right) > 1) and (col(v) < col(w)))",
        "  Join left left_on=[id] right_on=[id] suffix=\"_right\"",
        "    Scan memory id=L partitions=1 rows=10 columns=* predicate=(col(name) == \"n\")",
        "    Scan memory id=R partitions=1 rows=10 columns=*",
      ));
    });

    it("right: nothing goes into the null-producing left side, nor on the coalesced key", () => {
      expect(run(filter(j("right"), pred.and(col("id").eq(3))))).toBe(lines(
        "Filter (((col(name) == \"n\") and (col(v) < col(w))) and (col(id) == 3))",
        "  Join right left_on=[id] right_on=[id] suffix=\"_right\"",
        "    Scan memory id=L partitions=1 rows=10 columns=*",
        "    Scan memory id=R partitions=1 rows=10 columns=* predicate=(col(v) > 1)",
      ));
    });

    it("full: nothing moves", () => {
      expect(pushDownPredicates.apply(filter(j("full"), pred))).toBeNull();
    });

    it("semi and anti: left conjuncts go left", () => {
      for (const how of ["semi", "anti"] as const) {
        expect(run(filter(j(how), col("name").eq("n")))).toBe(lines(
          `Join ${how} left_on=[id] right_on=[id] suffix="_right"`,
          "  Scan memory id=L partitions=1 rows=10 columns=* predicate=(col(name) == \"n\")",
          "  Scan memory id=R partitions=1 rows=10 columns=*",
        ));
      }
    });
  });

  it("leaves a conjunct without columns where it is", () => {
    expect(pushDownPredicates.apply(filter(aggregate(t, [], [col("a").sum()]), lit(false)))).toBeNull();
  });
});
