// Physical planning: fusion into one task per partition, fixed merge trees, shuffles, broadcast joins, sampled sorts.
import { describe, expect, it } from "vitest";
import { col, len } from "@tessera/expr";
import type { PlanNode, ScanNode } from "@tessera/plan";
import type { PipelineArgs } from "@tessera/ops";
import { lowerPlan } from "@tessera/plan";
import type { TaskGraph } from "@tessera/graph";
import { topoOrder } from "@tessera/graph";
import { aggregate, field, filter, join, limit, parquetFile, parquetScan, rowGroup, select, sort, withColumns } from "./optimizer-fixtures.js";

/** A scan of `files` files with `groups` row groups of `rows` rows each, split into `partitions` partitions. */
function bigScan(files: number, groups: number, rows: number, partitions: number | null = null, name = "d"): ScanNode {
  const fields = [field("k", "utf8"), field("i", "int32"), field("v", "float64")];
  const fs = Array.from({ length: files }, (_, f) => parquetFile(`file:///${name}/${f}.parquet`, Array.from({ length: groups }, (_, g) => rowGroup(g, rows))));
  const s = parquetScan(fields, fs);
  return { ...s, source: { ...s.source, partitions } } as ScanNode;
}

const ops = (g: TaskGraph): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const t of g.tasks) out[t.op] = (out[t.op] ?? 0) + 1;
  return out;
};

describe("lowerPlan", () => {
  it("fuses scan, filter, withColumns and select into one pipeline task per partition", () => {
    const p: PlanNode = select(withColumns(filter(bigScan(2, 4, 1000, 4), col("i").gt(3)), col("v").mul(2).alias("w")), "k", "w");
    const phys = lowerPlan(p);
    expect(ops(phys.graph)).toEqual({ pipeline: 4 });
    expect(phys.outputs).toHaveLength(4);
    const steps = (phys.graph.tasks[0]?.args as PipelineArgs).steps.map((s) => s.t);
    expect(steps).toEqual(["filter", "withColumns", "project"]);
    expect(phys.fields.map((f) => f.name)).toEqual(["k", "w"]);
    topoOrder(phys.graph);
  });

  it("aggregates through a fixed merge tree of the configured fan-in, ending in one partition", () => {
    const p = { ...aggregate(bigScan(1, 20, 1000, 20), ["k"], [col("v").sum(), len()]), strategy: "tree" } as PlanNode;
    const phys = lowerPlan(p, { fanIn: 8 });
    // 20 partial states -> 3 merges -> 1 final merge, each a pipeline over its inputs.
    expect(ops(phys.graph)).toEqual({ pipeline: 24 });
    expect(phys.outputs).toHaveLength(1);
    const final = phys.graph.tasks.find((t) => t.key === phys.outputs[0]);
    expect(final?.deps).toHaveLength(3);
    expect((final?.args as PipelineArgs).steps.map((s) => s.t)).toEqual(["aggMerge", "aggFinalize", "project"]);
    const merges = phys.graph.tasks.filter((t) => t.label?.name === "agg-merge");
    expect(merges.map((t) => t.deps.length)).toEqual([8, 8, 4]);
    expect(merges.map((t) => (t.args as PipelineArgs).steps.map((s) => s.t))).toEqual([["aggMerge"], ["aggMerge"], ["aggMerge"]]);
    expect((phys.graph.tasks[0]?.args as PipelineArgs).steps.map((s) => s.t)).toEqual(["project", "aggPartial"]);
  });

  it("auto: a merge tree when statistics bound the groups few, a hash shuffle (at most 8 outputs) when not", () => {
    const fields = [field("g", "int32"), field("v", "float64")];
    const few = parquetScan(fields, [parquetFile("file:///few.parquet", Array.from({ length: 12 }, (_, i) => rowGroup(i, 1000, { g: [1, 100, 0] })))]);
    const tree = lowerPlan(aggregate({ ...few, source: { ...few.source, partitions: 12 } } as ScanNode, ["g"], [col("v").sum()]));
    // 12 partial states -> 2 merges (8 + 4) -> 1 final merge.
    expect(ops(tree.graph)).toEqual({ pipeline: 15 });
    const many = parquetScan(fields, [parquetFile("file:///many.parquet", Array.from({ length: 12 }, (_, i) => rowGroup(i, 1000, { g: [0, 10_000_000, 0] })))]);
    const shuffle = lowerPlan(aggregate({ ...many, source: { ...many.source, partitions: 12 } } as ScanNode, ["g"], [col("v").sum()]));
    // Each partition splits into 8 state pieces and 8 row pieces (one half empty at run time): two picks per bucket.
    expect(ops(shuffle.graph)).toEqual({ pipeline: 12 + 8, pick: 12 * 8 * 2 });
    expect(shuffle.outputs).toHaveLength(8);
    const out = shuffle.graph.tasks.find((t) => t.key === shuffle.outputs[0]);
    expect(out?.deps).toHaveLength(24);
    expect((out?.args as PipelineArgs).steps.map((s) => s.t)).toEqual(["aggMergeRows", "aggFinalize", "project"]);
    // Statistics bound the groups at 10^7 for 1000-row partitions: partial aggregation cannot reduce, so it is skipped.
    const split = (t: { op: string; args: unknown }) => (t.op === "pipeline" ? (t.args as PipelineArgs).steps.find((s) => s.t === "aggSplit") : undefined);
    expect(shuffle.graph.tasks.filter(split).map((t) => (split(t) as { partial: string }).partial)).toEqual(Array(12).fill("never"));
    // Without statistics (a computed key), each partition decides from a sample at run time.
    const computed = lowerPlan(aggregate({ ...many, source: { ...many.source, partitions: 12 } } as ScanNode, [col("g").add(1).alias("h")], [col("v").sum()]));
    expect(computed.graph.tasks.filter(split).map((t) => (split(t) as { partial: string }).partial)).toEqual(Array(12).fill("auto"));
  });

  it("auto: string keys go through the tree when a sampled dictionary makes their groups very likely few", () => {
    const fields = [field("s", "utf8"), field("v", "float64")];
    const base = parquetScan(fields, [parquetFile("file:///s.parquet", Array.from({ length: 12 }, (_, i) => rowGroup(i, 100_000)))]);
    const scan = (entries: number | null): ScanNode => ({
      ...base, source: { ...base.source, partitions: 12, ...(entries === null ? {} : { dictionarySizes: { s: { rows: 100_000, entries } } }) },
    } as ScanNode);
    const shape = (entries: number | null) => ops(lowerPlan(aggregate(scan(entries), ["s"], [col("v").sum()])).graph);
    // 12 partial states -> 2 merges -> 1 final merge.
    expect(shape(100)).toEqual({ pipeline: 15 });
    expect(shape(9_000)).toEqual({ pipeline: 15 });
    // 60,000 of 100,000 rows distinct: about 110,000 values, too many to risk a tree; no sample: unknown.
    expect(shape(60_000)).toEqual({ pipeline: 12 + 8, pick: 12 * 8 * 2 });
    expect(shape(null)).toEqual({ pipeline: 12 + 8, pick: 12 * 8 * 2 });
    // A renamed key is still the scan's column; a computed one is not.
    const renamed = select(scan(100), col("s").alias("t"), "v");
    expect(ops(lowerPlan(aggregate(renamed, ["t"], [col("v").sum()])).graph)).toEqual({ pipeline: 15 });
    const computed = lowerPlan(aggregate(scan(100), [col("s").str.toUpperCase().alias("u")], [col("v").sum()]));
    expect(ops(computed.graph).pick).toBe(12 * 8 * 2);
  });

  it("cuts a scan feeding an aggregation of many groups into partitions of 16 rows per group, unless the user chose", () => {
    const fields = [field("g", "int32"), field("v", "float64")];
    const scan = (maxKey: number, partitions: number | null = null): ScanNode => {
      const s = parquetScan(fields, [parquetFile("file:///g.parquet", Array.from({ length: 40 }, (_, i) => rowGroup(i, 100_000, { g: [1, maxKey, 0] })))]);
      return { ...s, source: { ...s.source, partitions } } as ScanNode;
    };
    const scans = (p: PlanNode) => lowerPlan(p).graph.tasks.filter((t) => (t.args as PipelineArgs).source?.type === "parquet").length;
    // 4,000,000 rows. 50,000 groups: partitions of 800,000 rows. 1,000 groups: the default 262,144 rows.
    expect(scans(aggregate(scan(50_000), ["g"], [col("v").sum()]))).toBe(5);
    expect(scans(aggregate(filter(scan(50_000), col("v").gt(0)), ["g"], [col("v").sum()]))).toBe(5);
    expect(scans(aggregate(scan(1_000), ["g"], [col("v").sum()]))).toBe(16);
    // Groups too many for partials to pay (16 × 10^6 rows per partition would be past the cap), or a chosen count.
    expect(scans(aggregate(scan(1_000_000), ["g"], [col("v").sum()]))).toBe(16);
    expect(scans(aggregate(scan(50_000, 20), ["g"], [col("v").sum()]))).toBe(20);
    // The scan read without an aggregation keeps the default.
    expect(scans(filter(scan(50_000), col("v").gt(0)))).toBe(16);
  });

  it("a shuffle hashes one key alone when it spreads the rows (a text key first), and says so in its partitioning", () => {
    const fields = [field("s", "utf8"), field("t", "utf8"), field("i", "int32"), field("v", "float64")];
    const base = parquetScan(fields, [parquetFile("file:///k.parquet", Array.from({ length: 12 }, (_, k) => rowGroup(k, 100_000, { i: [1, 500_000, 0] })))]);
    const scan = (sEntries: number, tEntries: number): ScanNode => ({
      ...base, source: { ...base.source, partitions: 12, dictionarySizes: { s: { rows: 100_000, entries: sEntries }, t: { rows: 100_000, entries: tEntries } } },
    } as ScanNode);
    const split = (p: PlanNode) => {
      const phys = lowerPlan(p);
      const steps = phys.graph.tasks.flatMap((t) => (t.op === "pipeline" ? (t.args as PipelineArgs).steps : []));
      const s = steps.find((x) => x.t === "aggSplit" || x.t === "hashSplit") as { by?: readonly string[]; keys?: readonly string[] } | undefined;
      return { by: s?.by ?? s?.keys ?? null, partitioning: phys.partitioning?.by ?? null };
    };
    // s has about 100,000 values, t 100: s alone (text before the int key's 500,000).
    expect(split(aggregate(scan(60_000, 100), ["s", "t", "i"], [col("v").sum()]))).toEqual({ by: ["s"], partitioning: ["s"] });
    // Neither text key spreads over 12 outputs × 16: the int key, the one with most values.
    expect(split(aggregate(scan(100, 50), ["s", "t", "i"], [col("v").sum()]))).toEqual({ by: ["i"], partitioning: ["i"] });
    // No key known to spread (s has about 100 values, a computed key none known): all of them, no "by" in the step.
    expect(split(aggregate(scan(100, 50), ["s", col("i").add(1).alias("j")], [col("v").sum()]))).toEqual({ by: null, partitioning: ["s", "j"] });
    // Holistic aggregates choose the same way.
    expect(split(aggregate(scan(60_000, 100), ["s", "t"], [col("v").median()]))).toEqual({ by: ["s"], partitioning: ["s"] });
  });

  it("shuffles holistic aggregates (median) by key hash into as many partitions as the input", () => {
    const p = aggregate(bigScan(1, 6, 1000, 6), ["k"], [col("v").median()]);
    const phys = lowerPlan(p);
    expect(ops(phys.graph)).toEqual({ pipeline: 6 + 6, pick: 36 });
    expect(phys.outputs).toHaveLength(6);
  });

  it("aggregates a single partition in one fused task", () => {
    const phys = lowerPlan(aggregate(bigScan(1, 2, 1000, 1), ["k"], [col("v").mean()]));
    expect(ops(phys.graph)).toEqual({ pipeline: 1 });
    expect((phys.graph.tasks[0]?.args as PipelineArgs).steps.map((s) => s.t)).toEqual(["project", "aggFull", "project"]);
  });

  it("broadcasts a small right side and shuffles when the join kind or sizes need it", () => {
    const left = bigScan(1, 8, 1000, 4);
    const small = bigScan(1, 1, 100, 1);
    const broadcast = lowerPlan(join(left, small, ["k"], ["k"], "inner"));
    expect(ops(broadcast.graph)).toEqual({ pipeline: 1 + 4 });
    expect(broadcast.outputs).toHaveLength(4);

    const full = lowerPlan(join(left, bigScan(1, 4, 1000, 2, "r"), ["k"], ["k"], "full"));
    expect(ops(full.graph).pick).toBe(4 * 4 + 2 * 4);
    expect(full.outputs).toHaveLength(4);

    const big = lowerPlan(join(left, bigScan(1, 4, 1000, 2, "r"), ["k"], ["k"], "inner"), { broadcastRows: 10 });
    expect(ops(big.graph).pick).toBe(4 * 4 + 2 * 4);
  });

  it("reuses identical work: a self-join scans and splits each partition once", () => {
    const s = bigScan(1, 8, 1000, 4);
    const phys = lowerPlan(join(s, s, ["k"], ["k"], "full"));
    expect(ops(phys.graph)).toEqual({ pipeline: 4 + 4, pick: 16 });
  });

  it("sorts by sampling, range bounds, range splits and a k-way merge per range", () => {
    const phys = lowerPlan(sort(bigScan(1, 3, 1000, 3), "v"));
    expect(ops(phys.graph)).toEqual({ pipeline: 3 + 3 + 3, "range-bounds": 1, pick: 9, "merge-sorted": 3 });
    expect(phys.outputs).toHaveLength(3);
  });

  it("sort then groupBy().head(n) keeps each partition's candidates (groupTopN) through a merge tree and sorts only those", () => {
    const head = (input: PlanNode, n: number): PlanNode => ({ kind: "groupHead", input, keys: ["k"], n });
    const phys = lowerPlan(head(sort(bigScan(1, 20, 1000, 20), "v"), 2));
    // 20 partitions -> 3 merges (8 + 8 + 4) -> 1 final task; no range sort.
    expect(ops(phys.graph)).toEqual({ pipeline: 24 });
    const final = phys.graph.tasks.find((t) => t.key === phys.outputs[0]);
    expect((final?.args as PipelineArgs).steps.map((s) => s.t)).toEqual(["groupTopN", "sort"]);
    expect(phys.graph.tasks.filter((t) => t.label?.name === "top-n-merge").map((t) => t.deps.length)).toEqual([8, 8, 4]);
    // Each partition's groupTopN is partial (it may pass rows on); the merges and the final one reduce.
    const topSteps = phys.graph.tasks.flatMap((t) => (t.args as PipelineArgs).steps.filter((s) => s.t === "groupTopN").map((s) => ({ name: t.label?.name, s })));
    const partials = topSteps.filter(({ s }) => s.t === "groupTopN" && s.partial === true);
    expect(partials).toHaveLength(20);
    expect(partials.filter(({ name }) => name === "top-n-merge" || name === "top-n-final")).toHaveLength(0);
    expect(topSteps.filter(({ s }) => s.t === "groupTopN" && s.partial !== true)).toHaveLength(3 + 1);
    // One partition: its groupTopN is the whole answer, never partial.
    const one = lowerPlan(head(sort(bigScan(1, 1, 1000, 1), "v"), 2));
    expect(one.graph.tasks.flatMap((t) => (t.args as PipelineArgs).steps).filter((s) => s.t === "groupTopN" && s.partial === true)).toHaveLength(0);
    // A large n sorts every row, then takes each group's head.
    expect(ops(lowerPlan(head(sort(bigScan(1, 3, 1000, 3), "v"), 1000)).graph)["merge-sorted"]).toBe(3);
  });

  it("a limit without a predicate reads only the leading row groups", () => {
    const s = bigScan(2, 10, 1000, null);
    const phys = lowerPlan(limit({ ...s, limit: 2500 }, 2500));
    const pieces = phys.graph.tasks.flatMap((t) => ((t.args as PipelineArgs).source?.type === "parquet" ? (t.args as PipelineArgs).source : [])) as unknown as { pieces: { rowGroups: number[] }[] }[];
    const groups = pieces.flatMap((s2) => s2.pieces.flatMap((p) => p.rowGroups));
    expect(groups).toEqual([0, 1, 2]);
  });

  it("gives equal work equal keys (structural), so lowering twice builds the same graph", () => {
    const p = aggregate(bigScan(1, 4, 1000, 4), ["k"], [col("v").sum()]);
    expect(lowerPlan(p).graph.tasks.map((t) => t.key)).toEqual(lowerPlan(p).graph.tasks.map((t) => t.key));
  });
});
