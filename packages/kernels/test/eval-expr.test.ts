// evalExpr against a naive row-at-a-time reference: every node family, nulls, dict and plain strings, exact output types.
import { describe, expect, it } from "vitest";
import { col, lit, when, typeOf, type ExprNode, type Expr } from "@tessera/expr";
import { batchToRows, columnToArray, evalExpr, evalPredicate, filterByPredicate, projectBatch, type Batch } from "@tessera/kernels";
import { batchOf, col as mkcol, dictCol, rng } from "./helpers.js";
import { naiveEval } from "./eval-naive.js";

const N = 200;
function data(): Batch {
  const r = rng(42);
  const maybe = <T>(f: () => T, p = 0.15): T | null => (r() < p ? null : f());
  const words = ["Apple", "banana", "Cherry", "", "naïve", "ZEBRA"];
  const idx = Array.from({ length: N }, () => maybe(() => Math.floor(r() * words.length)));
  return batchOf({
    i: mkcol("int32", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 200) - 100))),
    j: mkcol("int32", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 10) - 5))),
    l: mkcol("int64", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 2e6) - 1e6))),
    f: mkcol("float64", Array.from({ length: N }, () => maybe(() => (r() - 0.5) * 100))),
    b: mkcol("bool", Array.from({ length: N }, () => maybe(() => r() < 0.5))),
    c: mkcol("bool", Array.from({ length: N }, () => maybe(() => r() < 0.5))),
    s: mkcol("utf8", idx.map((k) => (k === null ? null : (words[k] as string)))),
    d: dictCol(words, idx),
    day: mkcol("date32", Array.from({ length: N }, () => maybe(() => Math.floor(r() * 40000) - 10000))),
    ts: mkcol("timestamp[us]", Array.from({ length: N }, () => maybe(() => BigInt(Math.floor((r() - 0.3) * 2e9)) * 1_000_000n + BigInt(Math.floor(r() * 1e6))))),
  });
}

const PER_DAY = { day: 1, ts: 86_400_000_000 };

function close(a: unknown, b: unknown): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === "number" && typeof b === "number") {
    if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
    return a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

function check(b: Batch, e: Expr | ExprNode): void {
  const node = "node" in e ? e.node : e;
  const out = evalExpr(node, b);
  expect(out.type).toBe(typeOf(node, b.fields));
  const got = columnToArray(out);
  const rows = batchToRows(b);
  rows.forEach((row, i) => {
    const want = naiveEval(node, row, PER_DAY);
    if (!close(got[i], want)) throw new Error(`${JSON.stringify(node)} row ${i} (${JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))}): got ${String(got[i])}, want ${String(want)}`);
  });
}

describe("evalExpr", () => {
  const b = data();

  it("arithmetic with nulls, promotion, x/0 → IEEE infinity and x%0 → null", () => {
    for (const e of [col("i").add(col("j")), col("i").sub(col("l")), col("i").mul(col("j")), col("i").div(col("j")), col("i").mod(col("j")),
      col("f").mul(col("i")), col("f").div(lit(0)), col("l").add(1), col("f").pow(2), col("i").neg(), col("f").abs(), col("l").neg()]) check(b, e);
    expect(evalExpr(col("i").add(col("j")).node, b).type).toBe("int32");
  });

  it("comparisons on numbers, strings (dict, plain, literal) and temporal values", () => {
    for (const e of [col("i").lt(col("j")), col("f").gte(col("i")), col("l").eq(col("i")), col("s").lt(col("d")), col("d").eq("banana"),
      col("s").gt("Cherry"), col("d").neq(col("s")), col("day").lte(col("day")), col("b").eq(col("c")), lit("banana").lte(col("d"))]) check(b, e);
  });

  it("Kleene and/or/not", () => {
    for (const e of [col("b").and(col("c")), col("b").or(col("c")), col("b").not(), col("b").and(lit(null)), col("c").or(lit(null)), col("i").gt(0).and(col("b").not())]) check(b, e);
  });

  it("math functions", () => {
    for (const e of [col("f").sqrt(), col("i").exp(), col("f").log(), col("f").sin(), col("i").cos(), col("f").tan(), col("f").atan(), col("l").asinh(),
      col("f").floor(), col("f").ceil(), col("f").round(), col("i").round()]) check(b, e);
    expect(columnToArray(evalExpr(lit(-2.5).round().node, b)).slice(0, 1)).toEqual([-3]);
  });

  it("bit operations", () => {
    for (const e of [col("i").bitAnd(col("j")), col("l").bitAnd(255), col("i").shiftRight(2), col("l").shiftRight(3)]) check(b, e);
  });

  it("temporal parts and truncation on date32 and timestamp[us] (before and after 1970)", () => {
    for (const e of [col("day").dt.year(), col("day").dt.month(), col("day").dt.day(), col("ts").dt.year(), col("ts").dt.month(), col("ts").dt.day(),
      col("day").dt.truncate("month"), col("day").dt.truncate("year"), col("ts").dt.truncate("day"), col("ts").dt.truncate("month"), col("ts").dt.truncate("year")]) check(b, e);
  });

  it("string functions on dict and plain columns", () => {
    for (const name of ["s", "d"]) {
      for (const e of [col(name).str.toLowerCase(), col(name).str.toUpperCase(), col(name).str.lengths(), col(name).str.contains("an"),
        col(name).str.startsWith("Ch"), col(name).str.contains(""), col(name).str.startsWith("naïve!")]) check(b, e);
    }
  });

  it("when (first true wins, null predicate is false), fillNull, isIn, isNull", () => {
    const w = when(col("b")).then(col("i")).when(col("i").gt(0)).then(col("f")).otherwise(lit(-1));
    for (const e of [w, when(col("c")).then(col("s")).otherwise(col("d")), when(col("b")).then(lit(1)), col("i").fillNull(0), col("f").fillNull(col("i")),
      col("s").fillNull("none"), col("i").isIn([1, 2, 3, -5]), col("d").isIn(["banana", "ZEBRA"]), col("i").isIn([4, null]), col("i").isNull(), col("d").isNotNull()]) check(b, e);
    expect(evalExpr(w.node, b).type).toBe("float64");
  });
});

describe("temporal semantics", () => {
  it("compares timestamp[us] with a Date (timestamp[ms]) literal in microseconds", () => {
    const t0 = Date.UTC(2021, 5, 1);
    const bt = batchOf({ ts: mkcol("timestamp[us]", [BigInt(t0) * 1000n - 1n, BigInt(t0) * 1000n, BigInt(t0) * 1000n + 1n, null]) });
    expect(columnToArray(evalExpr(col("ts").gte(new Date(t0)).node, bt))).toEqual([false, true, true, null]);
    expect(columnToArray(evalExpr(col("ts").eq(new Date(t0)).node, bt))).toEqual([false, true, false, null]);
  });

  it("adds days to dates and subtracts timestamps", () => {
    const bt = batchOf({ d: mkcol("date32", [0, 10, null]), a: mkcol("timestamp[ms]", [5000n, 0n, 1n]), s: mkcol("timestamp[s]", [1n, 1n, 1n]) });
    expect(columnToArray(evalExpr(col("d").add(3).node, bt))).toEqual([3, 13, null]);
    const diff = evalExpr(col("a").sub(col("s")).node, bt);
    expect(diff.type).toBe("int64");
    expect(columnToArray(diff)).toEqual([4000, -1000, -999]);
  });

  it("is exact on nanosecond timestamps past 2^53", () => {
    const base = 1_700_000_000_000_000_000n;
    const bt = batchOf({ t: mkcol("timestamp[ns]", [base, base + 1n]) });
    expect(columnToArray(evalExpr(col("t").lt(lit(base + 1n, "timestamp[ns]")).node, bt))).toEqual([true, false]);
    const tr = evalExpr(col("t").dt.truncate("day").node, bt);
    expect((tr as { values: BigInt64Array }).values[1]).toBe((base / 86_400_000_000_000n) * 86_400_000_000_000n);
    const plus = evalExpr(col("t").add(lit(1n)).node, bt) as { values: BigInt64Array };
    expect(Array.from(plus.values)).toEqual([base + 1n, base + 2n]);
  });
});

describe("casts", () => {
  it("converts between numbers, strings, bools and temporal types, nulling what does not fit", () => {
    const bt = batchOf({ f: mkcol("float64", [1.9, -1.9, 300, Number.NaN, null]), s: mkcol("utf8", ["12", "x", "-3", "2020-02-29", null]) });
    expect(columnToArray(evalExpr(col("f").cast("int32").node, bt))).toEqual([1, -1, 300, null, null]);
    expect(columnToArray(evalExpr(col("f").cast("uint8").node, bt))).toEqual([1, null, null, null, null]);
    expect(columnToArray(evalExpr(col("s").cast("int64").node, bt))).toEqual([12, null, -3, null, null]);
    expect(columnToArray(evalExpr(col("s").cast("date32").node, bt))).toEqual([null, null, null, 18321, null]);
    expect(columnToArray(evalExpr(col("f").cast("utf8").node, bt))).toEqual(["1.9", "-1.9", "300", "NaN", null]);
    expect(columnToArray(evalExpr(lit(18321, "date32").cast("utf8").node, bt))[0]).toBe("2020-02-29");
    expect(columnToArray(evalExpr(lit(-1n, "timestamp[ms]").cast("utf8").node, bt))[0]).toBe("1969-12-31 23:59:59.999");
    expect(columnToArray(evalExpr(lit(-1n, "timestamp[ms]").cast("date32").node, bt))[0]).toBe(-1);
    expect(columnToArray(evalExpr(lit("2021-03-04 05:06:07.5", "utf8").cast("timestamp[us]").node, bt))[0]).toBe(Date.UTC(2021, 2, 4, 5, 6, 7, 500) * 1000);
  });
});

describe("row-wise operators", () => {
  const b = data();

  it("projects with output names and types from the expressions", () => {
    const p = projectBatch(b, [col("i").add(1).alias("x").node, col("d").node, col("f").gt(0).node]);
    expect(p.fields.map((f) => [f.name, f.type])).toEqual([["x", "int64"], ["d", "utf8"], ["f", "bool"]]);
  });

  it("filters where the predicate is true (null counts as false)", () => {
    const pred = col("i").gt(col("j")).or(col("b"));
    const mask = evalPredicate(pred.node, b);
    const rows = batchToRows(b);
    const want = rows.filter((r) => naiveEval(pred.node, r) === true);
    expect(Array.from(mask).filter((x) => x === 1).length).toBe(want.length);
    expect(batchToRows(filterByPredicate(b, pred.node)).map((r) => r.l)).toEqual(want.map((r) => r.l));
  });
});
