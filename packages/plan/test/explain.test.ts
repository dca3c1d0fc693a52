// explainPlan and exprToString: one node per line, indented by depth; compact deterministic expressions.
import { describe, expect, it } from "vitest";
import { col, len, lit, when } from "@tessera/expr";
import { explainPlan, exprToString } from "@tessera/plan";
import type { PlanNode } from "@tessera/plan";
import { aggregate, drop, field, join, limit, memoryScan, rename, salesScan, select, sort, union, withScan } from "./optimizer-fixtures.js";

describe("exprToString", () => {
  it("prints every expression kind compactly", () => {
    expect(exprToString(col("a").add(1).mul(lit(2.5)).node)).toBe("((col(a) + 1) * 2.5)");
    expect(exprToString(col("a").gte(lit(19000, "date32")).node)).toBe("(col(a) >= 19000::date32)");
    expect(exprToString(col("s").eq("x").or(col("b").isNull().not()).node)).toBe("((col(s) == \"x\") or not(isNull(col(b))))");
    expect(exprToString(col("a").isIn([1, "b", null]).node)).toBe("isIn(col(a), [1, \"b\", null])");
    expect(exprToString(col("a").fillNull(0).cast("int32").alias("z").node)).toBe("cast(fillNull(col(a), 0) as int32) as z");
    expect(exprToString(when(col("a").gt(1)).then("big").otherwise("small").node)).toBe("case(when (col(a) > 1) then \"big\", otherwise \"small\")");
    expect(exprToString(col("t").dt.truncate("month").node)).toBe("truncate(col(t), month)");
    expect(exprToString(col("s").str.startsWith("ab").node)).toBe("startsWith(col(s), \"ab\")");
    expect(exprToString(col("v").quantile(0.5).node)).toBe("quantile(col(v), 0.5)");
    expect(exprToString(len().node)).toBe("len()");
  });
});

describe("explainPlan", () => {
  it("shows what a scan reads: counts, columns, predicate and limit", () => {
    const scan = withScan(salesScan(), { projection: ["id1", "v1"], predicate: col("id4").gt(50).node, limit: 7 });
    expect(explainPlan(aggregate(scan, ["id1"], [col("v1").sum()]))).toBe([
      "Aggregate keys=[id1] aggs=[sum(col(v1)) as v1]",
      "  Scan parquet files=2 row_groups=4 rows≈400 columns=[id1, v1] predicate=(col(id4) > 50) limit=7",
    ].join("\n"));
  });

  it("prints one node per line, inputs indented two spaces deeper", () => {
    const L = memoryScan("L", [field("id", "int64"), field("v", "int64")]);
    const R: PlanNode = { kind: "scan", source: { format: "csv", files: [{ url: "r.csv", size: 10, ranges: [{ start: 0, end: 10 }] }], delimiter: ",", header: true, fields: [field("id", "int64")], partitions: null }, projection: null, predicate: null, limit: null };
    const p = limit(sort(drop(rename(select(union(join(L, R, ["id"], ["id"], "left"), L), "id", col("v").neg().alias("nv")), { nv: "m" }), "id"), "m"), 3, 1);
    expect(explainPlan(p)).toBe([
      "Limit n=3 offset=1",
      "  Sort by=[m]",
      "    Drop [id]",
      "      Rename [nv -> m]",
      "        Select [id, neg(col(v)) as nv]",
      "          Union inputs=2",
      "            Join left left_on=[id] right_on=[id] suffix=\"_right\"",
      "              Scan memory id=L partitions=1 rows=10 columns=*",
      "              Scan csv files=1 columns=*",
      "            Scan memory id=L partitions=1 rows=10 columns=*",
    ].join("\n"));
  });

  it("marks unresolved sources", () => {
    const p: PlanNode = { kind: "scan", source: { format: "parquet", urls: ["a.parquet", "b.parquet"], partitions: null }, projection: null, predicate: null, limit: null };
    expect(explainPlan(p)).toBe("Scan parquet unresolved urls=[a.parquet, b.parquet] columns=*");
  });
});
