// prune-row-groups: files and row groups that statistics or hive values prove empty are not read.
import { describe, expect, it } from "vitest";
import { col, lit } from "@tessera/expr";
import type { Expr } from "@tessera/expr";
import { explainPlan, pruneRowGroups, scanStats } from "@tessera/plan";
import type { ScanNode } from "@tessera/plan";
import { field, parquetFile, parquetScan, rowGroup, salesScan, withScan } from "./optimizer-fixtures.js";

/** Which "file#rowGroup" pieces survive pruning under `pred`. */
function kept(scan: ScanNode, pred: Expr): string[] {
  const out = pruneRowGroups.apply(withScan(scan, { predicate: pred.node })) ?? scan;
  if (out.kind !== "scan" || out.source.format !== "parquet" || !("files" in out.source)) throw new Error("not a parquet scan");
  return out.source.files.flatMap((f) => f.rowGroups.map((g) => `${f.url.slice(-9, -8)}#${g.index}`));
}

const sales = salesScan();

describe("prune-row-groups", () => {
  it("drops a whole file and keeps counts for explain", () => {
    const scan = withScan(sales, { predicate: col("id4").gt(250).node });
    expect(scanStats(scan)).toEqual({ files: 2, rowGroups: 4, rows: 400 });
    const out = pruneRowGroups.apply(scan) as ScanNode;
    expect(scanStats(out)).toEqual({ files: 1, rowGroups: 2, rows: 200 });
    expect(explainPlan(out)).toBe("Scan parquet files=1 row_groups=2 rows≈200 columns=* predicate=(col(id4) > 250)");
  });

  it("understands each comparison, in either operand order", () => {
    expect(kept(sales, col("id4").eq(150))).toEqual(["a#1"]);
    expect(kept(sales, lit(150).eq(col("id4")))).toEqual(["a#1"]);
    expect(kept(sales, col("id4").lt(101))).toEqual(["a#0"]);
    expect(kept(sales, col("id4").lte(101))).toEqual(["a#0", "a#1"]);
    expect(kept(sales, lit(300).lte(col("id4")))).toEqual(["b#0", "b#1"]);
    expect(kept(sales, col("id4").gte(401))).toEqual([]);
  });

  it("understands between, isIn, and/or", () => {
    expect(kept(sales, col("id4").between(120, 220))).toEqual(["a#1", "b#0"]);
    expect(kept(sales, col("id4").isIn([5, 350]))).toEqual(["a#0", "b#1"]);
    expect(kept(sales, col("id4").lt(50).or(col("id4").gt(350)))).toEqual(["a#0", "b#1"]);
    expect(kept(sales, col("id4").gt(150).and(col("v1").gt(5)))).toEqual([]);
    expect(kept(sales, col("id1").eq("id200"))).toEqual([]);
  });

  it("uses null counts for isNull / isNotNull", () => {
    expect(kept(sales, col("v1").isNull())).toEqual([]);
    expect(kept(sales, col("v3").isNull())).toEqual(["a#0", "a#1", "b#0", "b#1"]);
    const allNull = parquetScan([field("x", "int64")], [parquetFile("s3://b/n.parquet", [rowGroup(0, 10, { x: [null, null, 10] })])]);
    expect(kept(allNull, col("x").isNotNull())).toEqual([]);
    expect(kept(allNull, col("x").eq(1))).toEqual([]);
  });

  it("keeps row groups when statistics are missing or not comparable", () => {
    const scan = parquetScan([field("x", "int64"), field("t", "timestamp[ms]"), field("f", "float64")], [
      parquetFile("s3://b/u.parquet", [rowGroup(0, 10, { t: [1000, 2000, 0], f: [1, 1, 0] })]),
    ]);
    expect(kept(scan, col("x").eq(99))).toEqual(["u#0"]);
    expect(kept(scan, col("t").gt(lit(5, "timestamp[s]")))).toEqual(["u#0"]);
    expect(kept(scan, col("f").neq(1))).toEqual(["u#0"]); // NaN rows pass != and are not in min/max
    expect(kept(scan, col("t").gt(lit(5000, "timestamp[ms]")))).toEqual([]);
  });

  it("drops files whose hive partition values make the predicate false", () => {
    const scan = parquetScan([field("v", "int64")], [
      parquetFile("s3://b/year=2020/p.parquet", [rowGroup(0, 10, { v: [0, 9, 0] })], { year: 2020 }),
      parquetFile("s3://b/year=2021/q.parquet", [rowGroup(0, 10, { v: [0, 9, 0] })], { year: 2021 }),
      parquetFile("s3://b/year=__HIVE_DEFAULT_PARTITION__/r.parquet", [rowGroup(0, 10, { v: [0, 9, 0] })], { year: null }),
    ], [field("year", "int32")]);
    expect(kept(scan, col("year").eq(2021))).toEqual(["q#0"]);
    expect(kept(scan, col("year").add(1).gt(2021))).toEqual(["q#0"]);
    expect(kept(scan, col("year").isNull())).toEqual(["r#0"]);
    expect(kept(scan, col("year").eq(2020).or(col("v").gt(100)))).toEqual(["p#0"]);
    expect(kept(scan, col("year").eq(2020).and(col("v").gt(100)))).toEqual([]);
  });

  it("drops everything for a scan predicate folded to false", () => {
    expect(kept(sales, lit(false))).toEqual([]);
  });

  it("makes no change without a predicate, when nothing can be pruned, or for memory sources", () => {
    expect(pruneRowGroups.apply(sales)).toBeNull();
    expect(pruneRowGroups.apply(withScan(sales, { predicate: col("id4").gt(0).node }))).toBeNull();
    const mem: ScanNode = { kind: "scan", source: { format: "memory", id: "m", fields: [field("a", "int64")], partitions: [], numRows: 0 }, projection: null, predicate: col("a").gt(1).node, limit: null };
    expect(pruneRowGroups.apply(mem)).toBeNull();
  });
});
