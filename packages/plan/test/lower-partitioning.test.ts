// Stages know how rows are spread over their parts: work grouped by (a superset of) the partitioning runs part by part.
import { describe, expect, it } from "vitest";
import { col, len } from "@tessera/expr";
import type { PlanNode, ScanNode } from "@tessera/plan";
import { lowerPlan, lowerPlans } from "@tessera/plan";
import type { PipelineArgs } from "@tessera/ops";
import type { TaskGraph } from "@tessera/graph";
import { aggregate, field, parquetFile, parquetScan, rowGroup } from "./optimizer-fixtures.js";

function scan(partitions: number): ScanNode {
  const fields = [field("f", "utf8"), field("t", "int64"), field("r", "utf8"), field("v", "float64")];
  const s = parquetScan(fields, [parquetFile("file:///d/0.parquet", Array.from({ length: partitions }, (_, g) => rowGroup(g, 1000)))]);
  return { ...s, source: { ...s.source, partitions } } as ScanNode;
}
const byFT = (p: PlanNode): PlanNode => ({ kind: "repartition", input: p, n: 4, by: ["f", "t"] });
const steps = (g: TaskGraph): string[] => g.tasks.flatMap((t) => (t.op === "pipeline" ? (t.args as PipelineArgs).steps.map((s) => s.t) : [t.op]));
const count = (xs: string[], x: string): number => xs.filter((y) => y === x).length;

describe("partitioning-aware lowering", () => {
  it("an aggregate whose keys include the repartition columns runs per part (aggFull), and keeps the partitioning", () => {
    const p = aggregate(byFT(scan(6)), ["f", "t", "r"], [col("v").sum(), len()]);
    const phys = lowerPlan(p);
    const s = steps(phys.graph);
    expect(count(s, "hashSplit")).toBe(6); // the repartition's only
    expect(count(s, "aggFull")).toBe(4);
    expect(count(s, "aggPartial")).toBe(0);
    expect(phys.outputs).toHaveLength(4);
    expect(phys.partitioning).toEqual({ by: ["f", "t"], buckets: 4 });
  });

  it("an aggregate by fewer keys than the partitioning still shuffles", () => {
    const s = steps(lowerPlan(aggregate(byFT(scan(6)), ["r"], [col("v").sum()])).graph);
    // The repartition's 6 splits, then each of its 4 parts splits again by r (aggSplit: states or rows per bucket).
    expect(count(s, "hashSplit")).toBe(6);
    expect(count(s, "aggSplit")).toBe(4);
    expect(count(s, "aggFull")).toBe(0);
  });

  it("a fan-out sink grouped by the partitioning columns writes from each part without a split; by others it splits first", () => {
    const base = { kind: "sinkObjects", url: "/tmp/x", format: { kind: "csv", columns: ["v"], numberFormat: "default", pivot: null }, orderBy: [], descending: [],
      commit: null, token: "t", concurrency: 4, attempts: 2 } as const;
    const local = lowerPlan({ ...base, input: byFT(scan(6)), template: "{f}/{t}/{r}.csv", groupBy: ["f", "t", "r"] });
    expect(count(steps(local.graph), "hashSplit")).toBe(6);
    expect(count(steps(local.graph), "sink-objects")).toBe(4);
    const split = lowerPlan({ ...base, input: byFT(scan(6)), template: "{r}.csv", groupBy: ["r"] });
    expect(count(steps(split.graph), "hashSplit")).toBe(6 + 4);
    expect(count(steps(split.graph), "sink-objects-commit")).toBe(1);
  });

  it("a union of stages with one partitioning is joined part by part and keeps it", () => {
    const a = aggregate(byFT(scan(6)), ["f", "t", "r"], [col("v").sum().alias("x")]);
    const b = aggregate(byFT(scan(6)), ["f", "t", "r"], [col("v").max().alias("x")]);
    const phys = lowerPlan({ kind: "union", inputs: [a, b] });
    expect(phys.outputs).toHaveLength(4);
    expect(phys.partitioning).toEqual({ by: ["f", "t"], buckets: 4 });
  });

  it("lowerPlans shares the tasks two plans have in common", () => {
    const shared = aggregate(byFT(scan(6)), ["f", "t", "r"], [col("v").sum().alias("x")]);
    const one = lowerPlan({ kind: "cache", input: shared }).graph.tasks.length;
    const both = lowerPlans([{ kind: "filter", input: { kind: "cache", input: shared }, predicate: col("x").gt(1).node }, { kind: "cache", input: shared }]);
    expect(both.graph.tasks.length).toBe(one + 4);
    expect(both.plans.map((p) => p.outputs.length)).toEqual([4, 4]);
  });
});
