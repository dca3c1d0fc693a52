// push-down-projections: scans decode only the columns the plan above them reads.
import { describe, expect, it } from "vitest";
import { col, len, lit } from "@tessera/expr";
import { explainPlan, pushDownProjections } from "@tessera/plan";
import type { PlanNode } from "@tessera/plan";
import { aggregate, drop, field, filter, join, memoryScan, rename, salesScan, select, union, withColumns, withScan } from "./optimizer-fixtures.js";

const sales = salesScan();
const t = memoryScan("t", [field("a", "int64"), field("b", "int64"), field("s", "utf8")]);
const L = memoryScan("L", [field("id", "int64"), field("v", "int64"), field("name", "utf8"), field("x", "int64")]);
const R = memoryScan("R", [field("id", "int64"), field("v", "int64"), field("w", "float64")]);
const run = (p: PlanNode): string => {
  const out = pushDownProjections.apply(p);
  if (out === null) throw new Error("rule made no change");
  expect(pushDownProjections.apply(out)).toBeNull(); // a fixed point after one application
  return explainPlan(out);
};
const lines = (...xs: string[]): string => xs.join("\n");
const SALES = "Scan parquet files=2 row_groups=4 rows≈400";

describe("push-down-projections", () => {
  it("sets the scan projection to the columns used, in source order", () => {
    expect(run(select(sales, "v1", col("id4").alias("k")))).toBe(lines("Select [v1, col(id4) as k]", `  ${SALES} columns=[id4, v1]`));
  });

  it("keeps the columns a filter reads", () => {
    expect(run(select(filter(sales, col("v3").gt(1)), "v1"))).toBe(lines(
      "Select [v1]", "  Filter (col(v3) > 1)", `    ${SALES} columns=[v1, v3]`,
    ));
  });

  it("does not add the scan predicate's columns to its output", () => {
    const scan = withScan(sales, { predicate: col("id4").gt(5).node });
    expect(run(select(scan, "v1"))).toBe(lines("Select [v1]", `  ${SALES} columns=[v1] predicate=(col(id4) > 5)`));
  });

  it("keeps the cheapest column when only the row count is needed", () => {
    expect(run(aggregate(sales, [], [len()]))).toBe(lines("Aggregate keys=[] aggs=[len() as len]", `  ${SALES} columns=[id4]`));
  });

  it("keeps join keys, and left columns that force a suffix on a used right column", () => {
    expect(run(select(join(L, R, ["id"], ["id"]), "name", "v_right"))).toBe(lines(
      "Select [name, v_right]",
      "  Join inner left_on=[id] right_on=[id] suffix=\"_right\"",
      "    Scan memory id=L partitions=1 rows=10 columns=[id, v, name]",
      "    Scan memory id=R partitions=1 rows=10 columns=[id, v]",
    ));
    expect(run(select(join(L, R, ["id"], ["id"], "semi"), "name"))).toBe(lines(
      "Select [name]",
      "  Join semi left_on=[id] right_on=[id] suffix=\"_right\"",
      "    Scan memory id=L partitions=1 rows=10 columns=[id, name]",
      "    Scan memory id=R partitions=1 rows=10 columns=[id]",
    ));
  });

  it("drops unused computed columns, and withColumns when none is used", () => {
    expect(run(select(withColumns(t, col("a").mul(2).alias("c"), col("b").add(1).alias("d")), "c"))).toBe(lines(
      "Select [c]", "  WithColumns [(col(a) * 2) as c]", "    Scan memory id=t partitions=1 rows=10 columns=[a]",
    ));
    expect(run(select(withColumns(t, col("a").mul(2).alias("c")), "b"))).toBe(lines(
      "Select [b]", "  Scan memory id=t partitions=1 rows=10 columns=[b]",
    ));
  });

  it("removes drop and rename entries for columns no longer produced below", () => {
    expect(run(select(drop(t, "s"), "a"))).toBe(lines("Select [a]", "  Scan memory id=t partitions=1 rows=10 columns=[a]"));
    expect(run(select(rename(t, { a: "x", b: "y" }), "x"))).toBe(lines(
      "Select [x]", "  Rename [a -> x]", "    Scan memory id=t partitions=1 rows=10 columns=[a]",
    ));
  });

  it("gives every union input the same single column when none is needed", () => {
    const u = memoryScan("u", [field("a", "int64"), field("b", "int64"), field("s", "utf8")]);
    expect(run(aggregate(union(t, u), [], [len()]))).toBe(lines(
      "Aggregate keys=[] aggs=[len() as len]",
      "  Union inputs=2",
      "    Scan memory id=t partitions=1 rows=10 columns=[a]",
      "    Scan memory id=u partitions=1 rows=10 columns=[a]",
    ));
  });

  it("keeps union inputs aligned when one input must keep an extra column", () => {
    const v = memoryScan("v", [field("one", "int64"), field("a", "int64")]);
    const p = select(union(select(t, lit(1).alias("one"), "a"), v), "one");
    expect(run(p)).toBe(lines(
      "Select [one]",
      "  Union inputs=2",
      "    Select [1 as one, a]",
      "      Scan memory id=t partitions=1 rows=10 columns=[a]",
      "    Scan memory id=v partitions=1 rows=10 columns=*",
    ));
  });

  it("drops unused aggregates but keeps the group keys' columns", () => {
    expect(run(select(aggregate(t, ["s"], [col("a").sum(), col("b").sum().alias("b2")]), "b2"))).toBe(lines(
      "Select [b2]", "  Aggregate keys=[s] aggs=[sum(col(b)) as b2]", "    Scan memory id=t partitions=1 rows=10 columns=[b, s]",
    ));
  });

  it("changes nothing when the root needs every column", () => {
    expect(pushDownProjections.apply(sales)).toBeNull();
    expect(pushDownProjections.apply(filter(t, col("a").gt(1)))).toBeNull();
  });
});
