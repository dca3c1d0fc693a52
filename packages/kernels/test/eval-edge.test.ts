// Edge cases of evaluation: empty batches, temporal units in casts and isIn, LargeUtf8 input, int64 overflow paths.
import { describe, expect, it } from "vitest";
import * as arrow from "apache-arrow";
import { col, lit, when } from "@tessera/expr";
import { batchFromArrow, columnToArray, evalExpr, projectBatch, type Column } from "@tessera/kernels";
import { batchOf, col as mkcol, dictCol } from "./helpers.js";

describe("evaluation edge cases", () => {
  it("evaluates every family over zero rows with the right types", () => {
    const b = batchOf({ i: mkcol("int32", []), s: dictCol(["a"], []), t: mkcol("timestamp[ms]", []), f: mkcol("float64", []) });
    const exprs = [col("i").add(1), col("s").str.toUpperCase(), col("t").dt.year(), col("f").gt(col("i")), when(col("i").gt(0)).then(col("s")).otherwise("x"),
      col("i").isIn([1]), col("t").dt.truncate("month"), col("f").fillNull(0), col("s").str.contains("a")];
    const p = projectBatch(b, exprs.map((e) => e.node));
    expect(p.length).toBe(0);
    expect(p.fields.map((f) => f.type)).toEqual(["int64", "utf8", "int32", "bool", "utf8", "bool", "timestamp[ms]", "float64", "bool"]);
  });

  it("casts between timestamp units flooring toward -infinity, and to and from date32", () => {
    const b = batchOf({ t: mkcol("timestamp[us]", [-1n, 1_500_000n, 86_400_000_000n - 1n, null]) });
    expect(columnToArray(evalExpr(col("t").cast("timestamp[s]").node, b))).toEqual([-1, 1, 86399, null]);
    expect(columnToArray(evalExpr(col("t").cast("timestamp[ns]").node, b))).toEqual([-1000, 1_500_000_000, 86_399_999_999_000, null]);
    expect(columnToArray(evalExpr(col("t").cast("date32").node, b))).toEqual([-1, 0, 0, null]);
    expect(columnToArray(evalExpr(lit(3, "date32").cast("timestamp[ms]").node, b))).toEqual([3 * 86_400_000, 3 * 86_400_000, 3 * 86_400_000, 3 * 86_400_000]);
  });

  it("isIn on timestamps takes Dates (epoch ms) and on dict strings checks each entry once", () => {
    const d = Date.UTC(2020, 0, 1);
    const b = batchOf({ t: mkcol("timestamp[us]", [BigInt(d) * 1000n, BigInt(d) * 1000n + 1n, null]), s: dictCol(["x", "y"], [0, 1, null]) });
    expect(columnToArray(evalExpr(col("t").isIn([new Date(d)]).node, b))).toEqual([true, false, null]);
    expect(columnToArray(evalExpr(col("s").isIn(["y", "z"]).node, b))).toEqual([false, true, null]);
  });

  it("keeps int64 arithmetic exact past 2^53 and wraps like two's complement on overflow", () => {
    const b = batchOf({ l: mkcol("int64", [2n ** 62n, -(2n ** 53n) - 1n, 3n]) });
    const sum = evalExpr(col("l").add(col("l")).node, b) as Column & { values: BigInt64Array };
    expect(Array.from(sum.values)).toEqual([-(2n ** 63n), -(2n ** 54n) - 2n, 6n]);
    const prod = evalExpr(col("l").mul(lit(3)).node, b) as Column & { values: BigInt64Array };
    expect(prod.values[1]).toBe(-(2n ** 53n) * 3n - 3n);
  });

  it("reads LargeUtf8 arrow columns", () => {
    const v = arrow.vectorFromArray(["α", null, "βγ"], new arrow.LargeUtf8());
    const b = batchFromArrow(new arrow.Table({ s: v }));
    expect(columnToArray(b.columns[0] as Column)).toEqual(["α", null, "βγ"]);
    expect(columnToArray(evalExpr(col("s").str.lengths().node, b))).toEqual([1, null, 2]);
  });
});
