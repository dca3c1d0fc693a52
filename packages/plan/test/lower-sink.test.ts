// A sink is a plan node: validated at plan time, lowered to one sink-part per partition and one sink-commit.
import { describe, expect, it } from "vitest";
import { col } from "@tessera/expr";
import { storageOf } from "@tessera/ops";
import type { SinkPartArgs } from "@tessera/ops";
import type { PlanNode, ScanNode, SinkNode } from "@tessera/plan";
import { lowerPlan, schemaOf, explainPlan } from "@tessera/plan";
import { field, filter, parquetFile, parquetScan, rowGroup } from "./optimizer-fixtures.js";

const scan = ((): ScanNode => {
  const s = parquetScan([field("k", "utf8"), field("v", "float64")], [0, 1, 2].map((f) => parquetFile(`file:///data/${f}.parquet`, [rowGroup(0, 1000)])));
  return { ...s, source: { ...s.source, partitions: 3 } } as ScanNode;
})();

const sink = (input: PlanNode, partitionBy: string[] = []): SinkNode => ({
  kind: "sink", input, format: "parquet", url: "file:///out/ds", token: "tok123",
  options: { partitionBy, compression: "zstd", rowGroupSize: 1000 },
});

describe("sink nodes", () => {
  it("lower to a sink-part per partition (fused after the pipeline) and one sink-commit, the only output", () => {
    const phys = lowerPlan(sink(filter(scan, col("v").gt(5)), ["k"]));
    const byOp = (op: string) => phys.graph.tasks.filter((t) => t.op === op);
    expect(byOp("pipeline")).toHaveLength(3);
    expect(byOp("sink-part").map((t) => (t.args as SinkPartArgs).index)).toEqual([0, 1, 2]);
    expect(byOp("sink-part").map((t) => (t.args as SinkPartArgs).partitionBy)).toEqual([["k"], ["k"], ["k"]]);
    const commit = byOp("sink-commit");
    expect(commit).toHaveLength(1);
    expect(phys.outputs).toEqual([commit[0]?.key]);
    expect(commit[0]?.deps).toEqual(byOp("sink-part").map((t) => t.key));
    expect(phys.fields.map((f) => f.name)).toEqual(["k", "v"]);
  });

  it("say which storage each task reads and writes", () => {
    const phys = lowerPlan(sink(scan));
    const access = phys.graph.tasks.map((t) => storageOf(t.op, t.args));
    // Parts read the job's abort marker under the dataset directory; the commit heads the parts there.
    expect([...new Set(access.flatMap((a) => a.reads))].sort()).toEqual(["file:///data/0.parquet", "file:///data/1.parquet", "file:///data/2.parquet", "file:///out/ds"]);
    expect([...new Set(access.flatMap((a) => a.writes))]).toEqual(["file:///out/ds"]);
  });

  it("fail at plan time naming an unknown partitionBy column", () => {
    expect(() => schemaOf(sink(scan, ["region"]))).toThrow(/column "region" not found; available columns: k, v/);
  });

  it("explain as one line", () => {
    expect(explainPlan(sink(scan, ["k"])).split("\n")[0]).toBe('Sink parquet url="file:///out/ds" partition_by=[k]');
  });
});
