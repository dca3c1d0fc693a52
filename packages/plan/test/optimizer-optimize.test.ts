// optimize(): the rule list end to end on hand-built plans, the fixed point, and the driver's schema check.
import { describe, expect, it } from "vitest";
import { col, len, lit } from "@tessera/expr";
import { DEFAULT_RULES, explainPlan, optimize } from "@tessera/plan";
import type { OptimizerRule, PlanNode } from "@tessera/plan";
import { aggregate, field, filter, join, limit, memoryScan, salesScan, select, withColumns } from "./optimizer-fixtures.js";

const sales = salesScan();
const L = memoryScan("L", [field("id", "int64"), field("v", "int64"), field("name", "utf8")]);
const R = memoryScan("R", [field("id", "int64"), field("v", "int64"), field("w", "float64")]);
const lines = (...xs: string[]): string => xs.join("\n");

/** Optimizes, checks that a second run changes nothing, and returns the explain text. */
function optimized(p: PlanNode): { text: string; applied: string[] } {
  const { plan, applied } = optimize(p);
  expect(optimize(plan).applied).toEqual([]);
  return { text: explainPlan(plan), applied };
}

describe("optimize", () => {
  it("folds, pushes the predicate into the scan, prunes a file and narrows the projection", () => {
    const p = aggregate(
      filter(withColumns(sales, col("v1").mul(2).alias("v2")), col("id4").gt(lit(200).add(50)).and(lit(true))),
      ["id1"], [col("v1").sum()],
    );
    const { text, applied } = optimized(p);
    expect(text).toBe(lines(
      "Aggregate keys=[id1] aggs=[sum(col(v1)) as v1]",
      "  Scan parquet files=1 row_groups=2 rows≈200 columns=[id1, v1] predicate=(col(id4) > 250)",
    ));
    expect(applied).toEqual(["simplify-expressions", "push-down-predicates", "prune-row-groups", "push-down-projections"]);
  });

  it("turns an always-false filter into a scan that reads nothing", () => {
    const { text } = optimized(select(filter(sales, col("id4").gt(1).and(lit(1).gt(2))), "v1"));
    expect(text).toBe(lines("Select [v1]", "  Limit n=0", "    Scan parquet files=2 row_groups=4 rows≈400 columns=[v1] limit=0"));
  });

  it("splits a filter over an inner join and keeps only the columns used", () => {
    const p = select(filter(join(L, R, ["id"], ["id"]), col("name").eq("n").and(col("w").gt(1))), "id", "w");
    expect(optimized(p).text).toBe(lines(
      "Select [id, w]",
      "  Join inner left_on=[id] right_on=[id] suffix=\"_right\"",
      "    Scan memory id=L partitions=1 rows=10 columns=[id] predicate=(col(name) == \"n\")",
      "    Scan memory id=R partitions=1 rows=10 columns=[id, w] predicate=(col(w) > 1)",
    ));
  });

  it("keeps a filter above a limit and its columns in the projection", () => {
    expect(optimized(select(filter(limit(sales, 10), col("v3").gt(1)), "v1")).text).toBe(lines(
      "Select [v1]",
      "  Filter (col(v3) > 1)",
      "    Limit n=10",
      "      Scan parquet files=2 row_groups=4 rows≈400 columns=[v1, v3] limit=10",
    ));
  });

  it("counts rows with one cheap column after the predicate moved into the scan", () => {
    expect(optimized(aggregate(filter(sales, col("id1").eq("id007")), [], [len()])).text).toBe(lines(
      "Aggregate keys=[] aggs=[len() as len]",
      "  Scan parquet files=2 row_groups=4 rows≈400 columns=[id4] predicate=(col(id1) == \"id007\")",
    ));
  });

  it("runs its rules in the documented order", () => {
    expect(DEFAULT_RULES.map((r) => r.name)).toEqual([
      "simplify-expressions", "merge-filters", "push-down-predicates", "prune-row-groups", "push-down-projections", "push-down-limit",
      "push-down-bands",
    ]);
  });

  it("rejects a rule that changes the schema, naming it", () => {
    const bad: OptimizerRule = { name: "drop-everything", apply: (p) => (p.kind === "select" ? p.input : null) };
    expect(() => optimize(select(sales, "v1"), { rules: [bad] })).toThrow(expect.objectContaining({ code: "OPTIMIZER_SCHEMA_CHANGED", category: "internal", message: expect.stringContaining("drop-everything") }));
  });

  it("rejects a rule that builds an invalid plan, naming it", () => {
    const bad: OptimizerRule = { name: "bad-column", apply: (p) => (p.kind === "scan" && p.predicate === null ? { ...p, predicate: col("nope").gt(1).node } : null) };
    expect(() => optimize(sales, { rules: [bad] })).toThrow(expect.objectContaining({ code: "OPTIMIZER_RULE_FAILED", message: expect.stringContaining("bad-column") }));
  });

  it("stops after maxPasses when a rule never settles", () => {
    const restless: OptimizerRule = { name: "restless", apply: (p) => ({ ...p }) };
    expect(optimize(sales, { rules: [restless], maxPasses: 3 }).applied).toEqual(["restless", "restless", "restless"]);
  });

  it("reports an unresolved source as the plan error it is", () => {
    const scan: PlanNode = { kind: "scan", source: { format: "parquet", urls: ["x.parquet"], partitions: null }, projection: null, predicate: null, limit: null };
    expect(() => optimize(scan)).toThrow(expect.objectContaining({ code: "UNRESOLVED_SOURCE" }));
  });
});
